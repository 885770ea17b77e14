import { createRemoteJWKSet, customFetch, errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import { acceptedAudiences, PERSONAL_ACCOUNTS_TENANT, type ServerConfig } from "../config";
import { ApiError } from "../errors";
import type { HttpClient } from "../net/httpClient";
import type { Principal } from "./principal";

/**
 * Validates the bearer tokens the pane sends: RS256 signature against the authority's JWKS
 * (jose caches the key set and refetches it when a token names an unknown `kid`), the issuer of
 * the token's own tenant (multi-tenant app), our audience, expiry / not-before with a small
 * tolerance, and our API scope. Every failure is the same 401 to the caller; the reason goes
 * only to the log.
 */
export type TokenConfig = Pick<
  ServerConfig,
  "authorityHost" | "clientId" | "apiAudience" | "apiScope" | "allowedTenants" | "allowedClientApps"
>;

export const REALM = "journaling-assistant";
const CLOCK_TOLERANCE_SECONDS = 120;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Why a token was refused (for logs only). */
export class TokenRejected extends Error {
  readonly code = "invalid_token";
  constructor(readonly reason: string) {
    super(reason);
    this.name = "TokenRejected";
  }
}

export function unauthorized(withError: boolean): ApiError {
  const challenge = withError ? `Bearer realm="${REALM}", error="invalid_token"` : `Bearer realm="${REALM}"`;
  return new ApiError(
    401,
    "unauthorized",
    "Sign in again: a valid access token for this API is required.",
    {},
    { "www-authenticate": challenge },
  );
}

export interface TokenValidator {
  /** Resolves the caller, or throws TokenRejected. */
  validate(token: string): Promise<Principal>;
}

export function createTokenValidator(cfg: TokenConfig, http: HttpClient): TokenValidator {
  const jwks = createRemoteJWKSet(new URL(`${cfg.authorityHost}/common/discovery/v2.0/keys`), {
    [customFetch]: http.fetch,
    cooldownDuration: 30_000,
    cacheMaxAge: 6 * 60 * 60 * 1000,
  });
  const audiences = acceptedAudiences(cfg);
  const v1IssuerAllowed = new URL(cfg.authorityHost).host === "login.microsoftonline.com";

  return {
    async validate(token: string): Promise<Principal> {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, jwks, {
          algorithms: ["RS256"],
          audience: audiences,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ["exp", "iss", "tid"],
        }));
      } catch (err) {
        if (err instanceof joseErrors.JOSEError) throw new TokenRejected(err.code);
        throw new TokenRejected("verification failed");
      }
      // The API registration asks for v2 access tokens (requestedAccessTokenVersion 2); a v1 token
      // carries other claims (upn, appid) and issuer, so it is refused rather than half-read.
      if (payload.ver !== "2.0") throw new TokenRejected("not a v2.0 access token");
      const tid = typeof payload.tid === "string" ? payload.tid.toLowerCase() : "";
      if (!GUID.test(tid)) throw new TokenRejected("tid is not a tenant id");
      // Personal Microsoft accounts have no Exchange Online organisation to set up.
      if (tid === PERSONAL_ACCOUNTS_TENANT) throw new TokenRejected("personal Microsoft account");
      const issuerV2 = `${cfg.authorityHost}/${tid}/v2.0`;
      const issuerV1 = `https://sts.windows.net/${tid}/`;
      const iss = typeof payload.iss === "string" ? payload.iss.toLowerCase() : "";
      if (iss !== issuerV2.toLowerCase() && !(v1IssuerAllowed && iss === issuerV1)) {
        throw new TokenRejected("issuer is not the token's tenant at the configured authority");
      }
      if (cfg.allowedTenants !== null && !cfg.allowedTenants.includes(tid)) {
        throw new TokenRejected("tenant not allowed");
      }
      // A guest (B2B) is authenticated by another identity provider than the tenant it signs in to:
      // `idp` differs from `iss` ("access token claims reference"), or the optional claim acct = 1.
      const idp = stringClaim(payload, "idp");
      if ((idp !== undefined && idp.toLowerCase() !== iss) || payload.acct === 1) {
        throw new TokenRejected("guest account");
      }
      const azp = typeof payload.azp === "string" ? payload.azp.toLowerCase() : "";
      if (cfg.allowedClientApps !== null && !cfg.allowedClientApps.includes(azp)) {
        throw new TokenRejected("client app not allowed");
      }
      const scopes = typeof payload.scp === "string" ? payload.scp.split(" ").filter((s) => s !== "") : [];
      if (!scopes.includes(cfg.apiScope)) throw new TokenRejected("scope missing");
      const oid = typeof payload.oid === "string" ? payload.oid.toLowerCase() : "";
      if (!GUID.test(oid)) throw new TokenRejected("oid missing (not a user token)");
      const upn = stringClaim(payload, "preferred_username") ?? stringClaim(payload, "upn") ?? oid;
      // Entra sends `wids` only when the app registration's groupMembershipClaims asks for directory
      // roles; without the claim the roles are unknown (not "none") until Graph is asked.
      const widsInToken = Array.isArray(payload.wids);
      const wids = Array.isArray(payload.wids)
        ? payload.wids.filter((w): w is string => typeof w === "string").map((w) => w.toLowerCase())
        : [];
      return {
        tenantId: tid,
        oid,
        upn,
        name: stringClaim(payload, "name") ?? upn,
        wids,
        rolesFrom: widsInToken ? "token" : "pending",
        scopes,
        assertion: token,
        exp: payload.exp ?? 0,
      };
    },
  };
}

function stringClaim(payload: JWTPayload, name: string): string | undefined {
  const v = payload[name];
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** Extracts the token from `Authorization: Bearer …`; undefined when absent or malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^Bearer ([A-Za-z0-9\-_.~+/]+=*)$/i.exec(header.trim());
  return m?.[1];
}
