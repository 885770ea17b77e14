/**
 * The app package's zip, through fflate. Writing: deflate at level 9 with a fixed timestamp, so the same inputs
 * give the same bytes. Reading: `npm run validate -- --zip` opens packages it did not build, so the reader treats
 * every zip as possibly hostile and refuses, before it inflates anything, one that is too big, has too many
 * entries, declares entries too big, or names files outside the folder it would be unpacked into; while
 * inflating it counts the bytes each entry really yields and stops as soon as one yields more than it declared
 * (a zip bomb lies about its sizes), so neither memory nor time grows past the limits.
 */
import { Unzip, UnzipInflate, unzipSync, zipSync, type UnzipFile, type Zippable } from "fflate";

export interface ZipEntry {
  readonly name: string;
  readonly data: Buffer;
}

/** Damage (`NOT_A_ZIP`, `DAMAGED`, `UNSUPPORTED`) or a refusal of a possibly hostile zip (every other code). */
export type ZipErrorCode =
  | "NOT_A_ZIP"
  | "DAMAGED"
  | "UNSUPPORTED"
  | "ZIP_TOO_LARGE"
  | "TOO_MANY_ENTRIES"
  | "ENTRY_TOO_LARGE"
  | "TOTAL_TOO_LARGE"
  | "UNSAFE_NAME"
  | "DUPLICATE_NAME";

const REFUSALS: ReadonlySet<ZipErrorCode> = new Set<ZipErrorCode>([
  "ZIP_TOO_LARGE",
  "TOO_MANY_ENTRIES",
  "ENTRY_TOO_LARGE",
  "TOTAL_TOO_LARGE",
  "UNSAFE_NAME",
  "DUPLICATE_NAME",
]);

export class ZipFormatError extends Error {
  override readonly name = "ZipFormatError";
  constructor(
    readonly code: ZipErrorCode,
    message: string,
    /** One line per offending entry, so a user fixes them in one pass. */
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }

  /** True when the zip was refused as possibly hostile rather than found damaged. */
  get refused(): boolean {
    return REFUSALS.has(this.code);
  }
}

/** How much a zip we read may hold. An app package is manifest.json plus a few small icons (tens of KB). */
export interface ZipLimits {
  /** The zip file itself. */
  readonly maxZipBytes: number;
  readonly maxEntries: number;
  /** Uncompressed bytes of one entry. */
  readonly maxEntryBytes: number;
  /** Uncompressed bytes of all entries together. */
  readonly maxTotalBytes: number;
}

const MIB = 1024 * 1024;

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxZipBytes: 16 * MIB,
  maxEntries: 100,
  maxEntryBytes: 4 * MIB,
  maxTotalBytes: 16 * MIB,
};

/** 1980-01-01 00:00 local time (the zip format stores local time): the zip epoch, for reproducible packages. */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

export function writeZip(entries: readonly ZipEntry[]): Buffer {
  // Entries keep their order: names are file names ("color.png"), never integer-like keys that objects reorder.
  const files: Zippable = {};
  for (const entry of entries) {
    if (Object.hasOwn(files, entry.name)) throw new ZipFormatError("DUPLICATE_NAME", `duplicate entry ${entry.name}`);
    files[entry.name] = entry.data;
  }
  const zip = zipSync(files, { level: 9, mtime: FIXED_MTIME });
  return Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
}

/** Absolute (`/x`, `\x`, `C:x`), with a `..` segment, or with a NUL: unpacking it would write outside its folder. */
function unsafeName(name: string): string | undefined {
  if (name.includes("\0")) return "contains a NUL character";
  if (/^[\\/]/.test(name) || /^[A-Za-z]:/.test(name)) return "is an absolute path";
  if (name.split(/[\\/]/).includes("..")) return "climbs out of the package with ..";
  return undefined;
}

