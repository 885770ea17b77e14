import {
  findAppRegistration,
  findResource,
  GRAPH_APP,
  redirectUriAllowed,
  type AppRegistration,
} from "../directory/apps";
import { ROLE_TEMPLATE_IDS, type DirectoryUser, type TenantDirectory } from "../directory/types";
import { html, parseForm, redirect } from "../http/router";
import type { EmulatorRequest, EmulatorResponse } from "../http/types";
import { stableGuid } from "../ids";
import type { TenantRecord } from "../tenant";
import { seedAccounts, signInFailureText } from "./authorize";
import {
  checkPassword,
  findSignInUser,
  resolveTenantSegment,
  segmentName,
  type EntraContext,
  type TenantSegment,
} from "./context";
import { AADSTS, entraError, entraErrorBody, type EntraError } from "./errors";
import { sessionUser } from "./authorize";
import { SESSION_COOKIE } from "./grants";
import { isEntraError } from "./scopes";
import { errorPage, escapeHtml, signInPage } from "./signInPage";

/**
 * The admin consent endpoint: `GET /{tenant}/adminconsent?client_id&redirect_uri&state` (v1, as the
 * multi-tenant daemon samples use it) and `GET /{tenant}/v2.0/adminconsent?client_id&scope&redirect_uri&state`
 * (https://learn.microsoft.com/entra/identity-platform/v2-admin-consent). An administrator signs in and
 * approves; the app's service principal is created in the tenant when missing and what it asks for is
 * granted tenant-wide. With `/.default` (and on v1) that is the permissions the registration lists as
 * required (its application permissions: `requiredAppRoles`); named v2 scopes are delegated permissions.
 * - Success: redirect to redirect_uri with `admin_consent=True&tenant=<id>[&scope=…]&state=…` (doc,
 *   "Successful response").
 * - Declined: `error=access_denied&error_description=AADSTS65004: User declined to consent to access the app.`
 *   (AADSTS error codes reference: 65004 UserDeclinedConsent).
 * - Who may consent (https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent,
 *   Prerequisites): Global Administrator or Privileged Role Administrator for any permission of any API;
 *   Cloud Application Administrator or Application Administrator for any permission "except Microsoft Graph
 *   app roles (application permissions)". Anyone else: `access_denied` with AADSTS90094 ("The grant requires
 *   admin permission.", the text Entra shows users without the right).
 * - client_id, redirect_uri and the tenant are checked before anything is sent to the redirect URI; their
 *   errors are shown as a page, as on the authorize endpoint.
 */

export const ADMIN_CONSENT_PATHS = ["/:tenant/adminconsent", "/:tenant/v2.0/adminconsent"] as const;

/** Built-in role template ids (Microsoft Entra built-in roles reference). */
export const CONSENT_ROLES = {
  privilegedRoleAdministrator: "e8611ab8-c189-46e8-94e1-60213ab1f814",
  cloudApplicationAdministrator: "158c047a-c907-4556-b7ef-446551a6b5f7",
  applicationAdministrator: "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
} as const;

interface ConsentRequest {
  seg: TenantSegment;
  app: AppRegistration;
  redirectUri: string;
  state?: string;
  v2: boolean;
  /** v2 `scope` as asked (empty on v1). */
  scope: string;
  params: URLSearchParams;
}

/** What consenting grants: application permissions and (v2, named scopes) delegated ones, per resource. */
interface ConsentPlan {
  appRoles: { resourceAppId: string; resourceName: string; values: string[] }[];
  delegated: { resourceAppId: string; resourceName: string; values: string[] }[];
}

function pageError(ctx: EntraContext, err: EntraError): EmulatorResponse {
  const body = entraErrorBody(err, new Date(ctx.now()));
  return html(err.status, errorPage("Sorry, but we're having trouble signing you in.", body.error_description));
}

