/**
 * The dev host page's message log shows what passes between host and app, but never a token: an
 * access or ID token in the log becomes its claims (who, for what, until when), or its first 8
 * characters and "…" when it is not a JWT. Runs in the browser (bundled with the host page) and
 * in Node (unit tests): no Node built-ins.
 */
import { decodeJwt } from "jose";

/** A compact JWS: base64url header and payload (both JSON objects, so they start `eyJ`), then a signature. */
const JWT = /eyJ[A-Za-z0-9_-]*\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;

/** Keys whose string values are tokens whatever their format (the NAA bridge's and MSAL's token shapes). */
const TOKEN_KEYS = new Set(["access_token", "id_token", "refresh_token", "accessToken", "idToken", "refreshToken"]);
const TOKEN_KEY_IN_TEXT = /"(access_token|id_token|refresh_token|accessToken|idToken|refreshToken)"/;

/** The claims shown for a token, in this order. */
const SHOWN_CLAIMS = ["aud", "scp", "roles", "upn", "preferred_username", "tid", "exp"] as const;

/** Characters that would break the JSON string or the log line a summary is put into. */
const clean = (text: string): string =>
  [...text].filter((c) => c !== '"' && c !== "\\" && c.charCodeAt(0) >= 0x20).join("");

/** The first characters of a token, enough to tell two apart, never enough to use one. */
export function tokenPrefix(token: string): string {
  return `${clean(token.slice(0, 8))}…`;
}

/**
 * What the log shows instead of a token: `token(aud=… scp=… upn=… tid=… exp=…)` from its payload,
 * or its first 8 characters and "…" when the payload can't be read.
 */
export function tokenSummary(token: string): string {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(token);
  } catch {
    return tokenPrefix(token);
  }
  const shown: string[] = [];
  for (const name of SHOWN_CLAIMS) {
    const value = claims[name];
    if (value === undefined || value === null) continue;
    if (name === "preferred_username" && claims.upn !== undefined) continue;
    const text =
      name === "exp" && typeof value === "number"
        ? new Date(value * 1000).toISOString().replace(/\.\d{3}Z$/, "Z")
        : Array.isArray(value)
          ? value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(",")
          : typeof value === "string"
            ? value
            : JSON.stringify(value);
    shown.push(`${name}=${clean(text)}`);
  }
  return shown.length === 0 ? tokenPrefix(token) : `token(${shown.join(" ")})`;
}

/** A text with every token in it summarised: in JSON text by key and as JWTs, elsewhere as JWTs. */
export function redactText(text: string): string {
  if (TOKEN_KEY_IN_TEXT.test(text)) {
    try {
      return JSON.stringify(redactValue(JSON.parse(text) as unknown));
    } catch {
      // Not JSON: only the JWTs in it can be found.
    }
  }
  return text.replace(JWT, tokenSummary);
}

/** A copy of a logged value (request/response arguments) with every token in it summarised. */
export function redactValue(value: unknown): unknown {
  if (typeof value === "string") return redactText(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [
        key,
        TOKEN_KEYS.has(key) && typeof v === "string" && v !== "" ? tokenSummary(v) : redactValue(v),
      ]),
    );
  }
  return value;
}
