/**
 * The pane as Teams / Outlook run it: the local host page (src/devhost) frames the real pane and
 * answers the real teams-js 2.58 over postMessage; tokens come from the emulator; the backend is
 * real. Chromium via playwright-core (test/e2e helpers).
 */
import type { Browser } from "playwright-core";
import { HOST_FRAME_ANCESTORS, OFFICE_JS_ORIGIN, parseContentSecurityPolicy } from "../../src/server/pane/csp";
import { expectShown, launchBrowser, newContext } from "../e2e/browser";
import { startStack, type Stack } from "../e2e/stack";
import { openInHost, paneBackground, paneTheme, waitSignedIn, type InHost } from "./teamsHost";

jest.setTimeout(90_000);

let stack: Stack;
let browser: Browser;
const open: InHost[] = [];

beforeAll(async () => {
  stack = await startStack({
    devHost: { user: { upn: "exchange.admin@contoso.com", password: "exchange.admin-Pass1!" } },
  });
  browser = await launchBrowser();
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function inHost(query: Record<string, string> = {}): Promise<InHost> {
  const host = await openInHost(browser, stack, query);
  open.push(host);
  return host;
}

interface TokenRequest {
  kind: "sso" | "naa";
  method: string;
  ok: boolean;
}

function noSignInPage(host: InHost): void {
  expect(host.requested.filter((u) => u.includes("/oauth2/v2.0/authorize"))).toEqual([]);
}

describe("personal tab in Teams", () => {
  it("loads with the host's theme and signs in silently with nested app auth", async () => {
    const host = await inHost({ theme: "dark" });
    await waitSignedIn(host);
    expect(await host.pane.getByRole("group", { name: "Signed-in account" }).textContent()).toContain(
      "exchange.admin@contoso.com",
    );
    expect(await host.pane.getByTestId("host-name").textContent()).toBe("in Teams");
    expect(await host.pane.getByRole("heading", { name: "Sign in to set up journaling" }).count()).toBe(0);
    expect(await paneTheme(host)).toBe("dark");
    noSignInPage(host);
    const tokens = await host.devHost<TokenRequest[]>("tokenRequests");
    expect(tokens.filter((t) => t.kind === "naa" && t.ok).length).toBeGreaterThan(0);
    expect(tokens.filter((t) => t.method === "getAuthToken")).toEqual([]);
    const initialization = await host.devHost<{ func: string }[]>("appInitialization");
    expect(initialization.map((m) => m.func)).toContain("appInitialization.success");
  });

  it("falls back to Teams SSO (getAuthToken) when the host does not recommend nested app auth", async () => {
    const host = await inHost({ naa: "0" });
    await waitSignedIn(host);
    noSignInPage(host);
    const tokens = await host.devHost<TokenRequest[]>("tokenRequests");
    expect(tokens.filter((t) => t.method === "getAuthToken" && t.ok).length).toBeGreaterThan(0);
    expect(tokens.filter((t) => t.kind === "naa")).toEqual([]);
  });

  it("with Teams SSO, reads the directory through the backend on behalf of the user", async () => {
    const host = await inHost({ naa: "0" });
    await waitSignedIn(host);
    // The same kind of token getAuthToken hands the pane (the API scope only), from the host's endpoint.
    const answer = await host.page.evaluate(async () => {
      const token = (await (
        await fetch("/_devhost/token", { method: "POST", body: JSON.stringify({ kind: "sso" }) })
      ).json()) as { accessToken: string };
      const query = new URLSearchParams({
        $search: '"displayName:exchange"',
        $select: "id,displayName,mail",
        $top: "5",
      });
      const res = await fetch(`/api/graph/v1.0/users?${query.toString()}`, {
        headers: { authorization: `Bearer ${token.accessToken}` },
      });
      const refused = await fetch("/api/graph/v1.0/users?$expand=manager", {
        headers: { authorization: `Bearer ${token.accessToken}` },
      });
      return { status: res.status, body: (await res.json()) as { value: { mail: string }[] }, refused: refused.status };
    });
    expect(answer.status).toBe(200);
    expect(answer.body.value.map((u) => u.mail)).toContain("exchange.admin@contoso.com");
    expect(answer.refused).toBe(400);
  });

  it("restyles live when the host's theme changes", async () => {
    const host = await inHost();
    await waitSignedIn(host);
    const light = await paneBackground(host);
    await host.page.evaluate(() =>
      (window as unknown as { devHost: { setTheme(t: string): void } }).devHost.setTheme("dark"),
    );
    await host
      .frame()
      .waitForFunction(() => document.querySelector("[data-theme]")?.getAttribute("data-theme") === "dark");
    const dark = await paneBackground(host);
    expect(dark).not.toBe(light);
    await host.page.evaluate(() =>
      (window as unknown as { devHost: { setTheme(t: string): void } }).devHost.setTheme("contrast"),
    );
    await host
      .frame()
      .waitForFunction(() => document.querySelector("[data-theme]")?.getAttribute("data-theme") === "contrast");
    expect(await paneBackground(host)).not.toBe(dark);
  });

  it("opens the shared progress view from a deep link (subPageId) and shares its link into a chat", async () => {
    const host = await inHost({ subPageId: "progress" });
    await waitSignedIn(host);
    await expectShown(host.pane.getByRole("heading", { name: "Setup progress" }));
    await host.pane.getByRole("button", { name: "Share to a chat" }).click();
    await host.page.waitForFunction(
      () => (window as unknown as { devHost: { shared: unknown[] } }).devHost.shared.length > 0,
    );
    const shared = await host.devHost<{ content: { type: string; url: string }[] }[]>("shared");
    expect(shared[0]!.content[0]).toMatchObject({ type: "URL", url: `${stack.pane.origin}/index.html#/progress` });
  });
});

describe("sign-in problems are explained in the pane", () => {
  type Failure = { error: string; description?: string; interactive?: boolean } | null;
  const setFailure = (host: InHost, failure: Failure): Promise<void> =>
    host.page.evaluate(
      (f) => (window as unknown as { devHost: { setTokenFailure(f: Failure): void } }).devHost.setTokenFailure(f),
      failure,
    );
  /** Reloads the pane with an empty token cache, as a new session would start. */
  const restartPane = (host: InHost): Promise<void> =>
    host.frame().evaluate(() => {
      sessionStorage.clear();
      localStorage.clear();
      location.reload();
    });

  /** Popups the pane asked the host for: NAA GetTokenPopup requests in the host's message log. */
  const popupRequests = async (host: InHost): Promise<number> => {
    const sent = await host.page.evaluate(
      () =>
        (window as unknown as { devHost: { messages(f: string): { direction: string; data?: unknown }[] } }).devHost
          .messages("nestedAppAuth.execute")
          .filter(
            (m) =>
              m.direction === "app->host" && typeof m.data === "string" && m.data.includes('"method":"GetTokenPopup"'),
          ).length,
    );
    // The host answered each of them (and did nothing else that opens a window).
    const tokens = await host.devHost<TokenRequest[]>("tokenRequests");
    expect(tokens.filter((t) => t.method === "GetTokenPopup").length).toBe(sent);
    return sent;
  };
  /** Lets the signed-in pane finish its reads, so none of its token requests lands after the failure is set. */
  const settled = async (host: InHost): Promise<void> => {
    await host.pane.getByRole("heading", { name: "Check" }).waitFor();
    await host
      .frame()
      .waitForFunction(() => document.querySelectorAll('[aria-busy="true"], .fui-Skeleton').length === 0, undefined, {
        timeout: 20_000,
      });
  };
  const signInPanel = (host: InHost): ReturnType<InHost["pane"]["getByRole"]> =>
    host.pane.getByRole("heading", { name: "Journaling Assistant needs you to sign in once to read your tenant" });

  it("nested app auth: when sign-in needs the user at start-up, the host's window opens only from the Sign in button", async () => {
    const host = await inHost();
    await waitSignedIn(host);
    await settled(host);
    // Silent requests need consent; the host's popup "consents" (the user agrees in it).
    await setFailure(host, {
      error: "consent_required",
      description: "AADSTS65001: The user or administrator has not consented to use the application.",
    });
    await restartPane(host);
    await signInPanel(host).waitFor();
    expect(await host.pane.getByRole("button", { name: "Sign in" }).count()).toBe(1);
    expect(await popupRequests(host)).toBe(0);
    await host.pane.getByRole("button", { name: "Sign in" }).click();
    await waitSignedIn(host);
    expect(await popupRequests(host)).toBe(1);
    const tokens = await host.devHost<TokenRequest[]>("tokenRequests");
    expect(tokens.filter((t) => t.method === "GetTokenPopup" && t.ok).length).toBe(1);
    expect(tokens.filter((t) => t.method === "getAuthToken")).toEqual([]);
    noSignInPage(host);
  });

  it("nested app auth: missing admin consent, found by the Sign in click, says who must do what; Try again signs in once it is granted", async () => {
    const host = await inHost();
    await waitSignedIn(host);
    await settled(host);
    await setFailure(host, {
      error: "consent_required",
      description: "AADSTS65001: The user or administrator has not consented to use the application.",
      interactive: true,
    });
    await restartPane(host);
    await signInPanel(host).waitFor();
    expect(await popupRequests(host)).toBe(0);
    await host.pane.getByRole("button", { name: "Sign in" }).click();
    await expectShown(host.pane.getByText("The app needs an administrator's consent"));
    await host.pane.getByText(/grant admin consent/).waitFor();
    await setFailure(host, null);
    await host.pane.getByRole("button", { name: "Try again" }).click();
    await waitSignedIn(host);
    expect(await popupRequests(host)).toBe(2);
    noSignInPage(host);
  });

  it("Teams SSO: missing admin consent says who must do what, and Try again signs in once it is granted", async () => {
    const host = await inHost({ naa: "0" });
    await waitSignedIn(host);
    await setFailure(host, {
      error: "consent_required",
      description: "AADSTS65001: The user or administrator has not consented to use the application.",
      interactive: true,
    });
    await restartPane(host);
    await host.pane.getByText("The app needs an administrator's consent").waitFor();
    await host.pane.getByText(/grant admin consent/).waitFor();
    await setFailure(host, null);
    await host.pane.getByRole("button", { name: "Try again" }).click();
    await waitSignedIn(host);
    noSignInPage(host);
  });
});

describe("a host that recommends nested app auth but has no bridge", () => {
  it("signs in silently with Teams SSO instead", async () => {
    const host = await inHost({ without: "nestedAppAuth" });
    await waitSignedIn(host);
    expect(await host.pane.getByRole("group", { name: "Signed-in account" }).textContent()).toContain(
      "exchange.admin@contoso.com",
    );
    noSignInPage(host);
    const tokens = await host.devHost<TokenRequest[]>("tokenRequests");
    expect(tokens.filter((t) => t.method === "getAuthToken" && t.ok).length).toBeGreaterThan(0);
    expect(tokens.filter((t) => t.kind === "naa")).toEqual([]);
    expect(await host.devHost<unknown[]>("log")).not.toContainEqual(
      expect.objectContaining({ func: "nestedAppAuth.execute" }),
    );
  });
});

describe("personal tab in Outlook", () => {
  it("signs in silently and offers Copy link where the host cannot share to a chat", async () => {
    const host = await inHost({ hostName: "Outlook", subPageId: "progress" });
    await waitSignedIn(host);
    expect(await host.pane.getByTestId("host-name").textContent()).toBe("in Outlook");
    await host.pane.getByRole("heading", { name: "Setup progress" }).waitFor();
    await host.pane.getByRole("button", { name: "Copy link" }).waitFor();
    expect(await host.pane.getByRole("button", { name: "Share to a chat" }).count()).toBe(0);
    noSignInPage(host);
  });
});

describe("channel tab", () => {
  it("configuration page saves a tab that shows the shared progress and status", async () => {
    const host = await inHost({ frameContext: "settings", appUrl: "/config.html" });
    await host.pane.getByLabel("Tab name").waitFor();
    await host.pane.getByRole("heading", { name: /in IT Operations/ }).waitFor();
    await host.page.waitForFunction(() => (window as unknown as { devHost: { validity: boolean } }).devHost.validity);
    await host.pane.getByLabel("Tab name").fill("Journaling");
    await host.page.locator("#devhost-save").click();
    await host.page.waitForFunction(() => (window as unknown as { devHost: { settings: unknown } }).devHost.settings);
    const progressUrl = `${stack.pane.origin}/index.html#/progress`;
    expect(await host.devHost("settings")).toMatchObject({
      contentUrl: progressUrl,
      websiteUrl: progressUrl,
      entityId: "journaling-progress",
      suggestedDisplayName: "Journaling",
    });
    // Teams then shows the saved tab: the content page with the saved entityId.
    await host.page.evaluate(() => (window as unknown as { devHost: { openSavedTab(): void } }).devHost.openSavedTab());
    await waitSignedIn(host);
    await expectShown(host.pane.getByRole("heading", { name: "Setup progress" }));
    await expectShown(host.pane.getByRole("heading", { name: "Journaling status" }));
    // A fresh tenant: the status says so (and what to do) instead of failing.
    await host.pane.getByText("Nothing is set up yet").waitFor();
    noSignInPage(host);
  });

  it("an empty tab name keeps the host's Save disabled", async () => {
    const host = await inHost({ frameContext: "settings", appUrl: "/config.html" });
    await host.pane.getByLabel("Tab name").fill("");
    await host.page.waitForFunction(() => !(window as unknown as { devHost: { validity: boolean } }).devHost.validity);
    expect(await host.page.locator("#devhost-save").isDisabled()).toBe(true);
    await host.pane.getByText("Give the tab a name.").waitFor();
  });
});

describe("pane server", () => {
  it("lets only the documented Microsoft 365 hosts (and its own origin) frame the pane; office.js only on the task pane", async () => {
    const context = await newContext(browser);
    try {
      for (const page of ["/index.html", "/config.html", "/taskpane.html"]) {
        const res = await context.request.get(`${stack.pane.origin}${page}`);
        const csp = parseContentSecurityPolicy(res.headers()["content-security-policy"] ?? "");
        expect(csp.get("frame-ancestors")).toEqual([...HOST_FRAME_ANCESTORS]);
        expect(csp.get("script-src")?.includes(OFFICE_JS_ORIGIN)).toBe(page === "/taskpane.html");
      }
      const taskpane = await (await context.request.get(`${stack.pane.origin}/taskpane.html`)).text();
      expect(taskpane).toContain(`${OFFICE_JS_ORIGIN}/lib/1/hosted/office.js`);
      expect(await (await context.request.get(`${stack.pane.origin}/index.html`)).text()).not.toContain("office.js");
    } finally {
      await context.close();
    }
  });

  it("the Outlook task pane page runs in browser mode when office.js is unavailable", async () => {
    const context = await newContext(browser);
    try {
      await context.route(
        (url) => url.hostname !== "localhost",
        (route) => route.abort(),
      );
      const page = await context.newPage();
      await page.goto(`${stack.pane.origin}/taskpane.html`);
      await page.getByRole("button", { name: "Sign in" }).waitFor();
    } finally {
      await context.close();
    }
  });
});