function validate(ctx: EntraContext, req: EmulatorRequest, params: URLSearchParams): ConsentRequest | EmulatorResponse {
  const seg = resolveTenantSegment(ctx, req.params.tenant ?? "");
  if (isEntraError(seg)) return pageError(ctx, seg);
  const clientId = params.get("client_id");
  if (clientId === null || clientId === "") return pageError(ctx, AADSTS.missingParameter("client_id"));
  const app = findAppRegistration(clientId);
  if (app === undefined) return pageError(ctx, AADSTS.unknownApp(clientId, segmentName(seg)));
  // A single-tenant app can be consented to only in its home tenant.
  if (
    app.signInAudience === "AzureADMyOrg" &&
    (seg.kind === "multi" || seg.tenant.directory.tenantId !== app.homeTenantId)
  ) {
    return pageError(ctx, AADSTS.unknownApp(clientId, segmentName(seg)));
  }
  const redirectUri = params.get("redirect_uri");
  if (redirectUri === null || redirectUri === "" || !redirectUriAllowed(app, redirectUri)) {
    return pageError(ctx, AADSTS.redirectMismatch(redirectUri ?? "", app.appId));
  }
  const state = params.get("state") ?? undefined;
  return {
    seg,
    app,
    redirectUri,
    v2: /\/v2\.0\/adminconsent$/i.test(req.path),
    scope: params.get("scope") ?? "",
    params,
    ...(state === undefined ? {} : { state }),
  };
}

function back(c: ConsentRequest, fields: Record<string, string>): EmulatorResponse {
  const all = { ...fields, ...(c.state === undefined ? {} : { state: c.state }) };
  const qs = new URLSearchParams(all).toString();
  return redirect(`${c.redirectUri}${c.redirectUri.includes("?") ? "&" : "?"}${qs}`);
}

function backWithError(ctx: EntraContext, c: ConsentRequest, err: EntraError, tenantId?: string): EmulatorResponse {
  const body = entraErrorBody(err, new Date(ctx.now()));
  return back(c, {
    error: err.error,
    error_description: body.error_description,
    ...(tenantId === undefined ? {} : { admin_consent: "True", tenant: tenantId }),
  });
}

function resourceName(appId: string): string {
  return findResource(appId)?.displayName ?? appId;
}

/** The permissions consent would grant, or an error for a malformed v2 scope. */
function plan(c: ConsentRequest): ConsentPlan | EntraError {
  const required = (): ConsentPlan["appRoles"] =>
    (c.app.requiredAppRoles ?? []).map((r) => ({
      resourceAppId: r.resourceAppId,
      resourceName: resourceName(r.resourceAppId),
      values: [...r.appRoles],
    }));
  if (!c.v2) return { appRoles: required(), delegated: [] };
  if (c.scope.trim() === "") return AADSTS.missingParameter("scope");
  const out: ConsentPlan = { appRoles: [], delegated: [] };
  for (const s of c.scope.trim().split(/\s+/)) {
    if (["openid", "profile", "email", "offline_access"].includes(s)) continue;
    if (s.endsWith("/.default")) {
      out.appRoles = required();
      continue;
    }
    const slash = s.lastIndexOf("/");
    const resource = slash > 0 ? findResource(s.slice(0, slash)) : GRAPH_APP;
    const value = slash > 0 ? s.slice(slash + 1) : s;
    if (resource === undefined || !resource.delegatedScopes.includes(value)) return AADSTS.invalidScope(s);
    const entry = out.delegated.find((d) => d.resourceAppId === resource.appId);
    if (entry === undefined)
      out.delegated.push({ resourceAppId: resource.appId, resourceName: resource.displayName, values: [value] });
    else if (!entry.values.includes(value)) entry.values.push(value);
  }
  return out;
}

