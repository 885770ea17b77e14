import type { Browser, Page } from "playwright-core";
import {
  Actor,
  expectShown,
  launchBrowser,
  newContext,
  screenshot,
  seriousAxeViolations,
  signIn,
  waitUntilSettled,
} from "./browser";
import { startStack, type Stack } from "./stack";
import { completeUsSetup } from "./usSetup";

/**
 * The pane in real Chromium against the `npm start` stack (emulator + backend + pane server on
 * random ports): sign-in through the emulator's page, the guided setup, sharing, read-only.
 */
jest.setTimeout(180_000);

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function stepHeading(page: Page, title: string): Promise<void> {
  await expectShown(page.getByRole("heading", { level: 2, name: title }));
}

/** axe on the current step (nothing serious or critical) and a screenshot kept in artifacts/. */
async function checkStep(page: Page, name: string): Promise<void> {
  await waitUntilSettled(page);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await screenshot(page, name);
}

describe("a fresh tenant, US for everyone", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("goes from sign-in to a green status in at most 8 clicks and 1 typed value", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, stack.pane.origin, "admin@contoso.com");
    await expect(page.getByRole("group", { name: "Signed-in account" }).innerText()).resolves.toMatch(
      /Megan Admin.*admin@contoso\.com.*Contoso/s,
    );
    const admin = new Actor(page);

    await completeUsSetup(page, admin, async (name) => {
      await checkStep(page, name);
      if (name === "5-review") {
        // The PowerShell tab is opened only to check it; it is not part of the setup (no click counted).
        await page.getByRole("tab", { name: "PowerShell" }).click();
        await expect(page.getByLabel("PowerShell script").innerText()).resolves.toContain("New-JournalRule");
        await screenshot(page, "5-review-powershell");
        await page.getByRole("tab", { name: /^Steps/ }).click();
      }
    });

    // The manual procedure takes dozens of clicks across two portals (issue 5).
    // The PowerShell tab was opened only to check it; it is not part of the setup.
    expect(admin.clicks).toBeLessThanOrEqual(8);
    expect(admin.typed).toBe(1);
    // The first setup is applied: the Manage area appears above the steps without a reload.
    await expectShown(page.getByRole("region", { name: "Manage journaling" }).getByText("Journaling is on"), 30_000);
    await context.close();
  });
});

