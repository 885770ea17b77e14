import type { AppRegistration } from "../directory/apps";
import { redirectUriAllowed } from "../directory/apps";
import { ROLE_TEMPLATE_IDS, type DirectoryUser } from "../directory/types";
import { header, html, parseForm, redirect } from "../http/router";
import type { EmulatorRequest, EmulatorResponse } from "../http/types";
import type { TenantRecord } from "../tenant";
import {
  checkPassword,
  clientInfo,
  findClient,
  findSignInUser,
  resolveTenantSegment,
  segmentName,
  type EntraContext,
  type TenantSegment,
} from "./context";
import { AADSTS, entraErrorBody, type EntraError } from "./errors";
import { AUTH_CODE_LIFETIME_MS, SESSION_COOKIE } from "./grants";
import { authorizeDelegated, isEntraError, parseScopeRequest, type ScopeRequest } from "./scopes";
import { errorPage, formPostPage, signInPage } from "./signInPage";

/**
 * `/{tenant}/oauth2/v2.0/authorize`: authorization code flow with PKCE (S256). GET validates the
 * request and shows the sign-in page (or answers at once from the sign-in session); POST takes the
 * form. Errors about the client or the redirect URI are shown as a page (the redirect URI cannot
 * be trusted); all others go back to the redirect URI, as Entra does.
 */

type ResponseMode = "query" | "fragment" | "form_post";

interface ValidAuthorizeRequest {
  seg: TenantSegment;
  app: AppRegistration;
  redirectUri: string;
  responseMode: ResponseMode;
  state?: string;
  params: URLSearchParams;
  /** The caller's client-request-id (header or authorize parameter), echoed in errors. */
  correlationId?: string;
}

const ROLE_NAMES: Record<string, string> = {
  [ROLE_TEMPLATE_IDS.globalAdministrator]: "Global Administrator",
  [ROLE_TEMPLATE_IDS.exchangeAdministrator]: "Exchange Administrator",
  [ROLE_TEMPLATE_IDS.complianceAdministrator]: "Compliance Administrator",
  [ROLE_TEMPLATE_IDS.globalReader]: "Global Reader",
};

function errorPageResponse(ctx: EntraContext, err: EntraError, correlationId?: string): EmulatorResponse {
  const body = entraErrorBody(err, new Date(ctx.now()), correlationId);
  return html(err.status, errorPage("Sorry, but we're having trouble signing you in.", body.error_description));
}

/** Checks what must be right before anything may be sent to the redirect URI. */
function validateClient(
  ctx: EntraContext,
  req: EmulatorRequest,
  params: URLSearchParams,
): ValidAuthorizeRequest | EmulatorResponse {
  // MSAL.js puts client-request-id on the authorize URL; the sign-in form carries that URL in `q`.
  const correlationId = header(req, "client-request-id") ?? params.get("client-request-id") ?? undefined;
  const pageError = (err: EntraError): EmulatorResponse => errorPageResponse(ctx, err, correlationId);
  const seg = resolveTenantSegment(ctx, req.params.tenant ?? "");
  if (isEntraError(seg)) return pageError(seg);
  const clientId = params.get("client_id");
  if (clientId === null || clientId === "") return pageError(AADSTS.missingParameter("client_id"));
  const client = findClient(seg, clientId);
  if (!client.ok) return pageError(client.error);
  const redirectUri = params.get("redirect_uri");
  if (redirectUri === null || !redirectUriAllowed(client.app, redirectUri)) {
    return pageError(AADSTS.redirectMismatch(redirectUri ?? "", client.app.appId));
  }
  const mode = params.get("response_mode");
  const responseMode: ResponseMode =
    mode === "query" || mode === "fragment" || mode === "form_post"
      ? mode
      : client.app.clientSecret === undefined
        ? "fragment"
        : "query";
  const state = params.get("state") ?? undefined;
  return {
    seg,
    app: client.app,
    redirectUri,
    responseMode,
    params,
    ...(state === undefined ? {} : { state }),
    ...(correlationId === undefined ? {} : { correlationId }),
  };
}

function respond(req: ValidAuthorizeRequest, fields: Record<string, string>): EmulatorResponse {
  const all: Record<string, string> = { ...fields };
  if (req.state !== undefined) all.state = req.state;
  if (req.responseMode === "form_post") return html(200, formPostPage(req.redirectUri, all));
  const encoded = new URLSearchParams(all).toString();
  if (req.responseMode === "query") {
    return redirect(`${req.redirectUri}${req.redirectUri.includes("?") ? "&" : "?"}${encoded}`);
  }
  return redirect(`${req.redirectUri}#${encoded}`);
}

