import { readFileSync } from "node:fs";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { CHROMIUM_ARGS, ensureChromium } from "./ensureChromium";

export const ARTIFACTS = join(__dirname, "..", "..", "artifacts", "pane");

export async function launchBrowser(): Promise<Browser> {
  const executablePath = ensureChromium();
  // The emulator's CA is trusted for the tests only (ignoreHTTPSErrors on each context).
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

export async function newContext(browser: Browser, width = 1100): Promise<BrowserContext> {
  return browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width, height: 900 },
    permissions: ["clipboard-read", "clipboard-write"],
  });
}

/** Counts what the admin does after sign-in: clicks and typed values (issue 5: US setup <= 8 clicks, 1 value). */
export class Actor {
  clicks = 0;
  typed = 0;
  constructor(readonly page: Page) {}
  async click(locator: Locator): Promise<void> {
    this.clicks++;
    await locator.click();
  }
  async type(locator: Locator, value: string): Promise<void> {
    this.typed++;
    await locator.fill(value);
  }
}

export async function signIn(page: Page, paneOrigin: string, upn: string, hash = ""): Promise<void> {
  await page.goto(`${paneOrigin}/${hash}`);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/oauth2\/v2\.0\/authorize/);
  await page.getByLabel("Email, phone, or Skype").fill(upn);
  await page.getByLabel("Password").fill(`${upn.split("@")[0]}-Pass1!`);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("group", { name: "Signed-in account" }).waitFor({ timeout: 20000 });
}

/**
 * Waits until nothing is loading (no skeleton, nothing aria-busy) and no CSS transition runs: a
 * button turning primary fades its background in, and axe measuring mid-fade reports white text
 * on a pale background.
 */
export async function waitUntilSettled(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document.querySelectorAll('[aria-busy="true"], .fui-Skeleton').length === 0 &&
      !document.getAnimations().some((a) => a instanceof CSSTransition),
    undefined,
    { timeout: 20_000 },
  );
}

const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core in the page (evaluate is not subject to the page's CSP) and returns serious/critical findings. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    // Tabster (Fluent's focus manager) puts aria-hidden focus sentinels (<i data-tabster-dummy>) at the
    // edges of focus groups; they hand focus on at once and are never read. axe flags them
    // (aria-hidden-focus), a known false positive, so they are left out of the scan.
    const result = await axe.run({ exclude: [["[data-tabster-dummy]"]] } as unknown as Document, {
      resultTypes: ["violations"],
    });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
