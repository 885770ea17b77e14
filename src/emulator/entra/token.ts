import { createHash } from "node:crypto";
import { decodeJwt } from "jose";
import type { AppRegistration } from "../directory/apps";
import { findAppRegistration, findResource } from "../directory/apps";
import { header, json, parseForm } from "../http/router";
import type { EmulatorRequest, EmulatorResponse } from "../http/types";
import type { TenantRecord } from "../tenant";
import { CLIENT_ASSERTION_TYPE, verifyClientAssertion } from "./clientAssertion";
import {
  appPresentIn,
  checkPassword,
  findClient,
  findSignInUser,
  isConfidential,
  resolveTenantSegment,
  type EntraContext,
  type TenantSegment,
} from "./context";
import { requestCorrelationId } from "./correlation";
import { deviceCodeGrant } from "./deviceCode";
import { AADSTS, entraError, entraErrorResponse } from "./errors";
import {
  EntraFailure,
  fail,
  required,
  requirePublicFlowsOrCredential,
  unwrap,
  userTokenResponse,
  type TokenRequest,
} from "./tokenRequest";
import { authorizeDelegated, grantedAppRoles, parseScopeRequest, type ScopeRequest } from "./scopes";
import { audiencesOf } from "./tokens";

/**
 * `POST /{tenant}/oauth2/v2.0/token`: authorization_code (PKCE), refresh_token, client_credentials,
 * password (ROPC), on-behalf-of (jwt-bearer) and device_code. Confidential clients authenticate with
 * their secret (post or basic) or a certificate client assertion. Every failure is an Entra error body.
 */

const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/**
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code ("Authenticating the user":
 * grant_type "Must be urn:ietf:params:oauth:grant-type:device_code"). Entra also takes the short
 * `device_code`, which is what MSAL sends (msal-common Constants.GrantType.DEVICE_CODE_GRANT).
 */
const DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code";
const DEVICE_CODE_SHORT = "device_code";

/**
 * The token endpoint URLs a client assertion may name as `aud` on this request: this tenant's v2
 * (and v1) token endpoint, by tenant id, by any of its domains, or by the segment as asked.
 */
function assertionAudiences(req: EmulatorRequest, seg: TenantSegment): string[] {
  const names =
    seg.kind === "tenant"
      ? [seg.tenant.directory.tenantId, ...seg.tenant.directory.acceptedDomains, seg.tenant.directory.initialDomain]
      : [seg.name];
  names.push(req.params.tenant ?? "");
  return names.flatMap((n) => [`${req.origin}/${n}/oauth2/v2.0/token`, `${req.origin}/${n}/oauth2/token`]);
}

/** Client authentication: a secret (post or basic) or a certificate assertion; none for public clients. */
function authenticateClient(
  ctx: EntraContext,
  req: EmulatorRequest,
  seg: TenantSegment,
  app: AppRegistration,
  form: URLSearchParams,
  secret: string | undefined,
): TokenRequest["clientAuth"] {
  let method: TokenRequest["clientAuth"] = "none";
  if (secret !== undefined && secret !== "") {
    if (!isConfidential(app)) fail(AADSTS.publicClientNotAllowed());
    if (app.clientSecret === undefined || secret !== app.clientSecret) fail(AADSTS.badSecret(app.appId));
    method = "secret";
  }
  const assertion = form.get("client_assertion");
  if (assertion !== null && assertion !== "") {
    const type = form.get("client_assertion_type");
    if (type === null || type === "") fail(AADSTS.assertionTypeMissing());
    if (type !== CLIENT_ASSERTION_TYPE) fail(AADSTS.assertionTypeInvalid());
    if (!isConfidential(app)) fail(AADSTS.publicClientNotAllowed());
    const error = verifyClientAssertion({
      assertion,
      clientId: app.appId,
      certificates: ctx.certificates.get(app.appId) ?? [],
      audiences: assertionAudiences(req, seg),
      nowMs: ctx.now(),
    });
    if (error !== undefined) fail(error);
    method = "certificate";
  }
  return method;
}

/** client_secret_post or client_secret_basic. */
function clientCredentials(req: EmulatorRequest, form: URLSearchParams): { clientId?: string; secret?: string } {
  const auth = header(req, "authorization");
  if (auth !== undefined && /^Basic\s+/i.test(auth)) {
    const decoded = Buffer.from(auth.replace(/^Basic\s+/i, ""), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0) {
      return {
        clientId: decodeURIComponent(decoded.slice(0, colon)),
        secret: decodeURIComponent(decoded.slice(colon + 1)),
      };
    }
  }
  const out: { clientId?: string; secret?: string } = {};
  const id = form.get("client_id");
  const secret = form.get("client_secret");
  if (id !== null) out.clientId = id;
  if (secret !== null) out.secret = secret;
  return out;
}

function requireConfidential(t: TokenRequest): void {
  if (!isConfidential(t.app)) fail(AADSTS.publicClientNotAllowed());
  if (!t.authenticated) fail(AADSTS.missingSecret());
}

function concreteTenant(t: TokenRequest): TenantRecord {
  if (t.seg.kind !== "tenant") fail(AADSTS.noTenantInfo());
  return t.seg.tenant;
}

