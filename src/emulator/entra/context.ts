import { findAppRegistration, type AppRegistration } from "../directory/apps";
import type { DirectoryUser } from "../directory/types";
import type { StateStore } from "../state";
import { findTenantOfUser, type TenantRecord } from "../tenant";
import type { AppCertificates } from "./appCertificates";
import { AADSTS, type EntraError } from "./errors";
import type { GrantStore } from "./grants";
import type { TokenService } from "./tokens";

/** What the Entra endpoints share: state, grants, the token service and the clock. */
export interface EntraContext {
  state: StateStore;
  grants: GrantStore;
  tokens: TokenService;
  now: () => number;
  /** Certificate credentials of the app registrations (made in the data folder at start-up). */
  certificates: AppCertificates;
}

/** A confidential client proves itself with a secret or a certificate; a public client has neither. */
export function isConfidential(app: AppRegistration): boolean {
  return app.clientSecret !== undefined || app.certificate !== undefined;
}

/** `common` and `organizations` are multi-tenant authorities: the user's tenant is found from the user. */
export const MULTI_TENANT_SEGMENTS = ["common", "organizations"] as const;

export type TenantSegment = { kind: "tenant"; tenant: TenantRecord } | { kind: "multi"; name: string };

export function resolveTenantSegment(ctx: EntraContext, segment: string): TenantSegment | EntraError {
  const lower = segment.toLowerCase();
  if ((MULTI_TENANT_SEGMENTS as readonly string[]).includes(lower)) return { kind: "multi", name: lower };
  const tenant = ctx.state.getTenant(lower);
  return tenant === undefined ? AADSTS.unknownTenant(segment) : { kind: "tenant", tenant };
}

export function segmentName(seg: TenantSegment): string {
  return seg.kind === "tenant" ? seg.tenant.directory.initialDomain : seg.name;
}

/** The app registration, if it is usable in the tenant (its home tenant or a service principal there). */
export function findClient(
  seg: TenantSegment,
  clientId: string,
): { ok: true; app: AppRegistration } | { ok: false; error: EntraError } {
  const app = findAppRegistration(clientId);
  const tenantName = segmentName(seg);
  if (app === undefined) return { ok: false, error: AADSTS.unknownApp(clientId, tenantName) };
  if (seg.kind === "tenant" && !appPresentIn(app, seg.tenant)) {
    return { ok: false, error: AADSTS.unknownApp(clientId, tenantName) };
  }
  if (seg.kind === "multi" && app.signInAudience === "AzureADMyOrg") {
    return {
      ok: false,
      error: {
        status: 400,
        error: "invalid_request",
        code: 50194,
        message: `Application '${app.appId}'(${app.displayName}) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.`,
      },
    };
  }
  return { ok: true, app };
}

export function appPresentIn(app: AppRegistration, tenant: TenantRecord): boolean {
  return (
    tenant.directory.servicePrincipals.some((sp) => sp.appId === app.appId) ||
    (app.homeTenantId === tenant.directory.tenantId && app.signInAudience === "AzureADMyOrg")
  );
}

/** A user by UPN for a sign-in, with Entra's errors for an unknown user or one of another tenant. */
export function findSignInUser(
  ctx: EntraContext,
  seg: TenantSegment,
  username: string,
): { ok: true; tenant: TenantRecord; user: DirectoryUser } | { ok: false; error: EntraError } {
  const tenant = seg.kind === "tenant" ? seg.tenant : findTenantOfUser(ctx.state.tenants, username);
  const lower = username.toLowerCase();
  const user = tenant?.directory.users.find((u) => u.userPrincipalName.toLowerCase() === lower);
  if (tenant === undefined || user === undefined) {
    return { ok: false, error: AADSTS.userNotInTenant(username, tenant?.directory.initialDomain ?? segmentName(seg)) };
  }
  return { ok: true, tenant, user };
}

export function checkPassword(user: DirectoryUser, password: string): EntraError | undefined {
  if (user.password === undefined || user.password !== password) return AADSTS.badPassword();
  if (!user.accountEnabled) return AADSTS.userDisabled();
  return undefined;
}

/** `client_info`: base64url of {"uid": oid, "utid": tid}; MSAL builds the account id from it. */
export function clientInfo(user: DirectoryUser, tenantId: string): string {
  return Buffer.from(JSON.stringify({ uid: user.id, utid: tenantId })).toString("base64url");
}