function respondError(ctx: EntraContext, req: ValidAuthorizeRequest, err: EntraError): EmulatorResponse {
  const body = entraErrorBody(err, new Date(ctx.now()), req.correlationId);
  const fields: Record<string, string> = {
    error: err.error,
    error_description: body.error_description,
    error_uri: body.error_uri,
  };
  if (err.suberror !== undefined) fields.suberror = err.suberror;
  return respond(req, fields);
}

/** Protocol checks that are reported to the redirect URI. */
function validateProtocol(ctx: EntraContext, req: ValidAuthorizeRequest): ScopeRequest | EntraError {
  const p = req.params;
  const responseType = p.get("response_type");
  if (responseType === null) return AADSTS.missingParameter("response_type");
  if (responseType !== "code") return AADSTS.responseTypeUnsupported(responseType);
  const challenge = p.get("code_challenge");
  const method = p.get("code_challenge_method");
  if (challenge !== null && (method !== "S256" || !/^[A-Za-z0-9_-]{43}$/.test(challenge))) return AADSTS.pkceMethod();
  // Public clients (the SPA) must use PKCE.
  if (challenge === null && req.app.clientSecret === undefined) return AADSTS.pkceMissing();
  const scope = p.get("scope");
  if (scope === null || scope.trim() === "") return AADSTS.missingParameter("scope");
  return parseScopeRequest(scope, segmentName(req.seg));
}

function sessionCookie(req: EmulatorRequest): string | undefined {
  const cookies = header(req, "cookie") ?? "";
  for (const part of cookies.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === SESSION_COOKIE) return rest.join("=");
  }
  return undefined;
}

/** The user the emulator's sign-in cookie names, in the tenant the URL names (also admin consent's). */
export function sessionUser(
  ctx: EntraContext,
  req: EmulatorRequest,
  seg: TenantSegment,
): { tenant: TenantRecord; user: DirectoryUser } | undefined {
  const session = ctx.grants.getSession(sessionCookie(req));
  if (session === undefined) return undefined;
  if (seg.kind === "tenant" && seg.tenant.directory.tenantId !== session.tenantId) return undefined;
  const tenant = ctx.state.getTenant(session.tenantId);
  const user = tenant?.directory.users.find((u) => u.id === session.userId);
  return tenant !== undefined && user !== undefined && user.accountEnabled ? { tenant, user } : undefined;
}

/** Issues the code for a signed-in user: consent check, then redirect with code (+ client_info). */
function complete(
  ctx: EntraContext,
  req: ValidAuthorizeRequest,
  scopes: ScopeRequest,
  tenant: TenantRecord,
  user: DirectoryUser,
  extraHeaders: Record<string, string> = {},
): EmulatorResponse {
  if (!tenant.directory.servicePrincipals.some((sp) => sp.appId === req.app.appId)) {
    return respondError(ctx, req, AADSTS.consentRequired(req.app.appId, req.app.displayName));
  }
  const scp = authorizeDelegated(tenant.directory, req.app, scopes);
  if (isEntraError(scp)) return respondError(ctx, req, scp);
  const challenge = req.params.get("code_challenge");
  const nonce = req.params.get("nonce");
  const code = ctx.grants.addCode({
    clientId: req.app.appId,
    redirectUri: req.redirectUri,
    tenantId: tenant.directory.tenantId,
    userId: user.id,
    scopeParam: req.params.get("scope") ?? "",
    request: scopes,
    scp,
    ...(challenge === null ? {} : { codeChallenge: challenge }),
    ...(nonce === null ? {} : { nonce }),
    expiresAt: ctx.now() + AUTH_CODE_LIFETIME_MS,
    redeemed: false,
  });
  const fields: Record<string, string> = { code };
  if (req.params.get("client_info") === "1") fields.client_info = clientInfo(user, tenant.directory.tenantId);
  fields.session_state = user.id;
  const res = respond(req, fields);
  res.headers = { ...res.headers, ...extraHeaders };
  return res;
}