function describeBytes(bytes: number): string {
  return bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${bytes} bytes`;
}

function flateMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The central directory (what hosts read): names and declared sizes, checked against the limits; nothing inflated. */
function readDirectory(zip: Uint8Array, limits: ZipLimits): Map<string, number> {
  const declared = new Map<string, number>();
  const unsafe: string[] = [];
  const duplicates: string[] = [];
  const tooLarge: string[] = [];
  let entries = 0;
  let total = 0;
  try {
    unzipSync(zip, {
      filter: (file) => {
        if (++entries > limits.maxEntries) {
          throw new ZipFormatError(
            "TOO_MANY_ENTRIES",
            `it holds more than ${limits.maxEntries} entries (the limit for an app package here)`,
          );
        }
        if (file.name === "") throw new ZipFormatError("DAMAGED", "an entry of its directory has no name");
        const problem = unsafeName(file.name);
        if (problem !== undefined) unsafe.push(`${JSON.stringify(file.name)} ${problem}`);
        if (declared.has(file.name)) duplicates.push(JSON.stringify(file.name));
        if (file.compression !== 0 && file.compression !== 8) {
          throw new ZipFormatError(
            "UNSUPPORTED",
            `${file.name}: unsupported compression method ${file.compression} (only stored and deflate)`,
          );
        }
        if (file.originalSize > limits.maxEntryBytes) {
          tooLarge.push(`${JSON.stringify(file.name)} declares ${describeBytes(file.originalSize)}`);
        }
        total += file.originalSize;
        declared.set(file.name, file.originalSize);
        return false;
      },
    });
  } catch (error) {
    if (error instanceof ZipFormatError) throw error;
    throw new ZipFormatError("NOT_A_ZIP", `not a zip file, or a damaged one (${flateMessage(error)})`);
  }
  if (unsafe.length > 0) {
    throw new ZipFormatError("UNSAFE_NAME", "it names files outside the package's folder", unsafe);
  }
  if (duplicates.length > 0) {
    throw new ZipFormatError("DUPLICATE_NAME", "it holds the same name more than once", duplicates);
  }
  if (tooLarge.length > 0) {
    throw new ZipFormatError(
      "ENTRY_TOO_LARGE",
      `entries larger than ${describeBytes(limits.maxEntryBytes)} uncompressed (the limit for one file of an app package here)`,
      tooLarge,
    );
  }
  if (total > limits.maxTotalBytes) {
    throw new ZipFormatError(
      "TOTAL_TOO_LARGE",
      `its entries hold ${describeBytes(total)} uncompressed, more than the ${describeBytes(limits.maxTotalBytes)} allowed for an app package here`,
    );
  }
  return declared;
}

/** Throws ZIP_TOO_LARGE for a zip file of `bytes` over the limit (callers may check a file's size before reading it). */
export function checkZipSize(bytes: number, limits: ZipLimits = DEFAULT_ZIP_LIMITS): void {
  if (bytes > limits.maxZipBytes) {
    throw new ZipFormatError(
      "ZIP_TOO_LARGE",
      `the file is ${describeBytes(bytes)}, more than the ${describeBytes(limits.maxZipBytes)} allowed for an app package here`,
    );
  }
}

/**
 * Bytes fed to the inflater at a time: deflate expands at most ~1032x, so one step yields at most ~1 MiB before
 * the byte count below can stop a bomb.
 */
const FEED_BYTES = 1024;

/**
 * Reads every entry (stored or deflated) of a zip written by any common tool, within `limits`; throws
 * ZipFormatError with a stable code. fflate checks no CRC; a damaged deflate stream or a size that differs from
 * the directory's is reported as DAMAGED.
 */
export function readZip(zip: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Map<string, Buffer> {
  checkZipSize(zip.length, limits);
  const declared = readDirectory(zip, limits);

  const files = new Map<string, Buffer>();
  const onFile = (file: UnzipFile): void => {
    const expected = declared.get(file.name);
    if (expected === undefined) {
      throw new ZipFormatError("DAMAGED", `${file.name}: the zip holds data for it but its directory does not list it`);
    }
    if (files.has(file.name)) throw new ZipFormatError("DAMAGED", `${file.name}: the zip holds its data twice`);
    const chunks: Uint8Array[] = [];
    let size = 0;
    file.ondata = (error, chunk, final) => {
      if (error !== null) {
        if (error instanceof ZipFormatError) throw error;
        throw new ZipFormatError("DAMAGED", `${file.name}: ${flateMessage(error)}`);
      }
      // Each entry is held to its declared size, and the declared sizes to the limits: the total follows.
      size += chunk.length;
      if (size > expected) {
        throw new ZipFormatError(
          "DAMAGED",
          `${file.name}: inflates to more than the ${describeBytes(expected)} its directory declares (stopped there)`,
        );
      }
      chunks.push(chunk);
      if (final) files.set(file.name, Buffer.concat(chunks));
    };
    file.start();
  };
  const unzip = new Unzip(onFile);
  unzip.register(UnzipInflate);
  try {
    for (let at = 0; at < zip.length; at += FEED_BYTES) {
      unzip.push(zip.subarray(at, at + FEED_BYTES), at + FEED_BYTES >= zip.length);
    }
  } catch (error) {
    if (error instanceof ZipFormatError) throw error;
    throw new ZipFormatError("DAMAGED", `the zip's data is damaged (${flateMessage(error)})`);
  }

  for (const [name, size] of declared) {
    const data = files.get(name);
    if (data === undefined)
      throw new ZipFormatError("DAMAGED", `${name}: listed in the zip's directory but its data is missing`);
    if (data.length !== size) {
      throw new ZipFormatError("DAMAGED", `${name}: inflates to ${data.length} bytes, its directory declares ${size}`);
    }
  }
  // The directory's order (what the writer wrote and what hosts list), not the data's.
  return new Map([...declared.keys()].map((name) => [name, files.get(name) as Buffer]));
}
