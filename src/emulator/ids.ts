import { createHash, randomUUID } from "node:crypto";

/**
 * A GUID derived from a name, so seed objects keep the same ids on every machine and every start
 * (tests and the README can name them). Formatted like a version-5 UUID.
 */
export function stableGuid(name: string): string {
  const hex = createHash("sha1").update(`journaling-assistant-emulator:${name}`).digest("hex");
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16).padStart(2, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/** A fresh random GUID (trace ids, correlation ids, token ids). */
export function newGuid(): string {
  return randomUUID();
}

/** Base64url without padding (JWT segments, client_info, opaque handles). */
export function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString("base64url");
}
