import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { request } from "node:https";
import { openHost, startHarness, waitForApp, type Harness, type HostPage } from "./harness";

/**
 * The dev host page answers the real teams-js 2.58 and msal-browser 5 (NAA) in Chromium, with
 * tokens from the emulator. The pane's issue-6 tests rely on everything proven here.
 */

interface DevHostView {
  log: { func: string; direction: string; unhandled?: boolean }[];
  shared: { content: { type: string; url: string; message?: string }[] }[];
  settings: Record<string, unknown> | null;
  validity: boolean;
  deepLinks: string[];
  handlers: string[];
  appInitialization: { func: string }[];
  tokenRequests: { kind: string; method: string; ok: boolean }[];
  setTheme(theme: string): void;
  save(): Promise<{ ok: boolean; reason?: string; settings?: Record<string, unknown> }>;
  openSavedTab(): void;
  setTokenFailure(f: { error: string; description?: string; interactive?: boolean } | null): void;
}

interface FixtureView {
  themes: string[];
  context(): Promise<{
    app: { host: { name: string; clientType: string }; theme: string; locale: string };
    user?: { id: string; userPrincipalName: string; loginHint: string; tenant?: { id: string } };
    page: { id: string; frameContext: string; subPageId?: string };
    channel?: { id: string; displayName: string };
    team?: { internalId: string; displayName: string };
  }>;
  supports(): { sharing: boolean; pagesConfig: boolean; nestedAppAuth: boolean; bridge: boolean };
  getAuthToken(): Promise<{ ok: true; value: string } | { ok: false; error: { message: string } }>;
  naaToken(
    scopes: string[],
    interactive?: boolean,
  ): Promise<
    | { ok: true; value: { accessToken: string; fromCache: boolean; username: string; tenantId: string } }
    | { ok: false; error: { name: string; message: string; errorCode: string } }
  >;
  share(url: string, message: string): Promise<{ ok: boolean }>;
  openLink(url: string): Promise<{ ok: boolean }>;
  configure(contentUrl: string, entityId: string): void;
}

// Functions passed to evaluate() run in the browser, so they reach these through window.
declare global {
  interface Window {
    devHost: DevHostView;
    fixture: FixtureView;
  }
}

let h: Harness;
const opened: HostPage[] = [];

beforeAll(async () => {
  h = await startHarness();
}, 60_000);

afterAll(async () => {
  await h?.close();
});

afterEach(async () => {
  for (const host of opened.splice(0)) await host.context.close();
});

async function open(query: Record<string, string> = {}): Promise<HostPage> {
  const host = await openHost(h, query);
  opened.push(host);
  return host;
}

function getJson(url: string, ca: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString("utf8"))));
    })
      .on("error", reject)
      .end();
  });
}

async function verifyWithEmulatorKeys(token: string): Promise<Record<string, unknown>> {
  const tenantId = h.emulator.config.tenants[0]!.id;
  const jwks = (await getJson(
    `${h.emulator.origin}/${tenantId}/discovery/v2.0/keys`,
    h.emulator.caPem,
  )) as JSONWebKeySet;
  const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
    audience: h.emulator.config.apps.api.clientId,
    algorithms: ["RS256"],
  });
  return payload;
}

const contosoId = (): string => h.emulator.config.tenants.find((t) => t.name === "contoso.onmicrosoft.com")!.id;

