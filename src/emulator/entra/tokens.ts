import { createHash, randomBytes } from "node:crypto";
import { emitsDirectoryRoles, type ResourceApp } from "../directory/apps";
import type { DirectoryUser, ServicePrincipal, TenantDirectory } from "../directory/types";
import { base64url, newGuid } from "../ids";
import { V1_ISSUER_BASE } from "../publicHosts";
import { signJwt, verifyJwtSignature } from "./jwt";
import type { SigningKey } from "./keys";

/**
 * Issues and verifies the emulator's tokens.
 *
 * Token versions follow the resource, as in Entra: the product's API (accessTokenVersion 2) gets
 * v2 tokens (`aud` = its client id, `iss` = `<login origin>/<tid>/v2.0`, `preferred_username`, `azp`;
 * the login origin is `https://login.microsoftonline.com` in public-hosts mode, the emulator's own origin otherwise).
 * Microsoft's own APIs (Graph, Exchange Online) get v1 tokens (`aud` = the resource as requested,
 * e.g. `https://outlook.office365.com` or `00000003-0000-0000-c000-000000000000`, `iss` =
 * `https://sts.windows.net/<tid>/` in both modes, as Entra issues them, `upn`, `unique_name`, `appid`).
 * Both carry `tid`, `oid`, `sub`, `scp` (delegated) or `roles` (app-only), `ver`; `wids` only when
 * the resource's manifest asks for directory roles (`groupMembershipClaims` "DirectoryRole" or
 * "All", see directory/apps.ts), as Entra does.
 */

export const ACCESS_TOKEN_LIFETIME_S = 3599;
export const ID_TOKEN_LIFETIME_S = 3600;
/** Template id of the "default user role" that Entra adds to every member's `wids`. */
const MEMBER_ROLE_TEMPLATE = "b79fbf4d-3ef9-4689-8143-76b194e85509";

export interface AccessTokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  tid: string;
  oid: string;
  sub: string;
  ver: "1.0" | "2.0";
  uti: string;
  aio: string;
  rh: string;
  idtyp: "user" | "app";
  /** Delegated permissions, space separated. */
  scp?: string;
  /** Application permissions. */
  roles?: string[];
  /** Directory role template ids of the user (or of the app's service principal). */
  wids?: string[];
  name?: string;
  given_name?: string;
  family_name?: string;
  /** v2 tokens. */
  preferred_username?: string;
  azp?: string;
  azpacr?: "0" | "1" | "2";
  /** v1 tokens. */
  upn?: string;
  unique_name?: string;
  appid?: string;
  appidacr?: "0" | "1" | "2";
  app_displayname?: string;
  amr?: string[];
  acr?: string;
  ipaddr?: string;
}

export type TokenFailure =
  | "missing"
  | "malformed"
  | "bad_signature"
  | "expired"
  | "not_yet_valid"
  | "wrong_audience"
  | "wrong_issuer"
  | "wrong_tenant";

export type VerifyResult =
  { ok: true; claims: AccessTokenClaims } | { ok: false; reason: TokenFailure; message: string };

export interface VerifyOptions {
  /** Accepted `aud` values (e.g. both the URI and the appId of a resource). */
  audience: string | readonly string[];
  /** When set, the token's `tid` must be this tenant id. */
  tenant?: string;
}

interface IssuerContext {
  key: SigningKey;
  /** Base of v2 issuers: the login origin (`https://login.microsoftonline.com` in public-hosts mode). */
  origin: string;
  now: () => number;
}

function opaque(bytes = 24): string {
  return base64url(randomBytes(bytes));
}

function pairwiseSubject(oid: string, appId: string): string {
  return createHash("sha256").update(`${oid}:${appId}`).digest("base64url").slice(0, 43);
}

/**
 * The `iss` of a token: v2 `<login origin>/{tid}/v2.0`; v1 always `https://sts.windows.net/{tid}/`
 * (access token claims reference, `iss`: https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
 */
export function issuerFor(origin: string, tenantId: string, version: 1 | 2): string {
  return version === 2 ? `${origin}/${tenantId}/v2.0` : `${V1_ISSUER_BASE}/${tenantId}/`;
}

export interface IssueAccessTokenInput {
  tenant: TenantDirectory;
  /** `certificate`: the client authenticated with a certificate assertion (appidacr/azpacr "2"). */
  client: { appId: string; displayName: string; confidential: boolean; certificate?: boolean };
  resource: ResourceApp;
  /** The `aud` for v1 resources (URI or appId as requested); v2 resources always use the appId. */
  audience: string;
  user?: DirectoryUser;
  servicePrincipal?: ServicePrincipal;
  scp?: string[];
  roles?: string[];
}

export class TokenService {
  constructor(private readonly ctx: IssuerContext) {}

  /** The issuer this service puts in tokens of the tenant (discovery documents name the same). */
  issuer(tenantId: string, version: 1 | 2): string {
    return issuerFor(this.ctx.origin, tenantId, version);
  }

  get jwks(): { keys: SigningKey["jwk"][] } {
    return { keys: [this.ctx.key.jwk] };
  }

  private nowSeconds(): number {
    return Math.floor(this.ctx.now() / 1000);
  }

