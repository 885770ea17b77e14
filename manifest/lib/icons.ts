/**
 * The app's icons, drawn in code so they can be regenerated exactly (manifest/scripts/make-icons.ts writes
 * them to manifest/icons/). The glyph is an envelope: the app is about where mail is journaled to.
 * Shapes are in unit coordinates (0..1) and anti-aliased by 4x4 supersampling.
 */
import { encodePng } from "./png";

/** The accent colour of the app (manifest `accentColor`, colour icon background). */
export const ACCENT_COLOR = "#0F6CBD";

/** File names inside manifest/icons/. The add-in ribbon icons are served by the pane at /icons/<name>. */
export const ICON_FILES = {
  color: "color.png",
  outline: "outline.png",
  addin16: "icon-16.png",
  addin32: "icon-32.png",
  addin80: "icon-80.png",
} as const;

type Point = readonly [number, number];
type Segment = readonly [Point, Point];

const ENVELOPE: readonly Segment[] = (() => {
  const [l, t, r, b] = [0.2, 0.3, 0.8, 0.7];
  const flap: Point = [0.5, 0.52];
  return [
    [[l, t], [r, t]],
    [[r, t], [r, b]],
    [[r, b], [l, b]],
    [[l, b], [l, t]],
    [[l, t], flap],
    [flap, [r, t]],
  ];
})();

function distanceToSegment(p: Point, [a, b]: Segment): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / lengthSquared));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

function insideRoundedSquare([x, y]: Point, radius: number): boolean {
  const cx = Math.min(Math.max(x, radius), 1 - radius);
  const cy = Math.min(Math.max(y, radius), 1 - radius);
  return Math.hypot(x - cx, y - cy) <= radius && x >= 0 && x <= 1 && y >= 0 && y <= 1;
}

/** Fraction (0..1) of the pixel at (px, py) covered by `inside`. */
function coverage(px: number, py: number, size: number, inside: (p: Point) => boolean): number {
  const samples = 4;
  let hits = 0;
  for (let sy = 0; sy < samples; sy++) {
    for (let sx = 0; sx < samples; sx++) {
      if (inside([(px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size])) hits++;
    }
  }
  return hits / (samples * samples);
}

function glyphAt(size: number): (p: Point) => boolean {
  // At least ~1.3 px wide so the 16 px icon still shows lines.
  const halfWidth = Math.max(0.06, 1.3 / size) / 2;
  return (p) => ENVELOPE.some((segment) => distanceToSegment(p, segment) <= halfWidth);
}

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

type Background = "full" | "roundedSquare" | "none";

function render(size: number, background: Background): Buffer {
  const [ar, ag, ab] = hexToRgb(ACCENT_COLOR);
  const glyph = glyphAt(size);
  const pixels = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const g = coverage(x, y, size, glyph);
      const bg =
        background === "full" ? 1 : background === "roundedSquare" ? coverage(x, y, size, (p) => insideRoundedSquare(p, 0.18)) : 0;
      const i = (y * size + x) * 4;
      if (background === "none") {
        // Outline icon: white only, shape carried by alpha (Teams requires white on transparent).
        pixels.set([255, 255, 255, Math.round(g * 255)], i);
      } else {
        pixels.set(
          [
            Math.round(ar + (255 - ar) * g),
            Math.round(ag + (255 - ag) * g),
            Math.round(ab + (255 - ab) * g),
            Math.round(Math.max(bg, g) * 255),
          ],
          i,
        );
      }
    }
  }
  return encodePng({ width: size, height: size, pixels });
}

/** All icon files by file name (see ICON_FILES). */
export function renderIcons(): Map<string, Buffer> {
  return new Map([
    [ICON_FILES.color, render(192, "full")],
    [ICON_FILES.outline, render(32, "none")],
    [ICON_FILES.addin16, render(16, "roundedSquare")],
    [ICON_FILES.addin32, render(32, "roundedSquare")],
    [ICON_FILES.addin80, render(80, "roundedSquare")],
  ]);
}