test("a personal tab in Teams initializes and reads the host, theme, tenant and user from getContext", async () => {
  const host = await open({ theme: "dark", entityId: "progress", subPageId: "run-42" });
  const context = await host.app().evaluate(() => window.fixture.context());
  expect(context.app.host).toEqual(expect.objectContaining({ name: "Teams", clientType: "web" }));
  expect(context.app.theme).toBe("dark");
  expect(context.user).toEqual(
    expect.objectContaining({
      userPrincipalName: "exchange.admin@contoso.com",
      loginHint: "exchange.admin@contoso.com",
    }),
  );
  expect(context.user?.tenant?.id).toBe(contosoId());
  expect(context.user?.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(context.page).toEqual(
    expect.objectContaining({ id: "progress", frameContext: "content", subPageId: "run-42" }),
  );
  expect(context.channel).toBeUndefined();
  expect(await host.app().evaluate(() => window.fixture.supports())).toEqual({
    sharing: true,
    pagesConfig: true,
    nestedAppAuth: true,
    bridge: true,
  });
  const view = await host.page.evaluate(() => ({
    handlers: window.devHost.handlers,
    init: window.devHost.appInitialization.map((e) => e.func),
    unhandled: window.devHost.log.filter((e) => e.unhandled === true).map((e) => e.func),
  }));
  expect(view.handlers).toContain("themeChange");
  expect(view.init).toContain("appInitialization.success");
  expect(view.unhandled).toEqual([]);
  // teams-js asked the CDN for its validDomains list; the test blocked it instead of waiting.
  expect(host.blocked.some((u) => u.includes("res.cdn.office.net"))).toBe(true);
});

test("a theme change on the host reaches the app's handler (hook and the host's own control)", async () => {
  const host = await open();
  expect((await host.app().evaluate(() => window.fixture.context())).app.theme).toBe("default");
  await host.page.evaluate(() => window.devHost.setTheme("dark"));
  await host.app().waitForFunction(() => window.fixture.themes.includes("dark"));
  await host.page.selectOption("#devhost-theme", "contrast");
  await host.app().waitForFunction(() => window.fixture.themes.includes("contrast"));
  expect(await host.app().evaluate(() => window.fixture.themes)).toEqual(["dark", "contrast"]);
  // A later getContext reports the new theme too.
  expect((await host.app().evaluate(() => window.fixture.context())).app.theme).toBe("contrast");
});

test("authentication.getAuthToken returns an emulator token for the API scope that the JWKS verifies", async () => {
  const host = await open({ naa: "0" });
  expect((await host.app().evaluate(() => window.fixture.supports())).nestedAppAuth).toBe(false);
  const result = await host.app().evaluate(() => window.fixture.getAuthToken());
  if (!result.ok) throw new Error(`getAuthToken failed: ${JSON.stringify(result.error)}`);
  const claims = await verifyWithEmulatorKeys(result.value);
  expect(claims).toEqual(
    expect.objectContaining({
      scp: expect.stringContaining("access_as_user"),
      tid: contosoId(),
      preferred_username: "exchange.admin@contoso.com",
      azp: h.emulator.config.apps.pane.clientId,
    }),
  );
});

test("getAuthToken and NAA report the host's sign-in failures the way the hosts do", async () => {
  const host = await open();
  await host.page.evaluate(() =>
    window.devHost.setTokenFailure({
      error: "consent_required",
      description: "AADSTS65001: The user has not consented.",
    }),
  );
  const sso = await host.app().evaluate(() => window.fixture.getAuthToken());
  expect(sso).toEqual({ ok: false, error: expect.objectContaining({ message: "resourceRequiresConsent" }) });
  const scope = h.emulator.config.apps.api.scope;
  const silent = await host.app().evaluate((s) => window.fixture.naaToken([s]), scope);
  expect(silent.ok).toBe(false);
  if (!silent.ok) expect(silent.error.name).toBe("InteractionRequiredAuthError");
  // The popup (GetTokenPopup) succeeds as if the user consented there.
  const popup = await host.app().evaluate((s) => window.fixture.naaToken([s], true), scope);
  expect(popup.ok).toBe(true);
});

test("NAA: msal-browser's nestable client gets a token through the host's bridge, then from its cache", async () => {
  const host = await open({ hostName: "Outlook" });
  const scope = h.emulator.config.apps.api.scope;
  const first = await host.app().evaluate((s) => window.fixture.naaToken([s]), scope);
  if (!first.ok) throw new Error(`NAA failed: ${JSON.stringify(first.error)}`);
  expect(first.value).toEqual(
    expect.objectContaining({ fromCache: false, username: "exchange.admin@contoso.com", tenantId: contosoId() }),
  );
  const claims = await verifyWithEmulatorKeys(first.value.accessToken);
  expect(claims.scp).toContain("access_as_user");
  const second = await host.app().evaluate((s) => window.fixture.naaToken([s]), scope);
  expect(second).toEqual({ ok: true, value: expect.objectContaining({ fromCache: true }) });
  const methods = await host.page.evaluate(() => window.devHost.tokenRequests.map((r) => `${r.kind}:${r.method}`));
  expect(methods).toEqual(["naa:GetToken"]);
});

test("sharing.shareWebContent records the shared link on the host page", async () => {
  const host = await open();
  const url = `${h.devHost.origin}/fixture/app.html#/progress`;
  expect(await host.app().evaluate(([u]) => window.fixture.share(u!, "Journaling setup progress"), [url])).toEqual({
    ok: true,
    value: undefined,
  });
  const shared = await host.page.evaluate(() => window.devHost.shared);
  expect(shared).toEqual([
    { content: [{ type: "URL", url, message: "Journaling setup progress", preview: true }], at: expect.any(Number) },
  ]);
  await expect(host.page.locator("#devhost-shared li").first().textContent()).resolves.toBe(url);
  expect(
    await host.app().evaluate((u) => window.fixture.openLink(u), "https://teams.microsoft.com/l/entity/x/y"),
  ).toEqual({
    ok: true,
    value: undefined,
  });
  expect(await host.page.evaluate(() => window.devHost.deepLinks)).toEqual([
    "https://teams.microsoft.com/l/entity/x/y",
  ]);
});

test("a channel tab's configuration page saves through pages.config and the tab then opens", async () => {
  const host = await open({ frameContext: "settings", entityId: "" });
  const context = await host.app().evaluate(() => window.fixture.context());
  expect(context.page.frameContext).toBe("settings");
  expect(context.channel?.displayName).toBe("IT Operations");
  const save = host.page.locator("#devhost-save");
  await expect(save.isDisabled()).resolves.toBe(true);
  const contentUrl = `${h.devHost.origin}/fixture/tab.html`;
  await host.app().evaluate(([u]) => window.fixture.configure(u!, "progress-tab"), [contentUrl]);
  await host.page.waitForFunction(() => window.devHost.validity);
  await expect(save.isEnabled()).resolves.toBe(true);
  // The host's Save, clicked as a person clicks it.
  await save.click();
  await host.page.locator("#devhost-save-status").getByText("Saved", { exact: true }).waitFor();
  expect(await host.page.evaluate(() => window.devHost.settings)).toEqual(
    expect.objectContaining({
      contentUrl,
      entityId: "progress-tab",
      suggestedDisplayName: "Journaling progress",
    }),
  );
  await host.page.evaluate(() => window.devHost.openSavedTab());
  await waitForApp(host, "/fixture/tab.html");
  const tab = await host.app().evaluate(() => window.fixture.context());
  expect(tab.page).toEqual(expect.objectContaining({ id: "progress-tab", frameContext: "content" }));
});

test("Outlook announces neither configurable tabs nor sharing; the host's Save button stays hidden", async () => {
  const host = await open({ hostName: "Outlook" });
  expect((await host.app().evaluate(() => window.fixture.context())).app.host.name).toBe("Outlook");
  expect(await host.app().evaluate(() => window.fixture.supports())).toEqual({
    sharing: false,
    pagesConfig: false,
    nestedAppAuth: true,
    bridge: true,
  });
  await expect(host.page.locator("#devhost-save").isHidden()).resolves.toBe(true);
});

test("the host's message log shows a token's claims (who, for what, until when), never the token", async () => {
  const host = await open();
  const scope = h.emulator.config.apps.api.scope;
  const naa = await host.app().evaluate((s) => window.fixture.naaToken([s]), scope);
  const sso = await host.app().evaluate(() => window.fixture.getAuthToken());
  if (!naa.ok) throw new Error(`NAA failed: ${JSON.stringify(naa.error)}`);
  if (!sso.ok) throw new Error(`getAuthToken failed: ${JSON.stringify(sso.error)}`);
  // The app itself got the real tokens.
  expect((await verifyWithEmulatorKeys(naa.value.accessToken)).scp).toContain("access_as_user");
  expect((await verifyWithEmulatorKeys(sso.value)).scp).toContain("access_as_user");

  const shown = await host.page.locator("#devhost-log").innerText();
  const recorded = JSON.stringify(await host.page.evaluate(() => window.devHost.log));
  for (const text of [shown, recorded]) {
    for (const token of [naa.value.accessToken, sso.value]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(token.split(".")[1]!.slice(0, 16));
    }
    // Not even the start of a token (or of the NAA bridge's ID token): a JWT's header and payload.
    expect(text).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]*/);
  }
  expect(shown).toMatch(
    /token\(aud=\S+ scp=\S*access_as_user\S* (upn|preferred_username)=exchange\.admin@contoso\.com tid=\S+ exp=\d{4}-/,
  );
  // The NAA reply's line is still there, with its claims (the access token and the ID token).
  expect(shown).toMatch(/host->app nestedAppAuth\.execute .*access_token.*token\(aud=/);
});
