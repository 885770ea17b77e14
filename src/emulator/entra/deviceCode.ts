import { header, json, parseForm } from "../http/router";
import type { EmulatorRequest, EmulatorResponse } from "../http/types";
import type { TenantRecord } from "../tenant";
import { findClient, resolveTenantSegment, segmentName, type EntraContext, type TenantSegment } from "./context";
import { requestCorrelationId } from "./correlation";
import { AADSTS, entraErrorResponse } from "./errors";
import { DEVICE_CODE_INTERVAL_S, DEVICE_CODE_LIFETIME_S, type DeviceCodeGrant } from "./grants";
import { isEntraError, parseScopeRequest } from "./scopes";
import { fail, required, requirePublicFlowsOrCredential, userTokenResponse, type TokenRequest } from "./tokenRequest";

/**
 * The device authorization grant, as https://learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code
 * describes it:
 * - `POST /{tenant}/oauth2/v2.0/devicecode` (client_id, scope) answers device_code, user_code,
 *   verification_uri, expires_in (900), interval (5) and message ("A human-readable string with
 *   instructions for the user"; Entra's: "To sign in, use a web browser to open the page
 *   https://microsoft.com/devicelogin and enter the code BPPVYQZMA to authenticate.", observed in
 *   Azure/azure-sdk-for-python#32375). No verification_uri_complete ("not included or supported").
 * - the client polls the token endpoint with grant_type=urn:ietf:params:oauth:grant-type:device_code
 *   and device_code, getting authorization_pending, authorization_declined, bad_verification_code or
 *   expired_token until the user has signed in at the verification URI (deviceLogin.ts).
 * The emulator's verification URI is its own `/devicelogin`, standing in for microsoft.com/devicelogin
 * (which redirects to login.microsoftonline.com/common/oauth2/deviceauth, as the emulator's does).
 */

export const DEVICE_LOGIN_PATH = "/devicelogin";

/** The segment a device code was asked for: the tenant id, or common/organizations. */
function segmentKey(seg: TenantSegment): string {
  return seg.kind === "tenant" ? seg.tenant.directory.tenantId : seg.name;
}

/** The tenant segment a stored device code was asked for. */
export function grantSegment(ctx: EntraContext, grant: DeviceCodeGrant): TenantSegment | undefined {
  const seg = resolveTenantSegment(ctx, grant.tenantSegment);
  return isEntraError(seg) ? undefined : seg;
}

export function deviceCodeEndpoint(ctx: EntraContext, req: EmulatorRequest): EmulatorResponse {
  const now = ctx.now();
  const type = (header(req, "content-type") ?? "").toLowerCase();
  const form = type.startsWith("application/x-www-form-urlencoded") ? parseForm(req) : new URLSearchParams();
  const correlationId = requestCorrelationId(req, form);
  const error = (e: Parameters<typeof entraErrorResponse>[0]): EmulatorResponse =>
    entraErrorResponse(e, new Date(now), correlationId);
  const seg = resolveTenantSegment(ctx, req.params.tenant ?? "");
  if (isEntraError(seg)) return error(seg);
  const clientId = form.get("client_id");
  if (clientId === null || clientId === "") return error(AADSTS.missingParameter("client_id"));
  const client = findClient(seg, clientId);
  if (!client.ok) return error(client.error);
  const scopeParam = form.get("scope");
  if (scopeParam === null || scopeParam.trim() === "") return error(AADSTS.missingParameter("scope"));
  const request = parseScopeRequest(scopeParam, segmentName(seg));
  if (isEntraError(request)) return error(request);
  const codes = ctx.grants.addDeviceCode({
    clientId: client.app.appId,
    tenantSegment: segmentKey(seg),
    scopeParam,
    request,
    expiresAt: now + DEVICE_CODE_LIFETIME_S * 1000,
    status: "pending",
  });
  const verificationUri = `${req.origin}${DEVICE_LOGIN_PATH}`;
  return json(
    200,
    {
      user_code: codes.userCode,
      device_code: codes.deviceCode,
      verification_uri: verificationUri,
      expires_in: DEVICE_CODE_LIFETIME_S,
      interval: DEVICE_CODE_INTERVAL_S,
      message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${codes.userCode} to authenticate.`,
    },
    { "cache-control": "no-store, no-cache", pragma: "no-cache" },
  );
}

/** The token endpoint's `grant_type=urn:ietf:params:oauth:grant-type:device_code`. */
export function deviceCodeGrant(t: TokenRequest): EmulatorResponse {
  requirePublicFlowsOrCredential(t);
  const deviceCode = required(t.form, "device_code");
  const grant = t.ctx.grants.getDeviceCode(deviceCode);
  // "The device_code sent to the /token endpoint wasn't recognized": unknown, another client's, or
  // polled at another tenant than it was asked for ("The same tenant or tenant alias used in the initial request").
  if (grant === undefined || grant.clientId !== t.app.appId || grant.tenantSegment !== segmentKey(t.seg)) {
    fail(AADSTS.badDeviceCode());
  }
  if (t.ctx.now() > grant.expiresAt) fail(AADSTS.deviceCodeExpired());
  if (grant.status === "pending") fail(AADSTS.deviceAuthorizationPending());
  if (grant.status === "declined") fail(AADSTS.deviceAuthorizationDeclined());
  if (grant.status === "failed") fail(grant.failure ?? AADSTS.deviceAuthorizationDeclined());
  const tenant: TenantRecord | undefined =
    grant.tenantId === undefined ? undefined : t.ctx.state.getTenant(grant.tenantId);
  const user = tenant?.directory.users.find((u) => u.id === grant.userId);
  if (tenant === undefined || user === undefined || grant.scp === undefined) fail(AADSTS.badDeviceCode());
  if (!user.accountEnabled) fail(AADSTS.userDisabled());
  t.ctx.grants.removeDeviceCode(deviceCode);
  return userTokenResponse(t, { tenant, user, request: grant.request, scp: grant.scp, scopeParam: grant.scopeParam });
}
