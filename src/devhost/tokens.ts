import { request } from "node:https";
import { decodeJwt, type JWTPayload } from "jose";
import type { HostUser } from "./protocol";

/**
 * Server side of the dev host's sign-in: tokens for the configured user come from the emulator's
 * token endpoint (ROPC, `grant_type=password`) so the password never reaches the browser. The
 * host page asks for them over `POST <prefix>token` and hands them to the app as Teams SSO or the
 * NAA bridge would.
 */

export interface TokenRequest {
  clientId: string;
  /** Space-separated scopes, as the app asked for them (OIDC scopes are added). */
  scope: string;
}

export type TokenResult =
  | {
      ok: true;
      accessToken: string;
      idToken: string;
      expiresIn: number;
      scope: string;
      /** base64url `{"uid","utid"}` when the token endpoint sent it. */
      clientInfo?: string;
    }
  | { ok: false; error: string; description: string };

/** Replaces the emulator sign-in (tests that want to hand out their own tokens or failures). */
export type TokenProvider = (req: TokenRequest) => Promise<TokenResult>;

export interface EmulatorTokenSource {
  /** `https://localhost:<port>` */
  origin: string;
  tenantId: string;
  /** The emulator's CA (PEM) so Node trusts its certificate; the system store otherwise. */
  caPem?: string;
}

const OIDC_SCOPES = ["openid", "profile"];

/** The app's scopes plus `openid profile` (the NAA bridge must return an ID token). */
export function withOidcScopes(scope: string): string {
  const parts = scope.split(/\s+/).filter((s) => s !== "" && s !== "offline_access");
  for (const s of OIDC_SCOPES) if (!parts.includes(s)) parts.push(s);
  return parts.join(" ");
}

function postForm(
  url: URL,
  form: URLSearchParams,
  caPem: string | undefined,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = form.toString();
    const req = request(
      url,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) },
        ...(caPem === undefined ? {} : { ca: caPem }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** ROPC against the emulator for one user. Failures come back as results, never throw. */
export function passwordTokenProvider(
  source: EmulatorTokenSource,
  user: { upn: string; password: string },
): TokenProvider {
  const url = new URL(`/${encodeURIComponent(source.tenantId)}/oauth2/v2.0/token`, source.origin);
  return async (req) => {
    const form = new URLSearchParams({
      grant_type: "password",
      client_id: req.clientId,
      username: user.upn,
      password: user.password,
      scope: withOidcScopes(req.scope),
      client_info: "1",
    });
    let response: { status: number; body: string };
    try {
      response = await postForm(url, form, source.caPem);
    } catch (e) {
      return { ok: false, error: "network_error", description: e instanceof Error ? e.message : String(e) };
    }
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(response.body) as Record<string, unknown>;
    } catch {
      return { ok: false, error: "invalid_response", description: `HTTP ${response.status} without JSON` };
    }
    const str = (k: string): string => (typeof parsed[k] === "string" ? parsed[k] : "");
    if (response.status !== 200 || str("access_token") === "") {
      return { ok: false, error: str("error") || "invalid_response", description: str("error_description") };
    }
    return {
      ok: true,
      accessToken: str("access_token"),
      idToken: str("id_token"),
      expiresIn: typeof parsed.expires_in === "number" ? parsed.expires_in : 3600,
      scope: str("scope"),
      ...(str("client_info") === "" ? {} : { clientInfo: str("client_info") }),
    };
  };
}

/** The ID token's claims without verifying it (the emulator issued it over TLS to this process); {} if unreadable. */
function decodeJwtPayload(jwt: string): JWTPayload {
  try {
    return decodeJwt(jwt);
  } catch {
    return {};
  }
}

/** The account as MSAL's NAA bridge describes it, read from the ID token (and client_info). */
export function hostUserFrom(result: Extract<TokenResult, { ok: true }>, environment: string): HostUser {
  const claims = decodeJwtPayload(result.idToken);
  const text = (k: string): string => (typeof claims[k] === "string" ? claims[k] : "");
  let homeAccountId = `${text("oid")}.${text("tid")}`;
  if (result.clientInfo !== undefined) {
    try {
      const info = JSON.parse(Buffer.from(result.clientInfo, "base64url").toString("utf8")) as {
        uid?: string;
        utid?: string;
      };
      if (info.uid !== undefined && info.utid !== undefined) homeAccountId = `${info.uid}.${info.utid}`;
    } catch {
      // Keep the oid.tid form: MSAL builds the same when client_info is missing.
    }
  }
  return {
    oid: text("oid"),
    tenantId: text("tid"),
    upn: text("preferred_username"),
    name: text("name"),
    homeAccountId,
    environment,
  };
}
