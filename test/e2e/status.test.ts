import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { simulateMailFlow } from "../../src/emulator/exchange";
import { updateExchangeSettings } from "../../src/emulator/exchange/settings";
import type { TenantRecord } from "../../src/emulator/exchange/types";
import { createHttpClient, type HttpClient } from "../../src/server/net/httpClient";
import { callApi, passwordToken } from "../integration/server/harness";
import {
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
 * The Status step and the pane's polish in real Chromium against the `npm start` stack: a US setup
 * applied through the backend API (fast) in a tenant whose outbound mail goes through a gateway
 * (so the setup has a connector), journal reports simulated by the emulator, then connector
 * validation (passing, then failing on TLS), the 24 h chart, themes, 320 px and skeletons.
 */
jest.setTimeout(60_000);

const ADMIN = "admin@contoso.com";
const HOST = "journaling.mxrecord.io";
const STEP_TITLES = [
  "Check",
  "Service address",
  "Where mail is processed",
  "Undeliverable reports",
  "Review",
  "Apply",
  "Status",
];

let browser: Browser;
let stack: Stack;
let http: HttpClient;
let contoso: TenantRecord;

/** Emulator settings changed in-process (the same validated merge as PUT /_emulator/.../exchange/settings). */
function exchangeSettings(patch: Record<string, unknown>): void {
  const result = updateExchangeSettings(contoso.exchange, patch);
  if (!result.ok) throw new Error(`emulator settings: ${JSON.stringify(result.errors)}`);
}

async function api(token: string, method: "GET" | "POST" | "PUT", path: string, body?: unknown) {
  const res = await callApi(http, stack.backend.url, method, path, token, body);
  if (res.status >= 400) throw new Error(`${method} ${path}: HTTP ${res.status} ${res.text}`);
  return res.json;
}

/** The US-everyone example applied through the API, and the shared progress saying so (the pane opens on Status). */
async function applyUsSetup(): Promise<void> {
  const token = await passwordToken(http, stack.emulator.config, ADMIN);
  const desired = JSON.parse(readFileSync(join(__dirname, "..", "..", "examples", "us-everyone.json"), "utf8")) as {
    customer: string;
    ndrMailbox: string;
  };
  const { planHash } = await api(token, "POST", "/api/plan", { desired });
  const { runId } = await api(token, "POST", "/api/runs", { desired, planHash });
  for (let state = "running"; state === "running";) {
    await new Promise((r) => setTimeout(r, 50));
    state = String((await api(token, "GET", `/api/runs/${String(runId)}`)).state);
    if (state === "failed") throw new Error("the US setup failed to apply");
  }
  const done = { check: "done", address: "done", where: "done", ndr: "done", review: "done", apply: "done" };
  const draft = {
    customer: desired.customer,
    scope: "everyone",
    everyoneRegion: "us",
    regions: [],
    ndrMailbox: desired.ndrMailbox,
  };
  await api(token, "PUT", "/api/progress", { draft, steps: done, version: 0 });
}

/**
 * Journal reports over the last day: delivered until 3 hours ago, then the journaling host's TLS
 * breaks and the rest are deferred: queued (Pending) and retried by Exchange, not failed yet (they
 * would fail, and bounce, after a day). The TLS failure stays until the status has been read. Done
 * before anything reads the message trace, which the backend caches for minutes.
 */
function simulateJournalReports(): { delivered: number; failed: number; deferred: number } {
  const now = Date.now();
  const hours = (h: number): Date => new Date(now - h * 3_600_000);
  const good = simulateMailFlow(contoso, { from: hours(20), to: hours(4), count: 30, seed: 11 });
  exchangeSettings({ connectorValidation: { [HOST]: "tlsFailure" } });
  const bad = simulateMailFlow(contoso, { from: hours(3), to: hours(0.1), count: 8, seed: 12 });
  return {
    delivered: good.delivered + bad.delivered,
    failed: good.failed + bad.failed,
    deferred: good.deferred + bad.deferred,
  };
}

beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), startStack()]);
  http = createHttpClient({ extraCaPem: stack.emulator.caPem });
  const reset = await callApi(http, stack.emulator.origin, "POST", "/_emulator/reset", undefined, { seed: "gateway" });
  expect(reset.status).toBe(200);
  const tenant = stack.emulator.state.getTenant("contoso.com");
  if (!tenant) throw new Error("no contoso tenant in the emulator");
  contoso = tenant;
  await applyUsSetup();
});
afterAll(async () => {
  http?.close();
  await Promise.all([browser?.close(), stack?.close()]);
});

