import { readFileSync } from "node:fs";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
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

/**
 * Counts what the admin does after sign-in: clicks and typed values (issue 5: US setup <= 8 clicks, 1 value).
 * A click is a person's click (issue 10): a real pointer click at the element's centre after
 * Playwright's actionability checks (visible, stable, enabled, and nothing else on top there),
 * never `force`, `dispatchEvent`, a click in `evaluate` or a key press instead.
 */
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

/**
 * What a person sees at the element's centre: "" when it is the element (or inside it), else a
 * short description of what covers it (the portal sheet of issue 10 was a `div` over the page).
 */
async function coveredBy(locator: Locator): Promise<string> {
  return locator.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const hit = el.ownerDocument.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    if (hit !== null && (hit === el || el.contains(hit))) return "";
    if (hit === null) return "nothing (outside the viewport)";
    const classes =
      typeof hit.className === "string" && hit.className !== "" ? `.${hit.className.split(/\s+/).join(".")}` : "";
    return `${hit.tagName.toLowerCase()}${hit.id ? `#${hit.id}` : ""}${classes} ("${(hit.textContent ?? "").trim().slice(0, 40)}")`;
  });
}

/**
 * Text counts as shown only when a person can see it: the element is visible and, scrolled into
 * view, the topmost element at its centre is the element itself or inside it (nothing covers it).
 * Waits up to `timeout` for both; the error names what covers the element.
 */
export async function expectShown(locator: Locator, timeout = 20_000): Promise<void> {
  const deadline = Date.now() + timeout;
  await locator.waitFor({ state: "visible", timeout });
  for (;;) {
    await locator.scrollIntoViewIfNeeded({ timeout });
    const covering = await coveredBy(locator);
    if (covering === "") return;
    if (Date.now() >= deadline) {
      throw new Error(`${String(locator)} is visible but covered at its centre by ${covering}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A person's click on an empty part of the page (to close a drop-down): a real pointer click at a
 * point of the page's own background, beside the content column, that holds no control.
 */
export async function clickEmptySpace(page: Page): Promise<void> {
  const point = await page.evaluate(() => {
    const main = document.querySelector("main");
    const box = main?.getBoundingClientRect();
    // Beside the centred content column when there is room, else in the page's padding below the header.
    const x = box && box.left > 8 ? box.left / 2 : 4;
    const y = Math.min(window.innerHeight - 4, Math.max((box?.top ?? 0) + 4, window.innerHeight / 2));
    const hit = document.elementFromPoint(x, y);
    const control = hit?.closest("button, input, select, textarea, a, label, [role], [tabindex]");
    return { x, y, control: control ? control.outerHTML.slice(0, 80) : null };
  });
  // A portal layer over the page is no control: clicking it is what a person would do too.
  if (point.control !== null) throw new Error(`no empty space to click at (${point.x}, ${point.y}): ${point.control}`);
  await page.mouse.click(point.x, point.y);
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

/** A full-page screenshot kept in artifacts/pane/ (`name` may hold a folder: `dark-320/1-check`). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(ARTIFACTS, `${name}.png`);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true });
}
