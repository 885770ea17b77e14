import { readFileSync } from "node:fs";
import type { MailFlowTest } from "../../../src/core/contract";
import type { TenantRecord } from "../../../src/emulator/exchange";
import { startStack, waitForRun, type Stack } from "./harness";

/**
 * The mail-flow test over real HTTP against the emulator, after applying the EU + India setup: per
 * region a real message (Graph sendMail) from a member of the region's list to an external address,
 * then message trace until the journal report to the region's address is Delivered. With the EU
 * host's deliveries deferred (/_emulator/): EU reports Pending with the reason, India passes. The
 * result is in the audit and the shared progress.
 */
const euIndia = JSON.parse(readFileSync("examples/eu-india-regions.json", "utf8")) as unknown;
const ADMIN = "admin@contoso.com";
const EU_HOST = "journaling.mailstream-eu1.mxrecord.io";
const RECIPIENT = "megan.personal@fabrikam.example";
const GRAPH = "00000003-0000-0000-c000-000000000000";

let stack: Stack;
let token: string;
let contoso: TenantRecord;

/** Admin consent to the backend app's application permission Mail.Send (to send as list members). */
function consentMailSend(): void {
  const api = stack.emulator.config.apps.api.clientId;
  if (contoso.directory.applicationGrants.some((g) => g.clientAppId === api && g.appRoles.includes("Mail.Send")))
    return;
  contoso.directory.applicationGrants.push({ clientAppId: api, resourceAppId: GRAPH, appRoles: ["Mail.Send"] });
}

beforeAll(async () => {
  stack = await startStack({ backend: { mailflowTest: { pollMs: 1_000, timeoutMs: 30_000, reportGraceMs: 8_000 } } });
  token = await stack.token(ADMIN);
  const plan = await stack.api("POST", "/api/plan", token, { desired: euIndia });
  const run = await stack.api("POST", "/api/runs", token, { desired: euIndia, planHash: plan.json.planHash });
  expect((await waitForRun(stack, token, String(run.json.runId))).json.state).toBe("succeeded");
  const t = stack.emulator.state.getTenant("contoso.com");
  if (!t) throw new Error("no contoso");
  contoso = t;
});
afterAll(async () => {
  await stack.close();
});

async function runTest(body: Record<string, unknown>): Promise<MailFlowTest> {
  const started = await stack.api("POST", "/api/mailflow-tests", token, body);
  expect(started.status).toBe(202);
  const id = String(started.json.testId);
  expect(started.headers.location).toBe(`/api/mailflow-tests/${id}`);
  for (let i = 0; i < 1200; i++) {
    const res = await stack.api("GET", `/api/mailflow-tests/${id}`, token);
    expect(res.status).toBe(200);
    const test = res.json as unknown as MailFlowTest;
    if (test.state !== "running") return test;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the mail-flow test did not finish");
}

test("the admin's own (internal) address is refused with the reason: External rules would not journal it", async () => {
  const res = await stack.api("POST", "/api/mailflow-tests", token, {});
  expect(res.status).toBe(400);
  expect(res.json.error?.code).toBe("recipient_internal");
  expect(res.json.error?.message).toMatch(/admin@contoso.com is inside your organization/);
});

test("without the app's Mail.Send, sending as a list member fails with what it needs", async () => {
  const test = await runTest({ recipient: RECIPIENT });
  expect(test.state).toBe("failed");
  expect(test.regions.map((r) => [r.region, r.sender, r.state])).toEqual([
    ["eu1", "anna.schmidt@contoso.com", "failed"],
    ["bom", "priya.sharma@contoso.com", "failed"],
  ]);
  expect(test.regions[0]?.reason).toMatch(/application permission Mail\.Send/);
});

test("EU1 + India: both journal reports Delivered; recorded in the audit and the shared progress", async () => {
  consentMailSend();
  const test = await runTest({ recipient: RECIPIENT });
  expect(test.state).toBe("passed");
  expect(test.regions).toEqual([
    expect.objectContaining({
      region: "eu1",
      host: EU_HOST,
      state: "delivered",
      messageId: expect.stringMatching(/^<.+@.+>$/),
      seconds: expect.any(Number),
    }),
    expect.objectContaining({ region: "bom", state: "delivered", sender: "priya.sharma@contoso.com" }),
  ]);
  const latest = await stack.api("GET", "/api/mailflow-tests?latest=1", token);
  expect(latest.json.id).toBe(test.id);
  const audit = (await stack.api("GET", "/api/audit", token)).json.entries as {
    cmdlet: string;
    parameters: Record<string, unknown>;
  }[];
  const ours = audit.filter((e) => e.cmdlet === "sendMail (mail-flow test)");
  expect(
    ours.filter((e) => e.parameters.To === RECIPIENT && e.parameters.Region === "eu1").length,
  ).toBeGreaterThanOrEqual(1);
  expect(ours.find((e) => e.parameters.TestId === test.id)?.parameters.Results).toMatch(
    /eu1 delivered in \d+ s; bom delivered/,
  );
  const progress = await stack.api("GET", "/api/progress", token);
  const history = progress.json.history as { what: string }[];
  expect(history[history.length - 1]?.what).toMatch(
    /^Sent a test message \(passed\): eu1 delivered in \d+ s; bom delivered in \d+ s$/,
  );
});

test("with the EU host's deliveries deferred: EU Pending with the reason, India passes", async () => {
  consentMailSend();
  await stack.exchangeSettings("contoso.com", { connectorValidation: { [EU_HOST]: "tlsFailure" } });
  const test = await runTest({ recipient: RECIPIENT });
  expect(test.state).toBe("failed");
  const [eu, india] = test.regions;
  expect(eu).toMatchObject({ region: "eu1", state: "pending" });
  expect(eu?.reason).toMatch(new RegExp(`${EU_HOST.replace(/\./g, "\\.")} is not accepting it`));
  expect(india).toMatchObject({ region: "bom", state: "delivered" });
});

test("with the EU journal rule switched off: EU has no report and says which rule, India passes", async () => {
  consentMailSend();
  await stack.exchangeSettings("contoso.com", { connectorValidation: {} });
  const euRule = contoso.exchange.journalRules.find((r) => r.JournalEmailAddress.includes("mailstream-eu1"));
  if (!euRule) throw new Error("no EU rule");
  euRule.Enabled = false;
  euRule.WhenChanged = new Date(Date.now() - 60_000).toISOString();
  try {
    const test = await runTest({ recipient: RECIPIENT });
    expect(test.state).toBe("failed");
    expect(test.regions[0]).toMatchObject({ region: "eu1", state: "noReport" });
    expect(test.regions[0]?.reason).toBe(
      `Not journaled: the journal rule "${euRule.Name}" was disabled when this message was sent.`,
    );
    expect(test.regions[1]).toMatchObject({ region: "bom", state: "delivered" });
  } finally {
    euRule.Enabled = true;
  }
});
