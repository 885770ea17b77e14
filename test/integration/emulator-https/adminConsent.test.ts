import { decodeJwt, request, type HttpResult } from "../emulator/helpers";
import { CONTOSO, FABRIKAM, invoke, notAllowedBody, rawToken, startTenant, type TestTenant } from "./client";

/**
 * Admin consent for the backend's own app (the monitor's app-only identity), over HTTPS as a browser
 * walks it: the emulator's sign-in page, the "Permissions requested" prompt, the redirect back. Before
 * consent the app's client-credentials tokens carry no roles; after it they carry Exchange.ManageAsApp and
 * TeamsActivity.Send; Exchange still refuses cmdlets until an Entra role is assigned to the app's service
 * principal through Graph.
 */
let t: TestTenant;
beforeAll(async () => {
  t = await startTenant();
});
afterAll(() => t.stop());

const REDIRECT = "https://localhost:3000/consent-done";
const EXCHANGE_ADMIN_ROLE = "29232cdf-9323-42fd-ade2-1d097af3e4de";

function api(): { clientId: string; secret: string } {
  return t.emu.config.apps.api;
}

function tenantId(name: string): string {
  const tenant = t.emu.config.tenants.find((x) => x.name === name);
  if (tenant === undefined) throw new Error(`no tenant ${name}`);
  return tenant.id;
}

function appToken(tenant: string, resource: string): Promise<string> {
  return rawToken(t.emu, tenant, {
    grant_type: "client_credentials",
    client_id: api().clientId,
    client_secret: api().secret,
    scope: `${resource}/.default`,
  });
}

function cookieOf(res: HttpResult): string {
  const set = res.headers["set-cookie"];
  const first = Array.isArray(set) ? set[0] : set;
  if (first === undefined) throw new Error("no session cookie");
  return first.split(";")[0]!;
}

function form(url: string, fields: Record<string, string>, cookie?: string): Promise<HttpResult> {
  return request(url, t.emu.caPem, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie === undefined ? {} : { cookie }) },
    body: new URLSearchParams(fields).toString(),
  });
}

/** The hidden `q` field the sign-in and consent forms carry. */
function hiddenQuery(html: string): string {
  const m = /name="q" value="([^"]*)"/.exec(html);
  if (m === null) throw new Error("no q field");
  return m[1]!
    .replace(/&amp;/g, "&")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"');
}

interface Walk {
  start: HttpResult;
  afterSignIn: HttpResult;
  final?: HttpResult;
}

/** GET the consent URL, sign in, then press Accept or Cancel (when the prompt is shown). */
async function walk(
  path: string,
  query: Record<string, string>,
  upn: string,
  decision: "accept" | "cancel",
): Promise<Walk> {
  const url = `${t.emu.origin}${path}?${new URLSearchParams(query).toString()}`;
  const start = await request(url, t.emu.caPem);
  if (start.status !== 200) return { start, afterSignIn: start };
  const user = t.emu.config.users.find((u) => u.upn === upn)!;
  const afterSignIn = await form(`${t.emu.origin}${path}`, {
    q: hiddenQuery(start.text),
    username: upn,
    password: user.password,
  });
  if (afterSignIn.status !== 200) return { start, afterSignIn };
  const final = await form(
    `${t.emu.origin}${path}`,
    { q: hiddenQuery(afterSignIn.text), consent: decision },
    cookieOf(afterSignIn),
  );
  return { start, afterSignIn, final };
}

function redirected(res: HttpResult | undefined): URL {
  expect(res?.status).toBe(302);
  return new URL(String(res?.headers.location));
}

