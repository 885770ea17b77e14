import { createSign, createVerify, type KeyObject } from "node:crypto";
import { base64url } from "../ids";

/** RS256 JWTs with node:crypto: the format is small and fixed, no library needed on the emulator side. */

export function signJwt(payload: object, key: { kid: string; privateKey: KeyObject }): string {
  const header = { typ: "JWT", alg: "RS256", x5t: key.kid, kid: key.kid };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = createSign("RSA-SHA256").update(signingInput).sign(key.privateKey);
  return `${signingInput}.${base64url(signature)}`;
}

export type DecodeFailure = "malformed" | "bad_signature" | "unknown_key";

/** Checks the signature and returns the payload; claims (exp, aud, ...) are the caller's job. */
export function verifyJwtSignature(
  token: string,
  key: { kid: string; publicKey: KeyObject },
): { ok: true; payload: Record<string, unknown> } | { ok: false; reason: DecodeFailure } {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "malformed" };
  const [h, p, s] = parts as [string, string, string];
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(h, "base64url").toString("utf8")) as Record<string, unknown>;
    payload = JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (typeof payload !== "object" || payload === null || header.alg !== "RS256")
    return { ok: false, reason: "malformed" };
  if (header.kid !== key.kid) return { ok: false, reason: "unknown_key" };
  const valid = createVerify("RSA-SHA256").update(`${h}.${p}`).verify(key.publicKey, Buffer.from(s, "base64url"));
  return valid ? { ok: true, payload } : { ok: false, reason: "bad_signature" };
}