/** Whether the user's roles let them grant everything in the plan. */
function mayConsent(user: DirectoryUser, p: ConsentPlan): boolean {
  const has = (id: string): boolean => user.roles.includes(id);
  if (has(ROLE_TEMPLATE_IDS.globalAdministrator) || has(CONSENT_ROLES.privilegedRoleAdministrator)) return true;
  const appAdmin = has(CONSENT_ROLES.cloudApplicationAdministrator) || has(CONSENT_ROLES.applicationAdministrator);
  const graphAppRoles = p.appRoles.some((r) => r.resourceAppId === GRAPH_APP.appId && r.values.length > 0);
  return appAdmin && !graphAppRoles;
}

function grant(directory: TenantDirectory, app: AppRegistration, p: ConsentPlan): void {
  if (!directory.servicePrincipals.some((sp) => sp.appId === app.appId)) {
    directory.servicePrincipals.push({
      appId: app.appId,
      id: stableGuid(`${directory.tenantId}/sp/${app.appId}`),
      roles: [],
    });
  }
  for (const r of p.appRoles) {
    const existing = directory.applicationGrants.find(
      (g) => g.clientAppId === app.appId && g.resourceAppId === r.resourceAppId,
    );
    if (existing === undefined)
      directory.applicationGrants.push({
        clientAppId: app.appId,
        resourceAppId: r.resourceAppId,
        appRoles: [...r.values],
      });
    else for (const v of r.values) if (!existing.appRoles.includes(v)) existing.appRoles.push(v);
  }
  for (const d of p.delegated) {
    const existing = directory.delegatedGrants.find(
      (g) => g.clientAppId === app.appId && g.resourceAppId === d.resourceAppId,
    );
    if (existing === undefined)
      directory.delegatedGrants.push({ clientAppId: app.appId, resourceAppId: d.resourceAppId, scopes: [...d.values] });
    else for (const v of d.values) if (!existing.scopes.includes(v)) existing.scopes.push(v);
  }
}

function renderSignIn(
  ctx: EntraContext,
  req: EmulatorRequest,
  c: ConsentRequest,
  error?: string,
  username?: string,
): EmulatorResponse {
  return html(
    200,
    signInPage({
      action: req.path,
      query: c.params.toString(),
      tenantName: segmentName(c.seg),
      appName: c.app.displayName,
      accounts: seedAccounts(ctx, c.seg),
      ...(username === undefined ? {} : { loginHint: username }),
      ...(error === undefined ? {} : { error }),
    }),
    { "cache-control": "no-store" },
  );
}