describe("admin consent", () => {
  it("grants the app's required application permissions; Exchange then wants an Entra role on the service principal", async () => {
    // Before: tokens without roles; Exchange and Teams refuse them.
    const before = decodeJwt(await appToken(CONTOSO, "https://outlook.office365.com"));
    expect(before.roles).toBeUndefined();

    const consent = await walk(
      `/${CONTOSO}/adminconsent`,
      { client_id: api().clientId, redirect_uri: REDIRECT, state: "s-1" },
      "admin@contoso.com",
      "accept",
    );
    expect(consent.start.text).toContain("<h1>Sign in</h1>");
    expect(consent.afterSignIn.text).toContain("Permissions requested");
    expect(consent.afterSignIn.text).toContain(
      "Exchange.ManageAsApp (Office 365 Exchange Online, application permission)",
    );
    expect(consent.afterSignIn.text).toContain("TeamsActivity.Send (Microsoft Graph, application permission)");
    expect(consent.afterSignIn.text).toContain("Mail.Send (Microsoft Graph, application permission)");
    const back = redirected(consent.final);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(Object.fromEntries(back.searchParams)).toEqual({
      admin_consent: "True",
      tenant: tenantId(CONTOSO),
      state: "s-1",
    });

    const exchangeToken = await appToken(CONTOSO, "https://outlook.office365.com");
    expect(decodeJwt(exchangeToken).roles).toEqual(["Exchange.ManageAsApp"]);
    expect(decodeJwt(await appToken(CONTOSO, "https://graph.microsoft.com")).roles).toEqual([
      "TeamsActivity.Send",
      "Mail.Send",
    ]);
    // Fabrikam consented to nothing.
    expect(decodeJwt(await appToken(FABRIKAM, "https://outlook.office365.com")).roles).toBeUndefined();

    // Exchange.ManageAsApp alone runs nothing: the service principal holds no role yet.
    const anchor = `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${tenantId(CONTOSO)}`;
    const denied = await invoke(t.emu, { token: exchangeToken, anchor }, "Get-OrganizationConfig");
    expect(denied.json()).toEqual(notAllowedBody("Get-OrganizationConfig"));

    // A Privileged Role Administrator / Global Administrator assigns Exchange Administrator through Graph.
    // The API app first gets delegated RoleManagement.ReadWrite.Directory by v2 admin consent (named scope).
    const v2 = await walk(
      `/${CONTOSO}/v2.0/adminconsent`,
      {
        client_id: api().clientId,
        scope: "https://graph.microsoft.com/RoleManagement.ReadWrite.Directory",
        redirect_uri: REDIRECT,
        state: "s-2",
      },
      "admin@contoso.com",
      "accept",
    );
    expect(Object.fromEntries(redirected(v2.final).searchParams)).toEqual({
      admin_consent: "True",
      tenant: tenantId(CONTOSO),
      scope: "https://graph.microsoft.com/RoleManagement.ReadWrite.Directory",
      state: "s-2",
    });
    const admin = t.emu.config.users.find((u) => u.upn === "admin@contoso.com")!;
    const graphAsAdmin = await rawToken(t.emu, CONTOSO, {
      grant_type: "password",
      client_id: api().clientId,
      client_secret: api().secret,
      username: admin.upn,
      password: admin.password,
      scope: "https://graph.microsoft.com/RoleManagement.ReadWrite.Directory",
    });
    const spId = String(decodeJwt(exchangeToken).oid);
    const assign = (token: string): Promise<HttpResult> =>
      request(`${t.emu.origin}/v1.0/roleManagement/directory/roleAssignments`, t.emu.caPem, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({
          "@odata.type": "#microsoft.graph.unifiedRoleAssignment",
          principalId: spId,
          roleDefinitionId: EXCHANGE_ADMIN_ROLE,
          directoryScopeId: "/",
        }),
      });
    const created = await assign(graphAsAdmin);
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({
      principalId: spId,
      roleDefinitionId: EXCHANGE_ADMIN_ROLE,
      directoryScopeId: "/",
    });
    expect((await assign(graphAsAdmin)).json()).toMatchObject({
      error: {
        message: "A conflicting object with one or more of the specified property values is present in the directory.",
      },
    });

    const withRole = await appToken(CONTOSO, "https://outlook.office365.com");
    expect(decodeJwt(withRole).wids).toEqual([EXCHANGE_ADMIN_ROLE]);
    const allowed = await invoke(t.emu, { token: withRole, anchor }, "Get-OrganizationConfig");
    expect(allowed.status).toBe(200);
  });

  it("an Exchange Administrator may not consent: access_denied with AADSTS90094, nothing granted", async () => {
    const r = await walk(
      `/${FABRIKAM}/adminconsent`,
      { client_id: api().clientId, redirect_uri: REDIRECT, state: "s-3" },
      "admin@fabrikam.com",
      "cancel",
    );
    const cancelled = redirected(r.final);
    expect(cancelled.searchParams.get("error")).toBe("access_denied");
    expect(cancelled.searchParams.get("error_description")).toMatch(
      /^AADSTS65004: User declined to consent to access the app\./,
    );
    expect(cancelled.searchParams.get("state")).toBe("s-3");

    const ex = await walk(
      `/${CONTOSO}/adminconsent`,
      { client_id: api().clientId, redirect_uri: REDIRECT, state: "s-4" },
      "exchange.admin@contoso.com",
      "accept",
    );
    const refused = redirected(ex.afterSignIn);
    expect(refused.searchParams.get("error")).toBe("access_denied");
    expect(refused.searchParams.get("error_description")).toMatch(
      /^AADSTS90094: The grant requires admin permission\./,
    );
    expect(decodeJwt(await appToken(FABRIKAM, "https://graph.microsoft.com")).roles).toBeUndefined();
  });

  it("without a service principal: AADSTS7000229 in the app's home tenant, AADSTS700016 elsewhere; consent creates it", async () => {
    const credentials = (tenant: string): Promise<HttpResult> =>
      form(`${t.emu.origin}/${tenant}/oauth2/v2.0/token`, {
        grant_type: "client_credentials",
        client_id: api().clientId,
        client_secret: api().secret,
        scope: "https://graph.microsoft.com/.default",
      });
    for (const name of [CONTOSO, FABRIKAM]) {
      const dir = t.emu.state.getTenant(name)!.directory;
      dir.servicePrincipals = dir.servicePrincipals.filter((sp) => sp.appId !== api().clientId);
    }
    const home = await credentials(CONTOSO);
    expect(home.status).toBe(401);
    expect(home.json<{ error: string; error_description: string }>()).toMatchObject({ error: "invalid_client" });
    expect(home.json<{ error_description: string }>().error_description).toMatch(
      new RegExp(
        `^AADSTS7000229: The client application ${api().clientId} is missing service principal in the tenant ${tenantId(CONTOSO)}\\.`,
      ),
    );
    expect((await credentials(FABRIKAM)).json<{ error_description: string }>().error_description).toMatch(
      /^AADSTS700016: /,
    );

    const r = await walk(
      `/${FABRIKAM}/adminconsent`,
      { client_id: api().clientId, redirect_uri: REDIRECT, state: "s-5" },
      "admin@fabrikam.com",
      "accept",
    );
    expect(redirected(r.final).searchParams.get("admin_consent")).toBe("True");
    const token = await credentials(FABRIKAM);
    expect(token.status).toBe(200);
    expect(decodeJwt(token.json<{ access_token: string }>().access_token).roles).toEqual([
      "TeamsActivity.Send",
      "Mail.Send",
    ]);
  });

  it("checks the redirect URI and the client before sending anything back", async () => {
    const bad = await request(
      `${t.emu.origin}/${CONTOSO}/adminconsent?${new URLSearchParams({ client_id: api().clientId, redirect_uri: "https://evil.example/cb" }).toString()}`,
      t.emu.caPem,
    );
    expect(bad.status).toBe(400);
    expect(bad.headers.location).toBeUndefined();
    expect(bad.text).toContain("AADSTS50011");
    const unknown = await request(
      `${t.emu.origin}/${CONTOSO}/adminconsent?${new URLSearchParams({ client_id: "11111111-2222-3333-4444-555555555555", redirect_uri: REDIRECT }).toString()}`,
      t.emu.caPem,
    );
    expect(unknown.text).toContain("AADSTS700016");
    const noScope = await request(
      `${t.emu.origin}/${CONTOSO}/v2.0/adminconsent?${new URLSearchParams({ client_id: api().clientId, redirect_uri: REDIRECT, state: "s" }).toString()}`,
      t.emu.caPem,
    );
    const back = redirected(noScope);
    expect(back.searchParams.get("error")).toBe("invalid_request");
    expect(back.searchParams.get("error_description")).toMatch(/^AADSTS900144: .*'scope'/);
  });
});
