/**
 * Just enough PNG to write our icons and to check icons we are given: 8-bit RGBA encoding, header reading,
 * and decoding of 8-bit non-interlaced images (grey, RGB, grey+alpha, RGBA) to RGBA pixels.
 */
import { crc32, deflateSync, inflateSync } from "node:zlib";

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG colour types (IHDR byte 9). */
export const PNG_COLOR_TYPE = { grey: 0, rgb: 2, palette: 3, greyAlpha: 4, rgba: 6 } as const;

export interface PngInfo {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colorType: number;
  readonly interlaced: boolean;
  /** True when the image can carry transparency: an alpha channel or a tRNS chunk. */
  readonly hasAlpha: boolean;
}

export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  /** width * height * 4 bytes, row by row. */
  readonly pixels: Uint8Array;
}

export class PngFormatError extends Error {
  override readonly name = "PngFormatError";
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export function encodePng(image: RgbaImage): Buffer {
  const { width, height, pixels } = image;
  if (pixels.length !== width * height * 4) throw new PngFormatError(`expected ${width * height * 4} bytes of RGBA`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = PNG_COLOR_TYPE.rgba;
  // compression, filter, interlace: all 0
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter "none": icons are tiny, size does not matter
    Buffer.from(pixels.buffer, pixels.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1);
  }
  return Buffer.concat([
    SIGNATURE,
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

interface Chunk {
  readonly type: string;
  readonly data: Buffer;
}

function readChunks(png: Buffer): Chunk[] {
  if (png.length < 8 || !png.subarray(0, 8).equals(SIGNATURE))
    throw new PngFormatError("not a PNG file (bad signature)");
  const chunks: Chunk[] = [];
  let offset = 8;
  while (offset + 12 <= png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("latin1", offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (end > png.length) throw new PngFormatError(`truncated ${type} chunk`);
    chunks.push({ type, data: png.subarray(offset + 8, offset + 8 + length) });
    offset = end;
    if (type === "IEND") break;
  }
  if (chunks[0]?.type !== "IHDR") throw new PngFormatError("first chunk is not IHDR");
  return chunks;
}

export function readPngInfo(png: Buffer): PngInfo {
  const chunks = readChunks(png);
  const ihdr = (chunks[0] as Chunk).data;
  if (ihdr.length !== 13) throw new PngFormatError("IHDR has the wrong length");
  const colorType = ihdr[9] as number;
  return {
    width: ihdr.readUInt32BE(0),
    height: ihdr.readUInt32BE(4),
    bitDepth: ihdr[8] as number,
    colorType,
    interlaced: ihdr[12] === 1,
    hasAlpha:
      colorType === PNG_COLOR_TYPE.rgba ||
      colorType === PNG_COLOR_TYPE.greyAlpha ||
      chunks.some((c) => c.type === "tRNS"),
  };
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes 8-bit, non-interlaced, non-palette PNGs to RGBA; throws PngFormatError for anything else. */
export function decodePng(png: Buffer): RgbaImage {
  const info = readPngInfo(png);
  const channels = CHANNELS[info.colorType];
  if (info.bitDepth !== 8 || channels === undefined || info.interlaced) {
    throw new PngFormatError(
      `unsupported PNG layout (bit depth ${info.bitDepth}, colour type ${info.colorType}${info.interlaced ? ", interlaced" : ""})`,
    );
  }
  const idat = Buffer.concat(
    readChunks(png)
      .filter((c) => c.type === "IDAT")
      .map((c) => c.data),
  );
  const raw = inflateSync(idat);
  const stride = info.width * channels;
  if (raw.length < (stride + 1) * info.height) throw new PngFormatError("image data is shorter than the header says");
  const out = new Uint8Array(stride * info.height);
  for (let y = 0; y < info.height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const value = raw[src + x] as number;
      const left = x >= channels ? (out[row + x - channels] as number) : 0;
      const up = y > 0 ? (out[row - stride + x] as number) : 0;
      const upLeft = y > 0 && x >= channels ? (out[row - stride + x - channels] as number) : 0;
      let predicted: number;
      switch (filter) {
        case 0:
          predicted = 0;
          break;
        case 1:
          predicted = left;
          break;
        case 2:
          predicted = up;
          break;
        case 3:
          predicted = (left + up) >> 1;
          break;
        case 4:
          predicted = paeth(left, up, upLeft);
          break;
        default:
          throw new PngFormatError(`unknown row filter ${String(filter)}`);
      }
      out[row + x] = (value + predicted) & 0xff;
    }
  }
  const pixels = new Uint8Array(info.width * info.height * 4);
  for (let i = 0; i < info.width * info.height; i++) {
    const s = i * channels;
    const d = i * 4;
    const grey = channels <= 2;
    pixels[d] = out[s] as number;
    pixels[d + 1] = grey ? (out[s] as number) : (out[s + 1] as number);
    pixels[d + 2] = grey ? (out[s] as number) : (out[s + 2] as number);
    pixels[d + 3] = channels === 2 ? (out[s + 1] as number) : channels === 4 ? (out[s + 3] as number) : 255;
  }
  return { width: info.width, height: info.height, pixels };
}