/** Entra's "Permissions requested / Accept for your organization" prompt. */
function renderConsent(
  req: EmulatorRequest,
  c: ConsentRequest,
  user: DirectoryUser,
  tenant: TenantRecord,
  p: ConsentPlan,
  headers: Record<string, string> = {},
): EmulatorResponse {
  const items = [
    ...p.appRoles.flatMap((r) =>
      r.values.map((v) => `<li>${escapeHtml(v)} (${escapeHtml(r.resourceName)}, application permission)</li>`),
    ),
    ...p.delegated.flatMap((r) =>
      r.values.map((v) => `<li>${escapeHtml(v)} (${escapeHtml(r.resourceName)}, delegated permission)</li>`),
    ),
  ].join("");
  const hidden = `<input type="hidden" name="q" value="${escapeHtml(c.params.toString())}">`;
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Permissions requested</title>
<style>body{font-family:"Segoe UI",system-ui,sans-serif;background:#f2f2f2;margin:0}main{max-width:440px;margin:48px auto;background:#fff;padding:32px 40px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:24px;font-weight:600}button{margin:20px 12px 0 0;padding:6px 20px;font-size:15px;border:0;cursor:pointer}.accept{background:#0067b8;color:#fff}</style></head>
<body><main>
<p>${escapeHtml(user.userPrincipalName)}</p>
<h1>Permissions requested</h1>
<p><strong>${escapeHtml(c.app.displayName)}</strong> asks to be granted, for everyone in ${escapeHtml(tenant.directory.displayName)}:</p>
<ul id="permissions">${items || "<li>Sign in and read your profile</li>"}</ul>
<p>Accepting these permissions means that you allow this app to use your organization's data. No one in your organization will be asked to consent.</p>
<form method="post" action="${escapeHtml(req.path)}">${hidden}
<button class="accept" type="submit" name="consent" value="accept">Accept</button>
<button type="submit" name="consent" value="cancel">Cancel</button>
</form></main></body></html>`;
  return html(200, page, { "cache-control": "no-store", ...headers });
}

/** After sign-in: the role check, then the consent prompt. */
function afterSignIn(
  ctx: EntraContext,
  req: EmulatorRequest,
  c: ConsentRequest,
  tenant: TenantRecord,
  user: DirectoryUser,
  headers: Record<string, string> = {},
): EmulatorResponse {
  const p = plan(c);
  if (isEntraError(p)) return backWithError(ctx, c, p);
  if (!mayConsent(user, p)) {
    const res = backWithError(ctx, c, entraError(90094, "access_denied", "The grant requires admin permission."));
    res.headers = { ...res.headers, ...headers };
    return res;
  }
  return renderConsent(req, c, user, tenant, p, headers);
}

export function adminConsentGet(ctx: EntraContext, req: EmulatorRequest): EmulatorResponse {
  const c = validate(ctx, req, req.query);
  if ("status" in c) return c;
  const p = plan(c);
  if (isEntraError(p)) return backWithError(ctx, c, p);
  const signedIn = req.query.get("prompt") === "login" ? undefined : sessionUser(ctx, req, c.seg);
  if (signedIn !== undefined) return afterSignIn(ctx, req, c, signedIn.tenant, signedIn.user);
  return renderSignIn(ctx, req, c);
}

export function adminConsentPost(ctx: EntraContext, req: EmulatorRequest): EmulatorResponse {
  const form = parseForm(req);
  const c = validate(ctx, req, new URLSearchParams(form.get("q") ?? ""));
  if ("status" in c) return c;
  const decision = form.get("consent");
  if (decision === "accept" || decision === "cancel") {
    const signedIn = sessionUser(ctx, req, c.seg);
    if (signedIn === undefined) return renderSignIn(ctx, req, c, "Your session has ended. Please sign in again.");
    const tenantId = signedIn.tenant.directory.tenantId;
    if (decision === "cancel") {
      // v2: the doc's "Error response" example; v1: access_denied with 65004 UserDeclinedConsent's text.
      const declined = c.v2
        ? entraError(65004, "consent_required", "The resource owner or authorization server denied the request.")
        : entraError(65004, "access_denied", "User declined to consent to access the app.");
      return backWithError(ctx, c, declined, c.v2 ? tenantId : undefined);
    }
    const p = plan(c);
    if (isEntraError(p)) return backWithError(ctx, c, p);
    if (!mayConsent(signedIn.user, p))
      return backWithError(ctx, c, entraError(90094, "access_denied", "The grant requires admin permission."));
    grant(signedIn.tenant.directory, c.app, p);
    ctx.state.changed();
    return back(c, { admin_consent: "True", tenant: tenantId, ...(c.v2 ? { scope: c.scope } : {}) });
  }
  const username = (form.get("username") ?? "").trim();
  const found = findSignInUser(ctx, c.seg, username);
  const failure = found.ok ? checkPassword(found.user, form.get("password") ?? "") : found.error;
  if (failure !== undefined || !found.ok) return renderSignIn(ctx, req, c, signInFailureText(failure), username);
  const session = ctx.grants.addSession({ tenantId: found.tenant.directory.tenantId, userId: found.user.id });
  return afterSignIn(ctx, req, c, found.tenant, found.user, {
    "set-cookie": `${SESSION_COOKIE}=${session}; Path=/; Secure; HttpOnly; SameSite=None`,
  });
}
