import type { Browser, BrowserContext, Page } from "playwright-core";
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

/**
 * Every screen of the pane in each theme (Fluent Teams light, dark, high contrast) at 320 px (the
 * Outlook task pane) and 1280 px, saved as artifacts/pane/<theme>-<width>/<screen>.png for people
 * to look at, with axe (nothing serious or critical) and no sideways scrolling on each.
 *
 * One stack and two sign-ins (an admin and a user without a role): each combination reloads the
 * same tab with `?theme=` (the session lives in the tab) at its width. Before each run through the
 * setup the emulator's tenant goes back to its seed, so Review has changes and Apply shows a run.
 */
jest.setTimeout(300_000);

const THEMES = ["light", "dark", "contrast"] as const;
const WIDTHS = [320, 1280] as const;
const COMBINATIONS = WIDTHS.flatMap((width) => THEMES.map((theme) => ({ theme, width })));

let browser: Browser;
let stack: Stack;
let adminContext: BrowserContext;
let userContext: BrowserContext;
let admin: Page;
let reader: Page;

beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), startStack()]);
  [adminContext, userContext] = await Promise.all([newContext(browser, 1280), newContext(browser, 1280)]);
  [admin, reader] = await Promise.all([adminContext.newPage(), userContext.newPage()]);
  await signIn(admin, stack.pane.origin, "admin@contoso.com");
  await signIn(reader, stack.pane.origin, "user@contoso.com");
});
afterAll(async () => {
  await Promise.all([adminContext?.close(), userContext?.close()]);
  await Promise.all([browser?.close(), stack?.close()]);
});

/** Saves one screen and notes what is wrong with it (axe, sideways scrolling) instead of stopping at the first. */
function shooter(page: Page, folder: string, width: number, problems: string[]) {
  return async (name: string): Promise<void> => {
    // The pointer off the controls (on the page's title), so the screens show resting states, not a hover.
    await page.mouse.move(1, 1);
    await waitUntilSettled(page);
    // Fluent's message bars wrap on the frame after they measure themselves.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await screenshot(page, `${folder}/${name}`);
    for (const v of await seriousAxeViolations(page)) problems.push(`${folder}/${name}: ${v}`);
    const scrollWidth = await page.evaluate(() => document.scrollingElement?.scrollWidth ?? 0);
    if (scrollWidth > width) problems.push(`${folder}/${name}: the page is ${scrollWidth} px wide (scrolls sideways)`);
  };
}

async function openWithTheme(page: Page, theme: string, width: number): Promise<void> {
  await page.setViewportSize({ width, height: 900 });
  await page.goto(`${stack.pane.origin}/?theme=${theme}`);
  await page.locator(`[data-theme="${theme}"]`).waitFor();
  await page.getByRole("group", { name: "Signed-in account" }).waitFor({ timeout: 20_000 });
}

const heading = (page: Page, title: string) => page.getByRole("heading", { level: 2, name: title });

/** The US setup as an admin clicks through it, one screenshot per step, then the shared progress. */
async function throughTheSetup(page: Page, shot: (name: string) => Promise<void>): Promise<void> {
  const person = new Actor(page);
  const next = (): Promise<void> => person.click(page.getByRole("button", { name: "Next" }));
  const nav = page.getByRole("navigation", { name: "Setup steps" });
  await person.click(nav.getByRole("button", { name: /^1\. Check/ }));
  await expectShown(heading(page, "Check"));
  await page.getByText(/of \d+ allowed are used/).waitFor({ timeout: 20_000 });
  await shot("1-check");

  await next();
  await expectShown(heading(page, "Service address"));
  const customer = page.getByLabel("Customer name");
  if ((await customer.inputValue()) === "") await person.type(customer, "contoso");
  await shot("2-service-address");

  await next();
  await expectShown(heading(page, "Where mail is processed"));
  await shot("3-where");
  // The regions editor too (one region), then back to everyone in the US.
  await person.click(page.getByRole("radio", { name: /^By region/ }));
  const eu = page.getByRole("checkbox", { name: /^EU only/ });
  if (!(await eu.isChecked())) await person.click(eu);
  await page.getByRole("region", { name: "EU only (no fallback)" }).waitFor();
  await shot("3-where-by-region");
  await person.click(page.getByRole("radio", { name: /^Everyone/ }));
  await person.click(page.getByRole("radio", { name: /^United States/ }));

  await next();
  await expectShown(heading(page, "Undeliverable reports"));
  const ndr = page.getByRole("combobox", { name: /Mailbox for undeliverable journal reports/ });
  if ((await ndr.inputValue()) === "") await person.click(page.getByRole("button", { name: /^Use Journal NDR/ }));
  await page.getByText(/journal rules cover external messages only/).waitFor({ timeout: 20_000 });
  await shot("4-undeliverable-reports");

  await next();
  await expectShown(heading(page, "Review"));
  const apply = page.getByRole("button", { name: /^Apply \d+ changes?$/ });
  await apply.waitFor({ timeout: 30_000 });
  await shot("5-review");
  await person.click(page.getByRole("tab", { name: "PowerShell" }));
  await page.getByLabel("PowerShell script").waitFor();
  await shot("5-review-powershell");
  await person.click(page.getByRole("tab", { name: /^Steps/ }));

  await person.click(apply);
  await expectShown(heading(page, "Apply"));
  const seeStatus = page.getByRole("button", { name: "See status" });
  await seeStatus.waitFor({ timeout: 120_000 });
  await shot("6-apply");

  await person.click(seeStatus);
  await expectShown(heading(page, "Status"));
  await expectShown(page.getByText("Everything is set up"), 60_000);
  await shot("7-status");

  await person.click(page.getByRole("tab", { name: "Shared progress" }));
  await expectShown(page.getByRole("heading", { name: "Setup progress" }));
  await shot("progress");
  await person.click(page.getByRole("tab", { name: "Setup" }));
}

describe("every screen in every theme at 320 px and 1280 px", () => {
  it.each(COMBINATIONS)("$theme at $width px", async ({ theme, width }) => {
    const folder = `${theme}-${width}`;
    const problems: string[] = [];

    // A fresh tenant again (the backend keeps the draft and the shared history), so there is something to apply.
    stack.emulator.state.reset();
    await openWithTheme(admin, theme, width);
    await throughTheSetup(admin, shooter(admin, folder, width, problems));

    await openWithTheme(reader, theme, width);
    await expectShown(reader.getByText("Read-only"));
    await shooter(reader, folder, width, problems)("read-only");

    expect(problems).toEqual([]);
  });
});
