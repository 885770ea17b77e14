import { readFileSync } from "node:fs";
import path from "node:path";
import { deflateSync } from "node:zlib";
import { crc32 } from "../../../manifest/lib/crc32";
import { ACCENT_COLOR, ICON_FILES, renderIcons } from "../../../manifest/lib/icons";
import { decodePng, encodePng, readPngInfo } from "../../../manifest/lib/png";
import { readZip, writeZip } from "../../../manifest/lib/zip";

const ICONS_DIR = path.resolve(__dirname, "../../../manifest/icons");

describe("crc32", () => {
  it("matches the standard check value", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
  });
});

describe("png", () => {
  it("round-trips RGBA pixels", () => {
    const pixels = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) % 256);
    const png = encodePng({ width: 3, height: 2, pixels });
    expect(readPngInfo(png)).toEqual({
      width: 3,
      height: 2,
      bitDepth: 8,
      colorType: 6,
      interlaced: false,
      hasAlpha: true,
    });
    expect(decodePng(png).pixels).toEqual(pixels);
  });

  it("decodes rows written with every PNG filter (as other encoders write them)", () => {
    // 3x5 RGB image, one row per filter type 0..4, built by hand with the PNG spec's forward filters.
    const width = 3;
    const bpp = 3;
    const rows = [0, 1, 2, 3, 4].map((y) =>
      Uint8Array.from({ length: width * bpp }, (_, i) => (y * 53 + i * 29) % 256),
    );
    const paeth = (a: number, b: number, c: number): number => {
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    };
    const raw: number[] = [];
    rows.forEach((row, y) => {
      const prev = y > 0 ? rows[y - 1]! : new Uint8Array(row.length);
      raw.push(y);
      row.forEach((v, i) => {
        const left = i >= bpp ? row[i - bpp]! : 0;
        const up = prev[i]!;
        const upLeft = i >= bpp ? prev[i - bpp]! : 0;
        const predicted = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][y]!;
        raw.push((v - predicted + 256) % 256);
      });
    });
    const chunk = (type: string, data: Buffer): Buffer => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(data.length);
      const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(crc32(body));
      return Buffer.concat([len, body, crc]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(rows.length, 4);
    ihdr[8] = 8;
    ihdr[9] = 2; // RGB
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", ihdr),
      chunk("IDAT", deflateSync(Buffer.from(raw))),
      chunk("IEND", Buffer.alloc(0)),
    ]);
    const decoded = decodePng(png);
    expect(readPngInfo(png).hasAlpha).toBe(false);
    rows.forEach((row, y) => {
      for (let x = 0; x < width; x++) {
        const d = (y * width + x) * 4;
        expect([...decoded.pixels.subarray(d, d + 4)]).toEqual([row[x * 3], row[x * 3 + 1], row[x * 3 + 2], 255]);
      }
    });
  });

  it("rejects files that are not PNG", () => {
    expect(() => readPngInfo(Buffer.from("not a png at all"))).toThrow("not a PNG file (bad signature)");
  });
});

describe("zip", () => {
  it("round-trips entries, including empty and binary ones", () => {
    const entries = [
      { name: "manifest.json", data: Buffer.from('{"a":1}') },
      { name: "empty.txt", data: Buffer.alloc(0) },
      { name: "bin.dat", data: Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 256)) },
    ];
    const files = readZip(writeZip(entries));
    expect([...files.keys()]).toEqual(["manifest.json", "empty.txt", "bin.dat"]);
    for (const e of entries) expect(files.get(e.name)!.equals(e.data)).toBe(true);
  });

  it("detects damage", () => {
    const zip = writeZip([{ name: "a.txt", data: Buffer.from("hello hello hello") }]);
    expect(() => readZip(zip.subarray(0, zip.length - 10))).toThrow("not a zip file");
    const corrupt = Buffer.from(zip);
    corrupt[14] = (corrupt[14]! + 1) % 256; // local header CRC is not what the reader trusts; break the central one
    const central = corrupt.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    corrupt[central + 16] = (corrupt[central + 16]! + 1) % 256;
    expect(() => readZip(corrupt)).toThrow("a.txt: CRC or size mismatch");
  });
});

describe("icons", () => {
  it("committed files are exactly what make-icons generates (no drift)", () => {
    for (const [name, png] of renderIcons()) {
      expect({ name, same: readFileSync(path.join(ICONS_DIR, name)).equals(png) }).toEqual({ name, same: true });
    }
  });

  it("have the sizes the hosts require", () => {
    const sizes = Object.fromEntries([...renderIcons()].map(([name, png]) => [name, readPngInfo(png).width]));
    expect(sizes).toEqual({
      [ICON_FILES.color]: 192,
      [ICON_FILES.outline]: 32,
      [ICON_FILES.addin16]: 16,
      [ICON_FILES.addin32]: 32,
      [ICON_FILES.addin80]: 80,
    });
  });

  it("colour icon is opaque in the accent colour with a white glyph", () => {
    const { pixels } = decodePng(renderIcons().get(ICON_FILES.color)!);
    const accent = [1, 3, 5].map((i) => Number.parseInt(ACCENT_COLOR.slice(i, i + 2), 16));
    expect([...pixels.subarray(0, 4)]).toEqual([...accent, 255]);
    const alphas = new Set<number>();
    for (let i = 3; i < pixels.length; i += 4) alphas.add(pixels[i]!);
    expect([...alphas]).toEqual([255]);
    let white = 0;
    for (let i = 0; i < pixels.length; i += 4)
      if (pixels[i] === 255 && pixels[i + 1] === 255 && pixels[i + 2] === 255) white++;
    expect(white).toBeGreaterThan(192 * 4); // the glyph's strokes are there
  });
});