async function statusShown(page: Page): Promise<void> {
  await expectShown(page.getByRole("heading", { level: 2, name: "Status" }));
  await expectShown(page.getByText("Everything is set up"));
  await waitUntilSettled(page);
}

describe("Status after a US setup behind a gateway", () => {
  it("shows a skeleton before the data, the 24 h chart, and validates the connector: passing, then failing on TLS", async () => {
    const simulated = simulateJournalReports();
    expect(simulated.delivered).toBeGreaterThan(0);
    expect(simulated.deferred).toBe(8);
    // A read as slow as the service's (realistic latency is 0.5-1.5 s), so the first check takes a moment.
    exchangeSettings({ latencyOverridesMs: { "Get-TransportConfig": 500, "Validate-OutboundConnector": 1000 } });

    const context = await newContext(browser);
    // What the page shows first, recorded as it happens (the skeleton may be gone before a locator looks).
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { shown: string[] }).shown = seen;
      const note = (what: string): void => void (seen.includes(what) || seen.push(what));
      new MutationObserver(() => {
        if (document.querySelector('[role="progressbar"][aria-label="Checking the setup"]')) note("skeleton");
        const captions = [...document.querySelectorAll("table caption")].map((c) => c.textContent);
        if (captions.includes("Parts of the setup")) note("data");
      }).observe(document, { childList: true, subtree: true });
    });
    const page = await context.newPage();
    await signIn(page, stack.pane.origin, ADMIN);
    await statusShown(page);
    expect(await page.evaluate(() => (window as unknown as { shown: string[] }).shown)).toEqual(["skeleton", "data"]);

    const parts = await page.getByRole("table", { name: "Parts of the setup" }).innerText();
    expect(parts).toMatch(/OK\s+Outbound connector to journaling\.mxrecord\.io/);
    expect(parts).toMatch(/OK\s+Journal rule/);

    const trace = page.getByRole("region", { name: "Journal reports, last 24 hours" });
    await expect(trace.getByRole("img").getAttribute("aria-label")).resolves.toBe(
      `Journal reports to contoso@journaling.mxrecord.io in the last 24 hours: ${simulated.delivered} delivered, ${simulated.failed} failed`,
    );
    await expect(trace.innerText()).resolves.toMatch(/8 queued \(Pending\) since .*Exchange is still retrying/);
    await expect(page.locator("body").innerText()).resolves.toMatch(
      /Journal reports are queued since .*: the service is not accepting them \(TLS\?\)/,
    );
    // The journaling host accepts TLS again: the validation passes (and Exchange delivers the queued reports).
    exchangeSettings({ connectorValidation: {} });
    // The numbers per hour, for screen readers.
    const perHour = trace.getByRole("table", { name: /per hour/ });
    expect(await perHour.getByRole("row").count()).toBeGreaterThan(10);
    await expect(trace.innerText()).resolves.toMatch(/Message trace as of .*\(just now\)/);

    const validation = page.getByRole("region", { name: "Connector validation" });
    await validation.getByRole("button", { name: "Validate connector" }).click();
    await validation.getByRole("progressbar", { name: "Validating the connector" }).waitFor();
    await validation.getByText("Passed").waitFor({ timeout: 20_000 });
    await expect(validation.innerText()).resolves.toMatch(
      /journaling\.mxrecord\.io through ".+".*by admin@contoso\.com[\s\S]*Exchange delivered a test message to contoso@journaling\.mxrecord\.io/,
    );
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, "status-validation-passed");

    exchangeSettings({ connectorValidation: { [HOST]: "tlsFailure" } });
    await validation.getByRole("button", { name: "Validate connector" }).click();
    await validation.getByRole("progressbar", { name: "Validating the connector" }).waitFor();
    await validation.getByText("Failed", { exact: true }).waitFor({ timeout: 20_000 });
    const failure = await validation.innerText();
    expect(failure).toMatch(/Exchange could not deliver a test message through the connector/);
    expect(failure).toMatch(/Next: Check that journaling\.mxrecord\.io is the journaling host.*accepts TLS/);
    expect(failure).not.toContain("[object Object]");
    await expect(page.locator("body").innerText()).resolves.toMatch(/Next: validate the connector/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, "status-validation-failed");

    exchangeSettings({ connectorValidation: {}, latencyOverridesMs: {} });
    await context.close();
  });
});