function tenantMatches(seg: TenantSegment, tenantId: string): boolean {
  return seg.kind === "multi" || seg.tenant.directory.tenantId === tenantId;
}

function delegatedFor(
  t: TokenRequest,
  tenant: TenantRecord,
  scopeParam: string,
): { request: ScopeRequest; scp: string[] } {
  if (!appPresentIn(t.app, tenant)) fail(AADSTS.consentRequired(t.app.appId, t.app.displayName));
  const request = unwrap(parseScopeRequest(scopeParam, tenant.directory.initialDomain));
  const scp = unwrap(authorizeDelegated(tenant.directory, t.app, request));
  return { request, scp };
}

function authorizationCode(t: TokenRequest): EmulatorResponse {
  const value = required(t.form, "code");
  const redirectUri = required(t.form, "redirect_uri");
  const code = t.ctx.grants.getCode(value);
  if (code === undefined) fail(AADSTS.badCode());
  if (code.clientId !== t.app.appId || !tenantMatches(t.seg, code.tenantId)) fail(AADSTS.codeClientMismatch());
  if (code.redeemed) fail(AADSTS.codeRedeemed());
  if (t.ctx.now() > code.expiresAt) fail(AADSTS.codeExpired());
  if (code.redirectUri !== redirectUri) fail(AADSTS.redirectMismatch(redirectUri, t.app.appId));
  if (code.codeChallenge !== undefined) {
    const verifier = required(t.form, "code_verifier");
    const computed = createHash("sha256").update(verifier).digest("base64url");
    if (computed !== code.codeChallenge) fail(AADSTS.pkceMismatch());
  } else if (isConfidential(t.app) && !t.authenticated) {
    fail(AADSTS.missingSecret());
  }
  code.redeemed = true;
  const tenant = t.ctx.state.getTenant(code.tenantId);
  const user = tenant?.directory.users.find((u) => u.id === code.userId);
  if (tenant === undefined || user === undefined) fail(AADSTS.badCode());
  return userTokenResponse(t, {
    tenant,
    user,
    request: code.request,
    scp: code.scp,
    scopeParam: code.scopeParam,
    ...(code.nonce === undefined ? {} : { nonce: code.nonce }),
  });
}

function refreshToken(t: TokenRequest): EmulatorResponse {
  const grant = t.ctx.grants.getRefreshToken(required(t.form, "refresh_token"));
  if (grant === undefined) fail(AADSTS.badRefreshToken());
  if (grant.clientId !== t.app.appId) fail(AADSTS.refreshTokenOtherClient());
  if (!tenantMatches(t.seg, grant.tenantId)) fail(AADSTS.badRefreshToken());
  if (t.ctx.now() > grant.expiresAt) fail(AADSTS.codeExpired());
  if (isConfidential(t.app) && !t.authenticated) fail(AADSTS.missingSecret());
  const tenant = t.ctx.state.getTenant(grant.tenantId);
  const user = tenant?.directory.users.find((u) => u.id === grant.userId);
  if (tenant === undefined || user === undefined || !user.accountEnabled) fail(AADSTS.badRefreshToken());
  const scopeParam = t.form.get("scope") ?? grant.scopeParam;
  const { request, scp } = delegatedFor(t, tenant, scopeParam);
  return userTokenResponse(t, { tenant, user, request, scp, scopeParam });
}

function password(t: TokenRequest): EmulatorResponse {
  requirePublicFlowsOrCredential(t);
  const username = required(t.form, "username");
  const pass = required(t.form, "password");
  const scopeParam = required(t.form, "scope");
  const found = findSignInUser(t.ctx, t.seg, username);
  if (!found.ok) fail(found.error);
  const bad = checkPassword(found.user, pass);
  if (bad !== undefined) fail(bad);
  const { request, scp } = delegatedFor(t, found.tenant, scopeParam);
  return userTokenResponse(t, { tenant: found.tenant, user: found.user, request, scp, scopeParam });
}

function clientCredentialsGrant(t: TokenRequest): EmulatorResponse {
  requireConfidential(t);
  const tenant = concreteTenant(t);
  const scope = required(t.form, "scope").trim();
  const parts = scope.split(/\s+/);
  if (parts.length !== 1 || !scope.endsWith("/.default")) fail(AADSTS.clientCredentialsScope(scope));
  const prefix = scope.slice(0, -"/.default".length);
  const resource = findResource(prefix);
  if (resource === undefined) fail(AADSTS.unknownResource(prefix, tenant.directory.initialDomain));
  const sp = tenant.directory.servicePrincipals.find((s) => s.appId === t.app.appId);
  if (sp === undefined) {
    // In its home tenant the registration exists but its service principal does not (never consented, or
    // deleted): AADSTS7000229, invalid_client (quoted in Azure/azure-sdk-for-net#46762). Elsewhere the app
    // is unknown to the tenant: AADSTS700016.
    fail(
      t.app.homeTenantId === tenant.directory.tenantId
        ? entraError(
            7000229,
            "invalid_client",
            `The client application ${t.app.appId} is missing service principal in the tenant ${tenant.directory.tenantId}. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119`,
            401,
          )
        : AADSTS.unknownApp(t.app.appId, tenant.directory.initialDomain),
    );
  }
  // As in Entra, a token without roles is issued when nothing was granted; the API then refuses it.
  const roles = grantedAppRoles(tenant.directory, t.app.appId, resource.appId);
  const access = t.ctx.tokens.issueAccessToken({
    tenant: tenant.directory,
    client: {
      appId: t.app.appId,
      displayName: t.app.displayName,
      confidential: true,
      certificate: t.clientAuth === "certificate",
    },
    resource,
    audience: resource.accessTokenVersion === 2 ? resource.appId : prefix.replace(/\/+$/, ""),
    servicePrincipal: sp,
    roles,
  });
  return json(
    200,
    {
      token_type: "Bearer",
      expires_in: access.expiresIn,
      ext_expires_in: access.expiresIn,
      access_token: access.token,
    },
    { "cache-control": "no-store, no-cache", pragma: "no-cache" },
  );
}