describe("the same pane for other users and choices", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("refuses a group as the mailbox for undeliverable reports and says why", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, stack.pane.origin, "exchange.admin@contoso.com");
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByLabel("Customer name").fill("contoso");
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("button", { name: "Next" }).click();
    await stepHeading(page, "Undeliverable reports");
    const mailbox = page.getByRole("combobox", { name: /Mailbox for undeliverable journal reports/ });
    await mailbox.click();
    await mailbox.pressSequentially("sales@contoso.com");
    const refusal = page.getByText(/is the group "Sales".*refuses groups here: choose a user account/);
    await refusal.waitFor({ timeout: 20_000 });
    // The search offers the group only as an option that can't be chosen, with the reason.
    await expect(
      page
        .getByRole("option", { name: /Sales.*can't|refuses groups/ })
        .first()
        .isDisabled(),
    ).resolves.toBe(true);
    await mailbox.press("Escape");
    // Next, clicked, must refuse to move on while the address is a group, and the reason is in sight.
    await page.getByRole("button", { name: "Next" }).click();
    await expectShown(page.getByRole("heading", { level: 2, name: "Undeliverable reports" }));
    await expectShown(refusal);
    await checkStep(page, "4-ndr-group-refused");
    await context.close();
  });

  it("sets up EU and India with new lists and members", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, stack.pane.origin, "admin@contoso.com");
    // The earlier test on this tenant left steps done: the wizard opens where the setup stands.
    await page.getByRole("navigation", { name: "Setup steps" }).waitFor({ timeout: 20_000 });
    await page.getByRole("button", { name: "2. Service address" }).click();
    await page.getByLabel("Customer name").fill("contoso");
    await page.getByRole("button", { name: "Next" }).click();
    await stepHeading(page, "Where mail is processed");
    await page.getByRole("radio", { name: /^By region/ }).check();
    await page.getByRole("checkbox", { name: /^EU only/ }).check();
    await page.getByRole("checkbox", { name: /^India only/ }).check();
    await expect(page.getByLabel("List address").first().inputValue()).resolves.toBe("journaling-eu1@contoso.com");

    const eu = page.getByRole("region", { name: "EU only (no fallback)" });
    await eu.getByRole("combobox", { name: /Add members/ }).pressSequentially("anna");
    await page.getByRole("option", { name: /Anna Schmidt/ }).click();
    await eu.getByRole("combobox", { name: /Add members/ }).pressSequentially("jonas");
    await page.getByRole("option", { name: /Jonas Becker/ }).click();
    const india = page.getByRole("region", { name: "India only" });
    await india.getByRole("combobox", { name: /Add members/ }).pressSequentially("priya");
    await page.getByRole("option", { name: /Priya Sharma/ }).click();
    await expect(eu.getByLabel(/Members of the EU only/).innerText()).resolves.toMatch(
      /anna\.schmidt@contoso\.com[\s\S]*jonas\.becker@contoso\.com/,
    );
    await checkStep(page, "3-where-eu-india");
    await page.getByRole("button", { name: "Next" }).click();

    await stepHeading(page, "Undeliverable reports");
    await page.getByRole("button", { name: /^Use Journal NDR/ }).click();
    await page.getByText(/Only members of the regional distribution lists are journaled/).waitFor({ timeout: 20_000 });
    await page.getByRole("button", { name: "Next" }).click();
    await stepHeading(page, "Review");
    await expect(page.getByRole("list", { name: "Planned changes" }).innerText()).resolves.toMatch(
      /journaling-eu1@contoso\.com/,
    );
    await page.getByRole("button", { name: /^Apply \d+ changes?$/ }).click();
    await page.getByRole("button", { name: "See status" }).click({ timeout: 60_000 });
    await stepHeading(page, "Status");
    await expectShown(page.getByText("Everything is set up"));
    const parts = await page.getByRole("table", { name: "Parts of the setup" }).innerText();
    expect(parts).toMatch(/Distribution list/);
    expect(parts).toMatch(/journaling-bom|India/i);
    await screenshot(page, "7-status-eu-india");
    await context.close();
  });

  it("gives a user without an admin role a read-only view that names the role needed", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, stack.pane.origin, "user@contoso.com");
    await page.getByText("Read-only").waitFor({ timeout: 20_000 });
    await expect(page.locator("main").innerText()).resolves.toMatch(
      /needs the .*(Exchange Administrator|Global Administrator).* role/,
    );
    await expect(page.getByRole("button", { name: "Next" }).count()).resolves.toBe(0);
    await checkStep(page, "read-only");
    await context.close();
  });

  it("shows a second user what the first one did", async () => {
    const first = await newContext(browser);
    const a = await first.newPage();
    await signIn(a, stack.pane.origin, "admin@contoso.com");
    await a.getByRole("button", { name: "2. Service address" }).click();
    await a.getByLabel("Customer name").fill("contoso-shared");
    await a.getByRole("button", { name: "Next" }).click();
    await stepHeading(a, "Where mail is processed");
    await a.getByRole("tab", { name: "Shared progress" }).click();
    await a.getByRole("button", { name: "Copy link" }).click();
    const link = await a.evaluate(() => navigator.clipboard.readText());
    expect(link).toMatch(/#\/progress$/);

    const second = await newContext(browser);
    const b = await second.newPage();
    await signIn(b, stack.pane.origin, "exchange.admin@contoso.com", "#/progress");
    await b.getByRole("heading", { name: "Setup progress" }).waitFor({ timeout: 20_000 });
    const view = await b.locator("main").innerText();
    expect(view).toContain("contoso-shared");
    expect(view).toMatch(/admin@contoso\.com/);
    await checkStep(b, "progress-second-user");
    await first.close();
    await second.close();
  });
});
