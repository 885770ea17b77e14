import type { DirectoryUser } from "../directory/types";
import { html, parseForm, redirect } from "../http/router";
import type { EmulatorRequest, EmulatorResponse } from "../http/types";
import type { TenantRecord } from "../tenant";
import { seedAccounts, signInFailureText } from "./authorize";
import { findAppRegistration } from "../directory/apps";
import { checkPassword, findSignInUser, segmentName, type EntraContext } from "./context";
import { grantSegment } from "./deviceCode";
import { confirmPage, donePage, enterCodePage } from "./deviceLoginPage";
import { AADSTS, entraErrorBody, type EntraError } from "./errors";
import type { DeviceCodeGrant } from "./grants";
import { authorizeDelegated, isEntraError } from "./scopes";
import { errorPage, signInPage } from "./signInPage";

/**
 * Where the user completes a device code sign-in: `GET /devicelogin` (the emulator's stand-in for
 * https://microsoft.com/devicelogin) redirects to `/common/oauth2/deviceauth`, as Microsoft's does to
 * login.microsoftonline.com/common/oauth2/deviceauth. There the user enters the code, confirms the
 * app ("Are you trying to sign in to ...?", Continue or Cancel) and signs in with the sign-in form.
 * The code decides the tenant and the app; the sign-in is checked like the authorization code
 * flow's (password, disabled account, the app's consent in the user's tenant).
 */

export const DEVICE_AUTH_PATH = "/common/oauth2/deviceauth";

/**
 * The page's text for a code that is unknown, used, expired or already answered. Observed on
 * Entra's page: "We don't recognize this code, please enter the code again"
 * (AzureAD/azure-activedirectory-library-for-dotnet#1327).
 */
const UNKNOWN_CODE = "We don't recognize this code, please enter the code again.";

export function deviceLoginRedirect(): EmulatorResponse {
  return redirect(DEVICE_AUTH_PATH, { "cache-control": "no-store" });
}

const page = (body: string, status = 200): EmulatorResponse => html(status, body, { "cache-control": "no-store" });

export function deviceAuthGet(_ctx: EntraContext, req: EmulatorRequest): EmulatorResponse {
  return page(enterCodePage(req.path, { code: req.query.get("otc") ?? "" }));
}

/** A code the user may still answer: known, pending and not expired. */
function openGrant(ctx: EntraContext, code: string): DeviceCodeGrant | undefined {
  const grant = ctx.grants.getDeviceCodeByUserCode(code);
  return grant !== undefined && grant.status === "pending" && ctx.now() <= grant.expiresAt ? grant : undefined;
}

function appName(grant: DeviceCodeGrant): string {
  return findAppRegistration(grant.clientId)?.displayName ?? grant.clientId;
}

/** Approves the code for the user, or records why the poll must fail (consent, scopes). */
function approve(
  ctx: EntraContext,
  grant: DeviceCodeGrant,
  tenant: TenantRecord,
  user: DirectoryUser,
): EntraError | undefined {
  const app = findAppRegistration(grant.clientId);
  const consented = tenant.directory.servicePrincipals.some((sp) => sp.appId === grant.clientId);
  const scp =
    app === undefined
      ? AADSTS.unknownApp(grant.clientId, tenant.directory.initialDomain)
      : !consented
        ? AADSTS.consentRequired(app.appId, app.displayName)
        : authorizeDelegated(tenant.directory, app, grant.request);
  if (isEntraError(scp)) {
    grant.status = "failed";
    grant.failure = scp;
    return scp;
  }
  grant.status = "approved";
  grant.tenantId = tenant.directory.tenantId;
  grant.userId = user.id;
  grant.scp = scp;
  return undefined;
}

export function deviceAuthPost(ctx: EntraContext, req: EmulatorRequest): EmulatorResponse {
  const form = parseForm(req);
  // The sign-in form (signInPage) carries the step and the code in `q`.
  const carried = new URLSearchParams(form.get("q") ?? "");
  const step = form.get("step") ?? carried.get("step") ?? "code";
  const code = (form.get("otc") ?? carried.get("otc") ?? "").trim();
  const grant = openGrant(ctx, code);
  if (grant === undefined) return page(enterCodePage(req.path, { error: UNKNOWN_CODE, code }));
  const seg = grantSegment(ctx, grant);
  if (seg === undefined) return page(enterCodePage(req.path, { error: UNKNOWN_CODE, code }));
  const name = appName(grant);
  const signIn = (options: { error?: string; username?: string } = {}): EmulatorResponse =>
    page(
      signInPage({
        action: req.path,
        query: new URLSearchParams({ otc: code, step: "signin" }).toString(),
        tenantName: segmentName(seg),
        appName: name,
        accounts: seedAccounts(ctx, seg),
        ...(options.username === undefined ? {} : { loginHint: options.username }),
        ...(options.error === undefined ? {} : { error: options.error }),
      }),
    );
  if (step === "code") return page(confirmPage(req.path, code, name));
  if (step === "confirm") {
    if (form.get("decision") === "cancel") {
      grant.status = "declined";
      return page(donePage(name, "declined"));
    }
    return signIn();
  }
  const username = (form.get("username") ?? "").trim();
  const found = findSignInUser(ctx, seg, username);
  const failure = found.ok ? checkPassword(found.user, form.get("password") ?? "") : found.error;
  if (failure !== undefined || !found.ok) return signIn({ error: signInFailureText(failure), username });
  const refused = approve(ctx, grant, found.tenant, found.user);
  if (refused !== undefined) {
    const body = entraErrorBody(refused, new Date(ctx.now()));
    return page(errorPage("Sorry, but we're having trouble signing you in.", body.error_description), refused.status);
  }
  return page(donePage(name, "signed_in"));
}