function onBehalfOf(t: TokenRequest): EmulatorResponse {
  requireConfidential(t);
  const use = required(t.form, "requested_token_use");
  if (use !== "on_behalf_of")
    fail(
      AADSTS.invalidRequest(
        `The request body must contain the following parameter: 'requested_token_use' with the value 'on_behalf_of'.`,
      ),
    );
  const assertion = required(t.form, "assertion");
  const scopeParam = required(t.form, "scope");
  const ownAudiences = [t.app.appId, ...(t.app.api ? audiencesOf(t.app.api) : [])];
  const verified = t.ctx.tokens.verifyAccessToken(assertion, { audience: ownAudiences });
  if (!verified.ok) {
    if (verified.reason === "expired" || verified.reason === "not_yet_valid") fail(AADSTS.assertionExpired());
    if (verified.reason === "wrong_audience") {
      const aud = decodeAudience(assertion);
      fail(AADSTS.assertionAudience(aud, t.app.appId));
    }
    fail(AADSTS.badAssertion(verified.message));
  }
  const claims = verified.claims;
  if (claims.idtyp !== "user" || claims.scp === undefined) fail(AADSTS.oboRequiresUser());
  if (!tenantMatches(t.seg, claims.tid)) fail(AADSTS.assertionTenant());
  const tenant = t.ctx.state.getTenant(claims.tid);
  const user = tenant?.directory.users.find((u) => u.id === claims.oid);
  if (tenant === undefined || user === undefined)
    fail(AADSTS.badAssertion("The user in the assertion does not exist."));
  if (!user.accountEnabled) fail(AADSTS.userDisabled());
  const { request, scp } = delegatedFor(t, tenant, scopeParam);
  return userTokenResponse(t, { tenant, user, request, scp, scopeParam });
}

function decodeAudience(token: string): string {
  try {
    return String(decodeJwt(token).aud);
  } catch {
    return "";
  }
}

export function tokenEndpoint(ctx: EntraContext, req: EmulatorRequest): EmulatorResponse {
  const now = new Date(ctx.now());
  const type = (header(req, "content-type") ?? "").toLowerCase();
  const isForm = type.startsWith("application/x-www-form-urlencoded");
  const form = isForm ? parseForm(req) : new URLSearchParams();
  const correlationId = requestCorrelationId(req, form);
  try {
    const seg = unwrap(resolveTenantSegment(ctx, req.params.tenant ?? ""));
    if (!isForm) {
      fail(AADSTS.invalidRequest("The request body must contain the following parameter: 'grant_type'."));
    }
    const grantType = required(form, "grant_type");
    const creds = clientCredentials(req, form);
    if (creds.clientId === undefined || creds.clientId === "") fail(AADSTS.missingParameter("client_id"));
    const client = findClient(seg, creds.clientId);
    // In its home tenant a registration exists without a service principal; client credentials then
    // answer AADSTS7000229 (clientCredentialsGrant), not "not found".
    const home = findAppRegistration(creds.clientId);
    const homeOnly =
      !client.ok &&
      grantType === "client_credentials" &&
      seg.kind === "tenant" &&
      home?.homeTenantId === seg.tenant.directory.tenantId;
    if (!client.ok && !homeOnly) fail(client.error);
    const app = client.ok ? client.app : home!;
    const clientAuth = authenticateClient(ctx, req, seg, app, form, creds.secret);
    const t: TokenRequest = { ctx, seg, form, app, authenticated: clientAuth !== "none", clientAuth };
    switch (grantType) {
      case "authorization_code":
        return authorizationCode(t);
      case "refresh_token":
        return refreshToken(t);
      case "password":
        return password(t);
      case "client_credentials":
        return clientCredentialsGrant(t);
      case JWT_BEARER:
        return onBehalfOf(t);
      case DEVICE_CODE:
      case DEVICE_CODE_SHORT:
        return deviceCodeGrant(t);
      default:
        return fail(AADSTS.unsupportedGrant(grantType));
    }
  } catch (e) {
    if (e instanceof EntraFailure) return entraErrorResponse(e.error, now, correlationId);
    throw e;
  }
}
