import { request } from "node:https";
import { emulatorTeamsManifest } from "../../src/stack/teamsApp";
import { openHost, startHarness, waitForApp, type Harness, type HostPage } from "./harness";

/**
 * The dev host's Activity feed in Chromium: a notification Teams accepted through Graph appears for the
 * signed-in user within a refresh, and clicking it opens the app's tab at the deep link, with the link's
 * subEntityId as teams-js `page.subPageId` (here "status", the pane's Status view).
 */

/** The fixture app's hook (the window's `fixture`, typed in devhost.test.ts with more members). */
interface FixtureContext {
  context(): Promise<{ page: { id: string; frameContext: string; subPageId?: string } }>;
}
const fixtureContext = () => (window as unknown as { fixture: FixtureContext }).fixture.context();

let h: Harness;
let host: HostPage | undefined;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => {
  await host?.context.close();
  await h?.close();
});

const CONTOSO = "contoso.onmicrosoft.com";
const HOST_USER = "exchange.admin@contoso.com";

function call(
  url: string,
  method: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const payload = typeof body === "string" ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, ca: h.emulator.caPem, headers: { "content-type": "application/json", ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

async function sendAlert(title: string): Promise<void> {
  const api = h.emulator.config.apps.api;
  const tokenRes = await call(
    `${h.emulator.origin}/${CONTOSO}/oauth2/v2.0/token`,
    "POST",
    new URLSearchParams({
      grant_type: "client_credentials",
      client_id: api.clientId,
      client_secret: api.secret,
      scope: "https://graph.microsoft.com/.default",
    }).toString(),
    { "content-type": "application/x-www-form-urlencoded" },
  );
  const token = (JSON.parse(tokenRes.text) as { access_token: string }).access_token;
  const manifest = emulatorTeamsManifest();
  const link = `https://teams.microsoft.com/l/entity/${manifest.id as string}/setup?context=${encodeURIComponent('{"subEntityId":"status"}')}`;
  const res = await call(
    `${h.emulator.origin}/v1.0/users/${HOST_USER}/teamwork/sendActivityNotification`,
    "POST",
    {
      topic: { source: "text", value: "Journaling", webUrl: link },
      activityType: "journalingAlert",
      previewText: { content: "Enable the rule from the Status view." },
      templateParameters: [{ name: "alertTitle", value: title }],
    },
    { authorization: `Bearer ${token}` },
  );
  expect(res.status).toBe(204);
}

test("a notification appears in the Activity feed; clicking it opens the tab's status subpage", async () => {
  // The product's Teams app in Contoso's catalog, installed for the host's user.
  const uploaded = await call(`${h.emulator.origin}/_emulator/tenants/${CONTOSO}/teams/apps`, "POST", {
    manifest: emulatorTeamsManifest(),
    installForUsers: [HOST_USER],
  });
  expect(uploaded.status).toBe(201);
  // What admin consent grants (its own test: test/integration/emulator-https/adminConsent.test.ts).
  h.emulator.state.getTenant(CONTOSO)!.directory.applicationGrants.push({
    clientAppId: h.emulator.config.apps.api.clientId,
    resourceAppId: "00000003-0000-0000-c000-000000000000",
    appRoles: ["TeamsActivity.Send"],
  });

  host = await openHost(h);
  const feed = host.page.locator("#devhost-activity");
  await feed.getByText("No notifications yet.").waitFor();
  const before = await host.app().evaluate(fixtureContext);
  expect(before.page.subPageId).toBeUndefined();

  await sendAlert("Journal rule EU disabled");
  const item = host.page.getByRole("button", { name: /Journal rule EU disabled/ });
  await item.waitFor({ timeout: 10_000 });
  expect(await item.textContent()).toContain("Enable the rule from the Status view.");

  await item.click();
  await host.page.waitForFunction(
    () => (window as unknown as { devHost: { openedActivities: string[] } }).devHost.openedActivities.length === 1,
  );
  await waitForApp(host);
  const after = await host.app().evaluate(fixtureContext);
  expect(after.page).toEqual(expect.objectContaining({ id: "setup", frameContext: "content", subPageId: "status" }));
}, 60_000);
