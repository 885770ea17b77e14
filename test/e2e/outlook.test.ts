/**
 * The Outlook add-in in real Chromium: the dev host's Outlook mode (src/devhost/outlook) frames the
 * real taskpane.html with its emulated office.js beside a message list from the emulator's
 * mailbox; tokens come from the emulator, the backend is real.
 * - sign-in with nested app auth (silent) and without it (Office's dialog running MSAL's redirect
 *   flow, the result handed back with messageParent; a closed dialog is explained with a retry);
 * - "Was this message journaled?" for the selected message: Delivered, Pending, internal (not
 *   journaled, why), not yet in trace (polls), following ItemChanged.
 */
import { readFileSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchBrowser } from "./browser";
import { openInOutlook, placeMessage, type InOutlook } from "./outlookHost";
import { startStack, type Stack } from "./stack";

jest.setTimeout(120_000);

const ADMIN = "exchange.admin@contoso.com";
const PASSWORD = "exchange.admin-Pass1!";

let stack: Stack;
let browser: Browser;
const open: InOutlook[] = [];

beforeAll(async () => {
  stack = await startStack({ devHost: { user: { upn: ADMIN, password: PASSWORD } } });
  browser = await launchBrowser();
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function inOutlook(
  query: Record<string, string> = {},
  beforeLoad?: (context: BrowserContext) => Promise<void>,
): Promise<InOutlook> {
  const outlook = await openInOutlook(browser, stack, query, beforeLoad);
  open.push(outlook);
  return outlook;
}

const signedInGroup = (o: InOutlook) => o.pane.getByRole("group", { name: "Signed-in account" });

/** The emulator's sign-in page in the dialog window. */
async function signInOnAuthorityPage(dialog: Page): Promise<void> {
  await dialog.waitForURL(/\/oauth2\/v2\.0\/authorize/, { timeout: 20_000 });
  const user = dialog.getByLabel("Email, phone, or Skype");
  if ((await user.inputValue()) === "") await user.fill(ADMIN);
  await dialog.getByLabel("Password").fill(PASSWORD);
  await dialog.getByRole("button", { name: "Sign in" }).click();
}

describe("sign-in in the Outlook task pane", () => {
  it("signs in silently where Outlook has nested app auth", async () => {
    const outlook = await inOutlook();
    await signedInGroup(outlook).waitFor({ timeout: 30_000 });
    expect(await signedInGroup(outlook).textContent()).toContain(ADMIN);
    expect(await outlook.pane.getByTestId("host-name").textContent()).toBe("in Outlook");
    const requests = await outlook.outlook<{ method: string; ok: boolean }[]>("tokenRequests");
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((r) => r.ok)).toBe(true);
    expect(await outlook.outlook<unknown[]>("dialogs")).toEqual([]);
  });

  it("signs in through Office's dialog where Outlook has no nested app auth", async () => {
    const outlook = await inOutlook({ naa: "0" });
    const signIn = outlook.pane.getByRole("button", { name: "Sign in" });
    await signIn.waitFor({ timeout: 30_000 });
    const [dialog] = await Promise.all([outlook.page.waitForEvent("popup"), signIn.click()]);
    await signInOnAuthorityPage(dialog);
    await signedInGroup(outlook).waitFor({ timeout: 30_000 });
    expect(await signedInGroup(outlook).textContent()).toContain(ADMIN);
    // The dialog page closes once it has handed the result back (the pane calls dialog.close()).
    if (!dialog.isClosed()) await dialog.waitForEvent("close", { timeout: 10_000 });
    const dialogs = await outlook.outlook<{ url: string; opened: string | null }[]>("dialogs");
    expect(dialogs).toHaveLength(1);
    expect(new URL(dialogs[0]!.url).pathname).toBe("/auth-dialog.html");
    expect(await outlook.outlook<unknown[]>("tokenRequests")).toEqual([]);
  });

  it("explains a closed sign-in dialog and signs in on retry", async () => {
    const outlook = await inOutlook({ naa: "0" });
    const signIn = outlook.pane.getByRole("button", { name: "Sign in" });
    await signIn.waitFor({ timeout: 30_000 });
    const [first] = await Promise.all([outlook.page.waitForEvent("popup"), signIn.click()]);
    await first.waitForURL(/\/oauth2\/v2\.0\/authorize/, { timeout: 20_000 });
    await first.close();
    await outlook.pane.getByText("The sign-in window was closed").waitFor({ timeout: 10_000 });
    const retry = outlook.pane.getByRole("button", { name: "Sign in" });
    const [second] = await Promise.all([outlook.page.waitForEvent("popup"), retry.click()]);
    await signInOnAuthorityPage(second);
    await signedInGroup(outlook).waitFor({ timeout: 30_000 });
    expect(await signedInGroup(outlook).textContent()).toContain(ADMIN);
  });
});

describe("Was this message journaled? (message read)", () => {
  const US_HOST = "journaling.mxrecord.io";
  const usEveryone = JSON.parse(readFileSync("examples/us-everyone.json", "utf8")) as unknown;

  /** The admin applies the US-for-everyone setup through the backend (the wizard's own calls). */
  async function applyUsSetup(page: Page): Promise<void> {
    const config = stack.emulator.config;
    const tokenRes = await page.request.post(`${stack.emulator.origin}/contoso.com/oauth2/v2.0/token`, {
      form: {
        grant_type: "password",
        client_id: config.apps.pane.clientId,
        username: ADMIN,
        password: PASSWORD,
        scope: `${config.apps.api.scope} openid profile`,
      },
    });
    const token = ((await tokenRes.json()) as { access_token: string }).access_token;
    const headers = { authorization: `Bearer ${token}` };
    const plan = await page.request.post(`${stack.pane.origin}/api/plan`, { headers, data: { desired: usEveryone } });
    const { planHash } = (await plan.json()) as { planHash: string };
    const run = await page.request.post(`${stack.pane.origin}/api/runs`, {
      headers,
      data: { desired: usEveryone, planHash },
    });
    const { runId } = (await run.json()) as { runId: string };
    for (let i = 0; i < 600; i++) {
      const res = await page.request.get(`${stack.pane.origin}/api/runs/${runId}`, { headers });
      const state = ((await res.json()) as { state: string }).state;
      if (state !== "running") {
        expect(state).toBe("succeeded");
        return;
      }
      await page.waitForTimeout(100);
    }
    throw new Error("the setup run did not finish");
  }

  async function exchangeSettings(page: Page, settings: Record<string, unknown>): Promise<void> {
    const res = await page.request.put(`${stack.emulator.origin}/_emulator/tenants/contoso.com/exchange/settings`, {
      data: settings,
    });
    expect(res.status()).toBe(200);
  }

  const answer = (o: InOutlook) => o.pane.getByTestId("message-journaling").getByRole("status");

  async function verdictOf(o: InOutlook, verdict: string): Promise<string> {
    const sentence = o.pane.locator(`[data-testid="message-journaling"] [data-verdict="${verdict}"]`);
    try {
      await sentence.waitFor({ timeout: 30_000 });
    } catch (err) {
      const shown = await o.pane.locator("main").textContent();
      throw new Error(`no "${verdict}" answer; the pane shows: ${shown ?? ""}`, { cause: err });
    }
    return (await sentence.textContent()) ?? "";
  }

  let setupPage: Page;
  beforeAll(async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    setupPage = await context.newPage();
    // Behind a mail gateway the setup has its own connector to the journaling host, so the host's
    // TLS failure defers the reports (the emulator's "gateway" tenant, as in journalDelivery.test).
    const reset = await setupPage.request.post(`${stack.emulator.origin}/_emulator/reset`, {
      data: { seed: "gateway" },
    });
    expect(reset.status()).toBe(200);
    await applyUsSetup(setupPage);
  });

  afterAll(async () => {
    await setupPage?.context().close();
  });

  it("says a message from outside was journaled and its report Delivered, and follows the selection", async () => {
    const external = await placeMessage(setupPage, stack, ADMIN, {
      from: "partner@fabrikam.com",
      to: [ADMIN],
      subject: "Quarterly numbers",
    });
    const internal = await placeMessage(setupPage, stack, ADMIN, {
      from: "admin@contoso.com",
      to: [ADMIN],
      subject: "Lunch on Friday",
    });
    const outlook = await inOutlook({ item: external });
    const card = outlook.pane.getByTestId("message-journaling");
    await card.getByText("Quarterly numbers").waitFor({ timeout: 30_000 });
    const sentence = await verdictOf(outlook, "journaled");
    expect(sentence).toMatch(/^Journaled/);
    expect(sentence).toMatch(/delivered/i);
    const reports = card.getByRole("list", { name: "Journal reports" });
    expect(await reports.textContent()).toContain(`contoso@${US_HOST}`);
    expect(await reports.textContent()).toContain("Delivered");
    expect(await card.getByRole("list", { name: "Evidence" }).count()).toBe(1);

    // Selecting another message in Outlook (ItemChanged) answers for that one: internal only.
    await outlook.select(internal);
    await card.getByText("Lunch on Friday").waitFor();
    const notJournaled = await verdictOf(outlook, "notJournaled");
    expect(notJournaled).toMatch(/internal/i);
    expect(await card.getByRole("list", { name: "Journal reports" }).count()).toBe(0);
  });

  it("says a journal report is Pending while the journaling host does not accept it", async () => {
    await exchangeSettings(setupPage, { connectorValidation: { [US_HOST]: "tlsFailure" } });
    try {
      const deferred = await placeMessage(setupPage, stack, ADMIN, {
        from: "partner@fabrikam.com",
        to: [ADMIN],
        subject: "Contract draft",
      });
      const outlook = await inOutlook({ item: deferred });
      const sentence = await verdictOf(outlook, "journaled");
      expect(sentence).toMatch(/queued .* not accepted yet/);
      const reports = outlook.pane.getByRole("list", { name: "Journal reports" });
      expect(await reports.textContent()).toMatch(/Pending since/);
    } finally {
      await exchangeSettings(setupPage, { connectorValidation: { [US_HOST]: "success" } });
    }
  });

  it("says when trace does not show the message yet, and looks again by itself", async () => {
    await exchangeSettings(setupPage, { messageTraceLagSeconds: 20 });
    let fresh: string;
    try {
      fresh = await placeMessage(setupPage, stack, ADMIN, {
        from: "partner@fabrikam.com",
        to: [ADMIN],
        subject: "Just arrived",
      });
    } finally {
      await exchangeSettings(setupPage, { messageTraceLagSeconds: 0 });
    }
    const placedAt = Date.now();
    // The page's clock runs as usual; the test moves it on to the pane's next look.
    const outlook = await inOutlook({ item: fresh }, (context) => context.clock.install());
    const sentence = await verdictOf(outlook, "notYetKnown");
    expect(sentence).toMatch(/does not show this message yet/);
    await outlook.pane.getByText(/Checking again in \d+ seconds/).waitFor();
    // Once trace has it (20 s after it was placed), the pane's next look finds the report.
    await outlook.page.waitForTimeout(Math.max(0, placedAt + 21_000 - Date.now()));
    await outlook.context.clock.fastForward(61_000);
    expect(await verdictOf(outlook, "journaled")).toMatch(/delivered/i);
    expect(await answer(outlook).count()).toBe(1);
  });
});