  issueAccessToken(input: IssueAccessTokenInput): { token: string; expiresIn: number; claims: AccessTokenClaims } {
    const iat = this.nowSeconds();
    const v = input.resource.accessTokenVersion;
    const { user, tenant, client } = input;
    const subjectId = user?.id ?? input.servicePrincipal?.id ?? client.appId;
    // The resource's manifest decides (access token claims reference: `wids`); a default registration gets none.
    const wids = !emitsDirectoryRoles(input.resource.groupMembershipClaims)
      ? []
      : user !== undefined
        ? [...user.roles, MEMBER_ROLE_TEMPLATE]
        : (input.servicePrincipal?.roles ?? []);
    const claims: AccessTokenClaims = {
      aud: v === 2 ? input.resource.appId : input.audience,
      iss: issuerFor(this.ctx.origin, tenant.tenantId, v),
      iat,
      nbf: iat,
      exp: iat + ACCESS_TOKEN_LIFETIME_S,
      aio: opaque(),
      idtyp: user !== undefined ? "user" : "app",
      oid: subjectId,
      rh: `0.${opaque(16)}.`,
      sub: user !== undefined ? pairwiseSubject(user.id, input.resource.appId) : subjectId,
      tid: tenant.tenantId,
      uti: opaque(16),
      ver: v === 2 ? "2.0" : "1.0",
    };
    // appidacr/azpacr: "0" public client, "1" client id and secret, "2" client certificate
    // (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
    const acr = client.certificate === true ? "2" : client.confidential ? "1" : "0";
    if (v === 2) {
      claims.azp = client.appId;
      claims.azpacr = acr;
    } else {
      claims.appid = client.appId;
      claims.appidacr = acr;
      claims.app_displayname = client.displayName;
    }
    if (user !== undefined) {
      claims.name = user.displayName;
      claims.scp = (input.scp ?? []).join(" ");
      if (v === 2) {
        claims.preferred_username = user.userPrincipalName;
      } else {
        claims.upn = user.userPrincipalName;
        claims.unique_name = user.userPrincipalName;
        if (user.givenName !== undefined) claims.given_name = user.givenName;
        if (user.surname !== undefined) claims.family_name = user.surname;
        claims.amr = ["pwd"];
        claims.acr = "1";
        claims.ipaddr = "127.0.0.1";
      }
    } else if (input.roles !== undefined && input.roles.length > 0) {
      claims.roles = input.roles;
    }
    if (wids.length > 0) claims.wids = wids;
    return { token: signJwt(claims, this.ctx.key), expiresIn: ACCESS_TOKEN_LIFETIME_S, claims };
  }

  issueIdToken(input: { tenant: TenantDirectory; clientId: string; user: DirectoryUser; nonce?: string }): string {
    const iat = this.nowSeconds();
    const claims: Record<string, unknown> = {
      aud: input.clientId,
      iss: issuerFor(this.ctx.origin, input.tenant.tenantId, 2),
      iat,
      nbf: iat,
      exp: iat + ID_TOKEN_LIFETIME_S,
      aio: opaque(),
      name: input.user.displayName,
      oid: input.user.id,
      preferred_username: input.user.userPrincipalName,
      rh: `0.${opaque(16)}.`,
      sid: newGuid(),
      sub: pairwiseSubject(input.user.id, input.clientId),
      tid: input.tenant.tenantId,
      uti: opaque(16),
      ver: "2.0",
    };
    if (input.user.mail !== null) claims.email = input.user.mail;
    if (input.nonce !== undefined) claims.nonce = input.nonce;
    return signJwt(claims, this.ctx.key);
  }

  /** Signature, lifetime (5 min skew), issuer (this emulator), audience and tenant. */
  verifyAccessToken(token: string | undefined, options: VerifyOptions): VerifyResult {
    if (token === undefined || token === "") return { ok: false, reason: "missing", message: "Access token is empty." };
    const decoded = verifyJwtSignature(token, this.ctx.key);
    if (!decoded.ok) {
      return decoded.reason === "malformed"
        ? { ok: false, reason: "malformed", message: "IDX14100: JWT is not well formed." }
        : { ok: false, reason: "bad_signature", message: "Access token validation failure. Invalid signature." };
    }
    const claims = decoded.payload as unknown as AccessTokenClaims;
    const now = this.nowSeconds();
    const skew = 300;
    if (typeof claims.exp !== "number" || claims.exp + skew < now) {
      return { ok: false, reason: "expired", message: "Lifetime validation failed, the token is expired." };
    }
    if (typeof claims.nbf === "number" && claims.nbf - skew > now) {
      return { ok: false, reason: "not_yet_valid", message: "Lifetime validation failed, the token is not yet valid." };
    }
    const tid = typeof claims.tid === "string" ? claims.tid : "";
    if (claims.iss !== issuerFor(this.ctx.origin, tid, 1) && claims.iss !== issuerFor(this.ctx.origin, tid, 2)) {
      return { ok: false, reason: "wrong_issuer", message: "Invalid issuer." };
    }
    const audiences = typeof options.audience === "string" ? [options.audience] : options.audience;
    const aud = String(claims.aud).toLowerCase().replace(/\/+$/, "");
    if (!audiences.some((a) => a.toLowerCase().replace(/\/+$/, "") === aud)) {
      return { ok: false, reason: "wrong_audience", message: "Invalid audience." };
    }
    if (options.tenant !== undefined && options.tenant.toLowerCase() !== tid.toLowerCase()) {
      return { ok: false, reason: "wrong_tenant", message: "The token was issued for another tenant." };
    }
    return { ok: true, claims };
  }
}

/**
 * Verifies a token with a TokenService (the running emulator's). The Exchange and Graph parts get
 * this through their deps; it is a function for callers that prefer one.
 */
export function verifyAccessToken(
  service: TokenService,
  token: string | undefined,
  options: VerifyOptions,
): VerifyResult {
  return service.verifyAccessToken(token, options);
}

/** The token out of an `Authorization: Bearer <token>` header. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1];
}

/** Accepted audiences of Microsoft's resources (the URI and the appId forms). */
export function audiencesOf(resource: ResourceApp): string[] {
  return [resource.appId, ...resource.identifierUris];
}
