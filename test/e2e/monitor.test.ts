/**
 * Issue 14 in real Chromium against the real stack: a Global Administrator turns on "Keep watching"
 * from the pane (admin consent on the emulator's consent page in a pop-up, then the Exchange role the
 * walkthrough asks for, then the settings), a drift appears in the tenant, the monitor's alert arrives
 * in the local Teams host page's Activity feed, and clicking it opens the tab on its Status view.
 */
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { buildManifest } from "../../manifest/lib/appPackage";
import { parseEnvironment } from "../../manifest/lib/environment";
import { API_APP_ID } from "../../src/emulator/directory/apps";
import { ROLE_TEMPLATE_IDS } from "../../src/emulator/directory/types";
import { createHttpClient, type HttpClient } from "../../src/server/net/httpClient";
import { callApi, passwordToken, waitForRun } from "../integration/server/harness";
import { openInHost, waitSignedIn, type InHost } from "../e2e-teams/teamsHost";
import { expectShown, launchBrowser, newContext, signIn } from "./browser";
import { startStack, type Stack } from "./stack";

jest.setTimeout(300_000);

const ADMIN = "admin@contoso.com";
const local = JSON.parse(readFileSync("manifest/environments/local.json", "utf8")) as Record<string, string>;
const TEAMS_APP_ID = local.APP_ID ?? "";
const usEveryone = JSON.parse(readFileSync("examples/us-everyone.json", "utf8")) as unknown;

let stack: Stack;
let browser: Browser;
let http: HttpClient;
const closers: (() => Promise<void>)[] = [];

async function emulator(method: "POST", path: string, body: unknown): Promise<void> {
  const res = await http.send({
    method,
    url: `${stack.emulator.origin}${path}`,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status} ${res.text}`);
}

beforeAll(async () => {
  stack = await startStack({
    // The host page signs in as the Global Administrator, who is also the one the alerts go to.
    devHost: { user: { upn: ADMIN, password: "admin-Pass1!" } },
    // The monitor's deep links name the product's Teams app (the manifest's id).
    backendConfig: { teamsAppId: TEAMS_APP_ID },
    knownPaneOrigin: true,
  });
  browser = await launchBrowser();
  http = createHttpClient({ extraCaPem: stack.emulator.caPem });
  // A tenant with the US setup applied (the pane's own steps are covered by pane.test.ts).
  const token = await passwordToken(http, stack.emulator.config, ADMIN);
  const api = (method: "GET" | "POST", path: string, body?: unknown) =>
    callApi(http, stack.backend.url, method, path, token, body);
  const plan = await api("POST", "/api/plan", { desired: usEveryone });
  const run = await api("POST", "/api/runs", { desired: usEveryone, planHash: plan.json.planHash });
  expect(
    (await waitForRun({ api: (m, p, _t, b) => api(m as "GET", p, b) }, token, String(run.json.runId))).json.state,
  ).toBe("succeeded");
  // The product's Teams app (webApplicationInfo.id = the backend's Entra app), installed for the admin.
  const manifest = buildManifest(parseEnvironment("test", { ...local, CLIENT_ID: API_APP_ID }));
  await emulator("POST", "/_emulator/tenants/contoso.com/teams/apps", { manifest, installForUsers: [ADMIN] });
});

afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await browser?.close();
  http?.close();
  await stack?.close();
});

/** Clicks Check again until the walkthrough is gone (Entra and Exchange take a moment to show a new grant). */
async function checkAgainUntilReady(page: Page): Promise<void> {
  const walkthrough = page.getByRole("group", { name: "Set up the monitor's identity" });
  for (let i = 0; i < 20; i++) {
    if ((await walkthrough.count()) === 0) return;
    await walkthrough.getByRole("button", { name: "Check again" }).click();
    await page.waitForTimeout(2000);
  }
  throw new Error("the monitor's identity never became ready");
}

test("consent and Keep watching from the pane; the alert in Teams' Activity feed opens the tab's Status", async () => {
  const context = await newContext(browser);
  closers.push(() => context.close());
  const page = await context.newPage();
  await signIn(page, stack.pane.origin, ADMIN);
  const watching = page.getByRole("region", { name: "Keep watching" });
  await expectShown(watching.getByText("Step 1 of 2: an administrator's consent"));
  await expectShown(watching.getByText(/Permissions still to grant: Exchange.ManageAsApp, TeamsActivity.Send/));

  // Microsoft's admin consent page (the emulator's) in a pop-up; the admin is already signed in there.
  const [consent] = await Promise.all([
    page.waitForEvent("popup"),
    watching.getByRole("button", { name: "Grant admin consent" }).click(),
  ]);
  await expectShown(consent.getByRole("heading", { name: "Permissions requested" }));
  const permissions = (await consent.locator("#permissions").textContent()) ?? "";
  expect(permissions).toContain("Exchange.ManageAsApp");
  expect(permissions).toContain("TeamsActivity.Send");
  await consent.getByRole("button", { name: "Accept" }).click();

  // The pane sees the consent by itself and moves to the Exchange role.
  await expectShown(watching.getByText("Step 2 of 2: an Exchange role for the app"), 60_000);
  await expectShown(watching.getByText(/Exchange Administrator/).first());
  // What the walkthrough asks for, done in the Entra admin center: the role on the app's service principal.
  const contoso = stack.emulator.state.getTenant("contoso.com");
  if (!contoso) throw new Error("no contoso tenant");
  const sp = contoso.directory.servicePrincipals.find((s) => s.appId === API_APP_ID);
  if (!sp) throw new Error("admin consent created no service principal for the app");
  sp.roles.push(ROLE_TEMPLATE_IDS.exchangeAdministrator);
  await checkAgainUntilReady(page);

  // Turn it on: every minute, the admin (offered by default) told in Teams.
  await watching.getByRole("checkbox", { name: "Keep watching" }).click();
  await watching.getByRole("spinbutton", { name: /Check every/ }).fill("1");
  await expectShown(watching.getByRole("list", { name: "People told in Teams" }).getByText(ADMIN, { exact: false }));
  await watching.getByRole("button", { name: "Save" }).click();
  await expectShown(watching.getByText("Saved. The monitor checks every 1 minute."));

  // A drift: the journal rule switched off by hand in Exchange. Check now instead of waiting a minute.
  const rule = contoso.exchange.journalRules[0];
  if (!rule) throw new Error("no journal rule");
  rule.Enabled = false;
  await watching.getByRole("button", { name: "Check now" }).click();
  await expectShown(watching.getByText(/The monitor is checking now/));

  // The alert in the Teams Activity feed of the local host page, then a click on it.
  const host: InHost = await openInHost(browser, stack);
  closers.push(() => host.close());
  await waitSignedIn(host);
  const alert = host.page.locator('#devhost-activity button[data-activity-type="journalingAlert"]').first();
  await expectShown(alert, 120_000);
  const title = ((await alert.locator("strong").textContent()) ?? "").trim();
  expect(title).not.toBe("");
  await alert.click();

  // The tab opens on its Status view: the drifted rule, and the alert in the history, open.
  await expectShown(host.pane.getByRole("heading", { name: "Journaling status" }), 60_000);
  expect(await host.pane.getByRole("tab", { name: "Status", selected: true }).count()).toBe(1);
  await expectShown(host.pane.getByRole("listitem", { name: `Open: ${title}` }), 30_000);
  await expectShown(host.pane.getByText(/part(s)? needs? attention/), 60_000);
  expect(await host.devHost<string[]>("openedActivities")).toHaveLength(1);
});
