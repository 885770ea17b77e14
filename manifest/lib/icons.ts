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

// Local bindings: global lookups (Math.*) are slow inside jest's vm sandbox, and these run millions of times.
const { sqrt, min, max, round } = Math;

type Point = readonly [number, number];
type Segment = readonly [Point, Point];

const ENVELOPE: readonly Segment[] = (() => {
  const [l, t, r, b] = [0.2, 0.3, 0.8, 0.7];
  const flap: Point = [0.5, 0.52];
  return [
    [
      [l, t],
      [r, t],
    ],
    [
      [r, t],
      [r, b],
    ],
    [
      [r, b],
      [l, b],
    ],
    [
      [l, b],
      [l, t],
    ],
    [[l, t], flap],
    [flap, [r, t]],
  ];
})();

function distanceToSegment(px: number, py: number, [a, b]: Segment): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : max(0, min(1, ((px - a[0]) * dx + (py - a[1]) * dy) / lengthSquared));
  const ex = px - (a[0] + t * dx);
  const ey = py - (a[1] + t * dy);
  return sqrt(ex * ex + ey * ey);
}

type Shape = (x: number, y: number) => boolean;

function roundedSquare(radius: number): Shape {
  return (x, y) => {
    if (x < 0 || x > 1 || y < 0 || y > 1) return false;
    const cx = min(max(x, radius), 1 - radius);
    const cy = min(max(y, radius), 1 - radius);
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius;
  };
}

/** Fraction (0..1) of the pixel at (px, py) covered by `inside`. */
function coverage(px: number, py: number, size: number, inside: Shape): number {
  const samples = 4;
  let hits = 0;
  for (let sy = 0; sy < samples; sy++) {
    for (let sx = 0; sx < samples; sx++) {
      if (inside((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)) hits++;
    }
  }
  return hits / (samples * samples);
}

function glyphAt(size: number): Shape {
  // At least ~1.3 px wide so the 16 px icon still shows lines.
  const halfWidth = max(0.06, 1.3 / size) / 2;
  return (x, y) => {
    for (const segment of ENVELOPE) if (distanceToSegment(x, y, segment) <= halfWidth) return true;
    return false;
  };
}

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

type Background = "full" | "roundedSquare" | "none";

function render(size: number, background: Background): Buffer {
  const [ar, ag, ab] = hexToRgb(ACCENT_COLOR);
  const glyph = glyphAt(size);
  const tile = roundedSquare(0.18);
  const pixels = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const g = coverage(x, y, size, glyph);
      const bg = background === "full" ? 1 : background === "roundedSquare" ? coverage(x, y, size, tile) : 0;
      const i = (y * size + x) * 4;
      if (background === "none") {
        // Outline icon: white only, shape carried by alpha (Teams requires white on transparent).
        pixels[i] = pixels[i + 1] = pixels[i + 2] = 255;
        pixels[i + 3] = round(g * 255);
      } else {
        pixels[i] = round(ar + (255 - ar) * g);
        pixels[i + 1] = round(ag + (255 - ag) * g);
        pixels[i + 2] = round(ab + (255 - ab) * g);
        pixels[i + 3] = round(max(bg, g) * 255);
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
