import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
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
 * The Status step's "Send a test message" in real Chromium against the `npm start` stack, after an
 * EU1 + India setup: per region a real message through the emulator's mail flow, then the journal
 * report followed in message trace. Both pass; then, with the EU host's deliveries deferred through
 * the emulator's knob, EU shows Pending with the reason and India still passes.
 */
jest.setTimeout(90_000);

const ADMIN = "admin@contoso.com";
const EU_HOST = "journaling.mailstream-eu1.mxrecord.io";
const GRAPH = "00000003-0000-0000-c000-000000000000";

let browser: Browser;
let stack: Stack;
let http: HttpClient;
let contoso: TenantRecord;

async function api(token: string, method: "GET" | "POST" | "PUT", path: string, body?: unknown) {
  const res = await callApi(http, stack.backend.url, method, path, token, body);
  if (res.status >= 400) throw new Error(`${method} ${path}: HTTP ${res.status} ${res.text}`);
  return res.json;
}

/** The EU + India example applied through the API, and the shared progress saying so (the pane opens on Status). */
async function applyEuIndia(): Promise<void> {
  const token = await passwordToken(http, stack.emulator.config, ADMIN);
  const desired = JSON.parse(
    readFileSync(join(__dirname, "..", "..", "examples", "eu-india-regions.json"), "utf8"),
  ) as {
    customer: string;
    ndrMailbox: string;
    journaling: { regions: { region: string; group: { name: string; address: string; members: string[] } }[] };
  };
  const { planHash } = await api(token, "POST", "/api/plan", { desired });
  const { runId } = await api(token, "POST", "/api/runs", { desired, planHash });
  for (let state = "running"; state === "running";) {
    await new Promise((r) => setTimeout(r, 50));
    state = String((await api(token, "GET", `/api/runs/${String(runId)}`)).state);
    if (state === "failed") throw new Error("the EU + India setup failed to apply");
  }
  const done = { check: "done", address: "done", where: "done", ndr: "done", review: "done", apply: "done" };
  const draft = {
    customer: desired.customer,
    scope: "regions",
    everyoneRegion: "us",
    regions: desired.journaling.regions.map((r) => ({
      region: r.region,
      mode: "create",
      name: r.group.name,
      address: r.group.address,
      manageMembers: true,
      members: r.group.members,
    })),
    ndrMailbox: desired.ndrMailbox,
  };
  await api(token, "PUT", "/api/progress", { draft, steps: done, version: 0 });
}

beforeAll(async () => {
  [browser, stack] = await Promise.all([
    launchBrowser(),
    startStack({ mailflowTest: { pollMs: 300, timeoutMs: 30_000, reportGraceMs: 8_000 } }),
  ]);
  http = createHttpClient({ extraCaPem: stack.emulator.caPem });
  const tenant = stack.emulator.state.getTenant("contoso.com");
  if (!tenant) throw new Error("no contoso tenant in the emulator");
  contoso = tenant;
  // Admin consent to the backend app's application Mail.Send: the test messages come from list members.
  contoso.directory.applicationGrants.push({
    clientAppId: stack.emulator.config.apps.api.clientId,
    resourceAppId: GRAPH,
    appRoles: ["Mail.Send"],
  });
  await applyEuIndia();
});
afterAll(async () => {
  http?.close();
  await Promise.all([browser?.close(), stack?.close()]);
});

test("EU1 + India both pass; with the EU host deferred, EU is Pending with the reason and India passes", async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  await signIn(page, stack.pane.origin, ADMIN);
  await expectShown(page.getByRole("heading", { level: 2, name: "Status" }));
  await waitUntilSettled(page);

  const section = page.getByRole("region", { name: "Send a test message" });
  await section.getByRole("textbox", { name: /External recipient/ }).fill("megan.personal@fabrikam.example");
  await section.getByRole("button", { name: "Send a test message" }).click();
  const results = section.getByRole("list", { name: "Mail-flow test results" });
  await section.getByText(/^Passed: test messages to megan\.personal@fabrikam\.example/).waitFor({ timeout: 40_000 });
  const passed = await results.innerText();
  expect(passed).toMatch(
    /Delivered\s+eu1: from anna\.schmidt@contoso\.com to contoso@journaling\.mailstream-eu1\.mxrecord\.io, journal report delivered to journaling\.mailstream-eu1\.mxrecord\.io in \d+ s/,
  );
  expect(passed).toMatch(/Delivered\s+bom: from priya\.sharma@contoso\.com/);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await screenshot(page, "status-mailflow-passed");

  const deferred = updateExchangeSettings(contoso.exchange, { connectorValidation: { [EU_HOST]: "tlsFailure" } });
  expect(deferred.ok).toBe(true);
  await section.getByRole("button", { name: "Send a test message" }).click();
  await section.getByText(/^Failed: test messages to/).waitFor({ timeout: 40_000 });
  const failed = await results.innerText();
  expect(failed).toMatch(/Pending\s+eu1: from anna\.schmidt@contoso\.com/);
  expect(failed).toMatch(/Pending since .*: journaling\.mailstream-eu1\.mxrecord\.io is not accepting it/);
  expect(failed).toMatch(/Delivered\s+bom/);
  await screenshot(page, "status-mailflow-eu-pending");
  updateExchangeSettings(contoso.exchange, { connectorValidation: {} });
  await context.close();
});
