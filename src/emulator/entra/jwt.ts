import { createSign, createVerify, type KeyObject } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from "jose";
import { base64url } from "../ids";

/** RS256 JWTs: signed and checked with node:crypto (synchronously), header and claims read with jose. */

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
  let header: ProtectedHeaderParameters;
  let payload: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
    payload = decodeJwt(token);
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (header.alg !== "RS256") return { ok: false, reason: "malformed" };
  if (header.kid !== key.kid) return { ok: false, reason: "unknown_key" };
  const valid = createVerify("RSA-SHA256").update(`${h}.${p}`).verify(key.publicKey, Buffer.from(s, "base64url"));
  return valid ? { ok: true, payload } : { ok: false, reason: "bad_signature" };
}