describe("themes", () => {
  it("restyles the pane in dark and high contrast, and axe finds nothing serious in either", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, stack.pane.origin, ADMIN);
    const colours = async (): Promise<{ page: string; panel: string; text: string }> =>
      page.evaluate(() => {
        const style = (el: Element | null): CSSStyleDeclaration => getComputedStyle(el ?? document.body);
        const root = document.querySelector("[data-theme]");
        const panel = document.querySelector('section[aria-labelledby="step-heading"]');
        return { page: style(root).backgroundColor, panel: style(panel).backgroundColor, text: style(root).color };
      });
    /** No frame around the app: the body has no margin and the document shows the page's own colour. */
    const noFrame = async (): Promise<void> => {
      const around = await page.evaluate(() => ({
        margin: getComputedStyle(document.body).margin,
        document: getComputedStyle(document.documentElement).backgroundColor,
        page: getComputedStyle(document.querySelector("[data-theme]") ?? document.body).backgroundColor,
        edge: document.elementFromPoint(1, 1)?.closest("[data-theme]") !== null,
      }));
      expect(around).toEqual({ margin: "0px", document: around.page, page: around.page, edge: true });
    };
    await statusShown(page);
    const light = await colours();
    await noFrame();

    const seen = new Set([JSON.stringify(light)]);
    for (const theme of ["dark", "contrast"]) {
      // The session lives in the tab (sessionStorage): reloading with ?theme= needs no new sign-in.
      await page.goto(`${stack.pane.origin}/?theme=${theme}`);
      await statusShown(page);
      const now = await colours();
      await noFrame();
      expect(now.page).not.toBe(light.page);
      expect(now.panel).not.toBe(light.panel);
      expect(now.text).not.toBe(light.text);
      seen.add(JSON.stringify(now));
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, `status-theme-${theme}`);
    }
    expect(seen.size).toBe(3);
    await context.close();
  });
});

describe("320 px wide (Outlook's task pane)", () => {
  /** The page does not scroll sideways, and the button is inside the 320 px and can be pressed. */
  async function fitsAndReachable(page: Page, button: Locator, where: string): Promise<void> {
    // Fluent's message bars measure themselves (ResizeObserver) and wrap on the next frame; on a busy
    // machine that frame can come after the data, so let two frames pass before measuring.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const { width, overflowing } = await page.evaluate(() => {
      const right = (el: Element): number => el.getBoundingClientRect().right;
      const wide = [...document.querySelectorAll("body *")].filter((el) => right(el) > window.innerWidth + 0.5);
      // The innermost elements that stick out name the culprit when this fails.
      const innermost = wide.filter((el) => !wide.some((other) => other !== el && el.contains(other)));
      return {
        width: document.scrollingElement?.scrollWidth ?? Infinity,
        overflowing: innermost
          .slice(0, 3)
          .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${(el.textContent ?? "").slice(0, 40)}`),
      };
    });
    expect({ where, width, overflowing }).toEqual({ where, width: Math.min(width, 320), overflowing });
    await button.scrollIntoViewIfNeeded();
    const box = await button.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(320);
    // Reachable by a person: nothing covers it, and a real click at its centre lands on it (except
    // Apply, which would change the tenant; the hit test above already shows a click would land).
    await expectShown(button);
    if (!/^Apply/.test((await button.textContent()) ?? "")) await button.click();
  }

  it("never scrolls sideways on any step or the shared progress, and the primary buttons are reachable", async () => {
    const context = await newContext(browser, 320);
    const page = await context.newPage();
    await signIn(page, stack.pane.origin, ADMIN);
    await statusShown(page);
    const nav = page.getByRole("navigation", { name: "Setup steps" });
    const primary: Record<string, RegExp> = {
      Check: /^Next$/,
      "Service address": /^Next$/,
      "Where mail is processed": /^Next$/,
      "Undeliverable reports": /^Next$/,
      Review: /^(See status|Apply \d+ changes?)$/,
      Apply: /^Go to Review$/,
      Status: /^Check again$/,
    };
    for (const [i, title] of STEP_TITLES.entries()) {
      await nav.getByRole("button", { name: new RegExp(`^${i + 1}\\. ${title}`) }).click();
      await page.getByRole("heading", { level: 2, name: title }).waitFor();
      await waitUntilSettled(page);
      await screenshot(page, `320-${i + 1}-${title.toLowerCase().replace(/\s+/g, "-")}`);
      const main = page.locator("main");
      await fitsAndReachable(page, main.getByRole("button", { name: primary[title] }).first(), title);
    }
    await page.getByRole("tab", { name: "Shared progress" }).click();
    await page.getByRole("heading", { name: "Setup progress" }).waitFor();
    await waitUntilSettled(page);
    await fitsAndReachable(page, page.getByRole("button", { name: "Copy link" }), "Shared progress");
    await screenshot(page, "320-shared-progress");
    await context.close();
  });
});
