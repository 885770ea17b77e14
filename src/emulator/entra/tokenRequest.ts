import type { AppRegistration } from "../directory/apps";
import type { DirectoryUser } from "../directory/types";
import { json } from "../http/router";
import type { EmulatorResponse } from "../http/types";
import type { TenantRecord } from "../tenant";
import { clientInfo, isConfidential, type EntraContext, type TenantSegment } from "./context";
import { AADSTS, type EntraError } from "./errors";
import { REFRESH_TOKEN_LIFETIME_MS } from "./grants";
import { isEntraError, responseScope, type ScopeRequest } from "./scopes";

/** What every grant of the token endpoint shares: the request, failing with an Entra error, the user token response. */

export interface TokenRequest {
  ctx: EntraContext;
  seg: TenantSegment;
  form: URLSearchParams;
  app: AppRegistration;
  /** True when the client proved its secret or signed a valid client assertion. */
  authenticated: boolean;
  /** How it did (the token's appidacr/azpacr tells "1" secret from "2" certificate). */
  clientAuth: "none" | "secret" | "certificate";
}

export class EntraFailure extends Error {
  constructor(readonly error: EntraError) {
    super(`AADSTS${error.code}: ${error.message}`);
  }
}

export function fail(error: EntraError): never {
  throw new EntraFailure(error);
}

export function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (value === null || value === "") fail(AADSTS.missingParameter(name));
  return value;
}

export function unwrap<T>(value: T | EntraError): T {
  if (isEntraError(value)) fail(value);
  return value;
}

export interface UserTokenInput {
  tenant: TenantRecord;
  user: DirectoryUser;
  request: ScopeRequest;
  scp: string[];
  scopeParam: string;
  nonce?: string;
}

/** The token response for a user: access token, ID token (openid), refresh token (offline_access), client_info. */
export function userTokenResponse(t: TokenRequest, input: UserTokenInput): EmulatorResponse {
  const access = t.ctx.tokens.issueAccessToken({
    tenant: input.tenant.directory,
    client: {
      appId: t.app.appId,
      displayName: t.app.displayName,
      confidential: t.authenticated,
      certificate: t.clientAuth === "certificate",
    },
    resource: input.request.resource,
    audience: input.request.audience,
    user: input.user,
    scp: input.scp,
  });
  const body: Record<string, unknown> = {
    token_type: "Bearer",
    scope: responseScope(input.request, input.scp),
    expires_in: access.expiresIn,
    ext_expires_in: access.expiresIn,
    access_token: access.token,
  };
  if (input.request.oidc.includes("offline_access")) {
    body.refresh_token = t.ctx.grants.addRefreshToken({
      clientId: t.app.appId,
      tenantId: input.tenant.directory.tenantId,
      userId: input.user.id,
      scopeParam: input.scopeParam,
      expiresAt: t.ctx.now() + REFRESH_TOKEN_LIFETIME_MS,
    });
  }
  if (input.request.oidc.includes("openid")) {
    body.id_token = t.ctx.tokens.issueIdToken({
      tenant: input.tenant.directory,
      clientId: t.app.appId,
      user: input.user,
      ...(input.nonce === undefined ? {} : { nonce: input.nonce }),
    });
  }
  if (t.form.get("client_info") === "1") body.client_info = clientInfo(input.user, input.tenant.directory.tenantId);
  return json(200, body, { "cache-control": "no-store, no-cache", pragma: "no-cache" });
}

/**
 * ROPC and the device code grant without a client credential need "Allow public client flows"
 * (allowPublicClientFlows); otherwise Entra asks for one (AADSTS7000218), as for any confidential client.
 */
export function requirePublicFlowsOrCredential(t: TokenRequest): void {
  if (isConfidential(t.app)) {
    if (!t.authenticated) fail(AADSTS.missingSecret());
  } else if (!t.app.allowPublicClientFlows) {
    fail(AADSTS.missingSecret());
  }
}