/** The seed accounts the sign-in page lists (the emulator is a local test tool). */
export function seedAccounts(ctx: EntraContext, seg: TenantSegment): { upn: string; roles: string }[] {
  const tenants = seg.kind === "tenant" ? [seg.tenant] : ctx.state.tenants;
  return tenants.flatMap((t) =>
    t.directory.users
      .filter((u) => u.password !== undefined && u.accountEnabled)
      .map((u) => ({ upn: u.userPrincipalName, roles: u.roles.map((r) => ROLE_NAMES[r] ?? r).join(", ") || "none" })),
  );
}

/** What the sign-in page says when the credentials fail, in Entra's page wording. */
export function signInFailureText(failure: EntraError | undefined): string {
  return failure?.code === 50126
    ? "Your account or password is incorrect. If you don't remember your password, reset it now."
    : failure?.code === 50057
      ? "Your account has been locked. Contact your support person to unlock it, then try again."
      : "We couldn't find an account with that username. Try another, or get a new Microsoft account.";
}

function renderSignIn(
  ctx: EntraContext,
  req: ValidAuthorizeRequest,
  action: string,
  options: { error?: string; username?: string; sessionUser?: DirectoryUser },
): EmulatorResponse {
  const accounts = seedAccounts(ctx, req.seg);
  const loginHint = options.username ?? req.params.get("login_hint") ?? undefined;
  return html(
    200,
    signInPage({
      action,
      query: req.params.toString(),
      tenantName: segmentName(req.seg),
      appName: req.app.displayName,
      accounts,
      ...(loginHint === undefined ? {} : { loginHint }),
      ...(options.error === undefined ? {} : { error: options.error }),
      ...(options.sessionUser === undefined ? {} : { sessionUser: options.sessionUser }),
    }),
    { "cache-control": "no-store" },
  );
}

export function authorizeGet(ctx: EntraContext, req: EmulatorRequest): EmulatorResponse {
  const valid = validateClient(ctx, req, req.query);
  if ("status" in valid) return valid;
  const scopes = validateProtocol(ctx, valid);
  if (isEntraError(scopes)) return respondError(ctx, valid, scopes);
  const prompt = valid.params.get("prompt");
  const loginHint = valid.params.get("login_hint")?.toLowerCase();
  const signedIn = sessionUser(ctx, req, valid.seg);
  const hintMatches =
    signedIn !== undefined && (loginHint === undefined || signedIn.user.userPrincipalName.toLowerCase() === loginHint);
  if (prompt === "none") {
    if (signedIn === undefined || !hintMatches) return respondError(ctx, valid, AADSTS.loginRequired());
    return complete(ctx, valid, scopes, signedIn.tenant, signedIn.user);
  }
  if (prompt === "select_account" && signedIn !== undefined) {
    return renderSignIn(ctx, valid, req.path, { sessionUser: signedIn.user });
  }
  if (prompt !== "login" && prompt !== "select_account" && signedIn !== undefined && hintMatches) {
    return complete(ctx, valid, scopes, signedIn.tenant, signedIn.user);
  }
  return renderSignIn(ctx, valid, req.path, {});
}

export function authorizePost(ctx: EntraContext, req: EmulatorRequest): EmulatorResponse {
  const form = parseForm(req);
  const original = new URLSearchParams(form.get("q") ?? "");
  const valid = validateClient(ctx, req, original);
  if ("status" in valid) return valid;
  const scopes = validateProtocol(ctx, valid);
  if (isEntraError(scopes)) return respondError(ctx, valid, scopes);
  if (form.get("use_session") === "1") {
    const signedIn = sessionUser(ctx, req, valid.seg);
    if (signedIn !== undefined) return complete(ctx, valid, scopes, signedIn.tenant, signedIn.user);
    return renderSignIn(ctx, valid, req.path, { error: "Your session has ended. Please sign in again." });
  }
  const username = (form.get("username") ?? "").trim();
  const password = form.get("password") ?? "";
  const found = findSignInUser(ctx, valid.seg, username);
  const failure = found.ok ? checkPassword(found.user, password) : found.error;
  if (failure !== undefined || !found.ok) {
    return renderSignIn(ctx, valid, req.path, { error: signInFailureText(failure), username });
  }
  const session = ctx.grants.addSession({ tenantId: found.tenant.directory.tenantId, userId: found.user.id });
  return complete(ctx, valid, scopes, found.tenant, found.user, {
    "set-cookie": `${SESSION_COOKIE}=${session}; Path=/; Secure; HttpOnly; SameSite=None`,
  });
}
