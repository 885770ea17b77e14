import { readFileSync } from "node:fs";
import path from "node:path";
import { crc32, deflateSync } from "node:zlib";
import { ACCENT_COLOR, ICON_FILES, renderIcons } from "../../../manifest/lib/icons";
import { decodePng, encodePng, readPngInfo } from "../../../manifest/lib/png";
import { Zip, ZipDeflate, zipSync } from "fflate";
import { readZip, writeZip } from "../../../manifest/lib/zip";

const ICONS_DIR = path.resolve(__dirname, "../../../manifest/icons");

/** What `fn` throws (the test fails if it returns). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

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

  it("reads zips written by other tools: stored entries, folders, UTF-8 names, data descriptors", () => {
    const stored = zipSync(
      { "manifest.json": [Buffer.from("{}"), { level: 0 }], "icons/": new Uint8Array(0), "Zoë.png": Buffer.from("x") },
      { mtime: new Date(2024, 0, 1) },
    );
    const files = readZip(stored);
    expect([...files].map(([name, data]) => [name, data.toString()])).toEqual([
      ["manifest.json", "{}"],
      ["icons/", ""],
      ["Zoë.png", "x"],
    ]);

    // What a streaming writer (Info-ZIP's `zip -`, Java's ZipOutputStream) produces: sizes after the data.
    const streamed: Uint8Array[] = [];
    const writer = new Zip((error, chunk) => {
      if (error) throw error;
      streamed.push(chunk);
    });
    const entry = new ZipDeflate("manifest.json", { level: 6 });
    writer.add(entry);
    entry.push(Buffer.from('{"name":"streamed"}'), true);
    writer.end();
    expect(readZip(Buffer.concat(streamed)).get("manifest.json")!.toString()).toBe('{"name":"streamed"}');
  });

  it("writes the same bytes for the same entries, with the zip epoch as every timestamp", () => {
    const entries = [{ name: "a.txt", data: Buffer.from("a") }];
    const zip = writeZip(entries);
    expect(writeZip(entries).equals(zip)).toBe(true);
    expect(zip.readUInt16LE(10)).toBe(0); // DOS time 00:00:00
    expect(zip.readUInt16LE(12)).toBe((0 << 9) | (1 << 5) | 1); // DOS date 1980-01-01
    expect(thrown(() => writeZip([...entries, ...entries]))).toMatchObject({ code: "DUPLICATE_NAME" });
  });

  it("detects damage", () => {
    const zip = writeZip([{ name: "a.txt", data: Buffer.from("hello hello hello") }]);
    expect(thrown(() => readZip(zip.subarray(0, zip.length - 10)))).toMatchObject({
      code: "NOT_A_ZIP",
      message: expect.stringContaining("not a zip file"),
    });
    expect(thrown(() => readZip(Buffer.from("not a zip at all")))).toMatchObject({ code: "NOT_A_ZIP" });

    // The directory declares one more byte than the data inflates to.
    const short = Buffer.from(zip);
    const central = short.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    short.writeUInt32LE(short.readUInt32LE(central + 24) + 1, central + 24);
    expect(() => readZip(short)).toThrow("a.txt: inflates to 17 bytes, its directory declares 18");

    // The data's own header names another file than the directory (what hosts read) lists.
    const renamed = Buffer.from(zip);
    renamed.write("b", 30, "latin1");
    expect(thrown(() => readZip(renamed))).toMatchObject({
      code: "DAMAGED",
      message: "b.txt: the zip holds data for it but its directory does not list it",
    });

    // The deflate stream itself is broken.
    const broken = Buffer.from(zip);
    broken.fill(0xff, 30 + "a.txt".length, 30 + "a.txt".length + 4);
    expect(thrown(() => readZip(broken))).toMatchObject({ code: "DAMAGED" });
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
