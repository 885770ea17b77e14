import { constants, createVerify, type KeyObject } from "node:crypto";
import type { AppCertificate } from "./appCertificates";
import { AADSTS, type EntraError } from "./errors";

/**
 * Certificate credentials: `client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`
 * with `client_assertion`, a JWT signed with the private key of a certificate registered on the app.
 * Source: https://learn.microsoft.com/entra/identity-platform/certificate-credentials — header `alg`
 * RS256 or PS256, `x5t` (base64url SHA-1 thumbprint) or `x5t#S256` (SHA-256); claims `aud` = the
 * token endpoint ("https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token"), `iss` = `sub` =
 * the client id, `exp`, `nbf`, `jti`. Errors and their order as Entra reports them (texts in errors.ts).
 */
export const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** Entra's clock-skew allowance for assertion lifetimes (the same 5 minutes it allows on tokens). */
const SKEW_S = 300;

interface AssertionCheck {
  assertion: string;
  clientId: string;
  certificates: readonly AppCertificate[];
  /** Token endpoint URLs this request may name as `aud` (compared case-insensitively). */
  audiences: readonly string[];
  nowMs: number;
}

type Json = Record<string, unknown>;

function decodePart(part: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** .NET's round-trip format, as Entra prints times in AADSTS700024: 2023-12-11T23:52:19.6223401Z. */
function dotnetTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$10000Z");
}

/** The portal's "Found key 'Start=MM/dd/yyyy HH:mm:ss, End=...'" form. */
function keyValidity(cert: AppCertificate): string {
  const f = (iso: string): string => {
    const d = new Date(iso);
    const p = (n: number): string => String(n).padStart(2, "0");
    return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  };
  return `Start=${f(cert.credential.startDateTime)}, End=${f(cert.credential.endDateTime)}`;
}

function verifySignature(alg: string, signingInput: string, signature: Buffer, key: KeyObject): boolean {
  const verifier = createVerify("RSA-SHA256").update(signingInput);
  return alg === "PS256"
    ? verifier.verify(
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
        signature,
      )
    : verifier.verify(key, signature);
}

/** undefined when the assertion authenticates the client; otherwise Entra's error. */
export function verifyClientAssertion(check: AssertionCheck): EntraError | undefined {
  const parts = check.assertion.split(".");
  if (parts.length !== 3) return AADSTS.assertionMalformed();
  const [h, p, s] = parts as [string, string, string];
  const header = decodePart(h);
  const claims = decodePart(p);
  if (header === undefined || claims === undefined) return AADSTS.assertionMalformed();
  const alg = typeof header.alg === "string" ? header.alg : "none";
  if (alg !== "RS256" && alg !== "PS256") return AADSTS.assertionAlgorithm(alg);
  const x5tS256 = typeof header["x5t#S256"] === "string" ? header["x5t#S256"] : undefined;
  const x5t = typeof header.x5t === "string" ? header.x5t : undefined;
  if (x5tS256 === undefined && x5t === undefined) return AADSTS.assertionNoThumbprint();
  for (const field of ["iss", "aud"] as const) {
    if (typeof claims[field] !== "string" || claims[field] === "") return AADSTS.assertionMissingField(field);
  }
  const clientId = check.clientId.toLowerCase();
  const sub = typeof claims.sub === "string" ? claims.sub.toLowerCase() : "";
  if (String(claims.iss).toLowerCase() !== clientId || sub !== clientId) {
    return AADSTS.assertionIssuer();
  }
  const aud = String(claims.aud).toLowerCase();
  if (!check.audiences.some((a) => a.toLowerCase() === aud)) return AADSTS.assertionAudienceRealm();
  const thumbprint = Buffer.from(x5tS256 ?? x5t ?? "", "base64url")
    .toString("hex")
    .toUpperCase();
  const cert = check.certificates.find((c) =>
    x5tS256 !== undefined ? c.thumbprintSha256 === thumbprint : c.thumbprint === thumbprint,
  );
  if (cert === undefined) return AADSTS.assertionKeyNotFound(thumbprint, check.clientId);
  if (!verifySignature(alg, `${h}.${p}`, Buffer.from(s, "base64url"), cert.publicKey)) {
    return AADSTS.assertionBadSignature(thumbprint, keyValidity(cert), check.clientId);
  }
  const now = Math.floor(check.nowMs / 1000);
  const exp = typeof claims.exp === "number" ? claims.exp : 0;
  const nbf = typeof claims.nbf === "number" ? claims.nbf : 0;
  if (exp + SKEW_S < now || nbf - SKEW_S > now) {
    return AADSTS.assertionTimeRange(dotnetTime(check.nowMs), dotnetTime(nbf * 1000), dotnetTime(exp * 1000));
  }
  return undefined;
}
