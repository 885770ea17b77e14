import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import type { TenantRecord } from "../../src/emulator/exchange/types";
import { createHttpClient, type HttpClient } from "../../src/server/net/httpClient";
import { callApi, passwordToken } from "../integration/server/harness";
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
 * Managing an existing setup from the pane, in real Chromium against the `npm start` stack: pause
 * then resume, a reader who sees "Paused" and can press nothing (at 320 px), and removal behind the
 * typed organisation name. The US setup is applied through the backend API first (fast).
 */
jest.setTimeout(180_000);

const ADMIN = "admin@contoso.com";
/** Compliance Administrator: an Entra role that may read the tenant, not change it. */
const READER = "compliance.admin@contoso.com";
const US_EVERYONE = JSON.parse(readFileSync(join(__dirname, "..", "..", "examples", "us-everyone.json"), "utf8")) as {
  customer: string;
  ndrMailbox: string;
};

let browser: Browser;
let stack: Stack;
let http: HttpClient;
let contoso: TenantRecord;

async function api(method: "GET" | "POST" | "PUT", path: string, body?: unknown): Promise<Record<string, unknown>> {
  const token = await passwordToken(http, stack.emulator.config, ADMIN);
  const res = await callApi(http, stack.backend.url, method, path, token, body);
  if (res.status >= 400) throw new Error(`${method} ${path}: HTTP ${res.status} ${res.text}`);
  return res.json;
}

/** Plans and applies `desired` through the API, as the pane does, and waits for the run to end. */
async function applyThroughApi(desired: unknown): Promise<void> {
  const { planHash } = await api("POST", "/api/plan", { desired });
  const { runId } = await api("POST", "/api/runs", { desired, planHash });
  for (let state = "running"; state === "running";) {
    await new Promise((r) => setTimeout(r, 50));
    state = String((await api("GET", `/api/runs/${String(runId)}`)).state);
    if (state === "failed") throw new Error("the run failed");
  }
}

beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), startStack()]);
  http = createHttpClient({ extraCaPem: stack.emulator.caPem });
  const tenant = stack.emulator.state.getTenant("contoso.com");
  if (!tenant) throw new Error("no contoso tenant in the emulator");
  contoso = tenant;
  await applyThroughApi(US_EVERYONE);
  const done = { check: "done", address: "done", where: "done", ndr: "done", review: "done", apply: "done" };
  const draft = {
    customer: US_EVERYONE.customer,
    scope: "everyone",
    everyoneRegion: "us",
    regions: [],
    ndrMailbox: US_EVERYONE.ndrMailbox,
  };
  await api("PUT", "/api/progress", { draft, steps: done, version: 0 });
});
afterAll(async () => {
  http?.close();
  await Promise.all([browser?.close(), stack?.close()]);
});

/** The Manage area's review -> Apply -> run finished, then back to its overview. */
async function applyFromManage(page: Page, admin: Actor, doneTitle: string): Promise<void> {
  const apply = page.getByRole("button", { name: /^Apply \d+ changes?$/ });
  await apply.waitFor({ timeout: 30_000 });
  await admin.click(apply);
  await expectShown(page.getByText(doneTitle), 60_000);
  await admin.click(page.getByRole("button", { name: "See status" }));
}

describe("managing the US setup from the pane", () => {
  it("pauses (status: Paused since … by the admin) and resumes (status: healthy)", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, stack.pane.origin, ADMIN);
    const admin = new Actor(page);
    const manage = page.getByRole("region", { name: "Manage journaling" });
    await expectShown(manage.getByText("Journaling is on"));

    await admin.click(page.getByRole("button", { name: "Pause journaling" }));
    await expectShown(page.getByRole("heading", { name: "Pause journaling: review" }));
    await expectShown(page.getByRole("list", { name: "Planned changes" }), 30_000);
    await applyFromManage(page, admin, "Journaling is paused");
    await expectShown(manage.getByText(/Paused since .+ by admin@contoso\.com\./));
    expect(contoso.exchange.journalRules.every((r) => !r.Enabled)).toBe(true);
    // The wizard's Status (loaded again) says the same.
    await expectShown(page.getByRole("heading", { level: 2, name: "Status" }));
    await expectShown(page.getByText("Journaling is paused").last());

    await admin.click(page.getByRole("button", { name: "Resume journaling" }));
    await applyFromManage(page, admin, "Journaling is on again");
    await expectShown(manage.getByText("Journaling is on"));
    await expectShown(page.getByText("Everything is set up"), 60_000);
    expect(contoso.exchange.journalRules.every((r) => r.Enabled)).toBe(true);
    await context.close();
  });

  it("shows a reader (Compliance Administrator) at 320 px that journaling is paused, with nothing to press", async () => {
    await applyThroughApi({ ...US_EVERYONE, state: "paused" });
    const context = await newContext(browser, 320);
    const page = await context.newPage();
    await signIn(page, stack.pane.origin, READER);
    await page.getByText("Read-only").waitFor({ timeout: 20_000 });
    const manage = page.getByRole("region", { name: "Manage journaling" });
    await expectShown(manage.getByText(/Paused since .+ by admin@contoso\.com\./));
    const buttons = manage.getByRole("button");
    expect(await buttons.count()).toBe(3);
    for (const b of await buttons.all()) await expect(b.isDisabled()).resolves.toBe(true);
    await waitUntilSettled(page);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, "manage-reader-paused-320");
    // Nothing wider than the pane.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });

  it("removes journaling once the organisation's name is typed: the tenant's journal rules are gone", async () => {
    expect(contoso.exchange.journalRules.length).toBeGreaterThan(0);
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, stack.pane.origin, ADMIN);
    const admin = new Actor(page);
    const manage = page.getByRole("region", { name: "Manage journaling" });
    await admin.click(manage.getByRole("button", { name: "Remove journaling" }));
    await expectShown(page.getByRole("list", { name: "Objects to remove" }), 30_000);
    await expectShown(page.getByRole("list", { name: "Objects kept" }));
    const remove = manage.getByRole("button", { name: "Remove journaling" });
    await expect(remove.isDisabled()).resolves.toBe(true);
    await waitUntilSettled(page);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, "manage-remove-review");
    await admin.type(page.getByLabel(/type the organisation's display name: Contoso/), "Contoso");
    await expect(remove.isEnabled()).resolves.toBe(true);
    await admin.click(remove);
    await expectShown(page.getByText("Journaling is removed").first(), 60_000);
    await admin.click(page.getByRole("button", { name: "See status" }));
    await expectShown(manage.getByText(/No journal reports are sent/));
    expect(contoso.exchange.journalRules).toEqual([]);
    await context.close();
  });
});
