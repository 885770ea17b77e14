import { readFileSync } from "node:fs";
import { simulateMailFlow, type TenantRecord } from "../../../src/emulator/exchange";
import type { DeliveryFinding, MessageTraceSummary } from "../../../src/core/contract";
import { startStack, waitForRun, type Stack } from "./harness";

/**
 * A journaling destination that refuses the reports (TLS failure), over real HTTP against the
 * emulator: the status counts the queued (Pending) reports and says since when; once Microsoft has
 * disabled the journal rule, the status gives the cause first and the re-enable step after, and
 * reading the status changes nothing in the tenant.
 */
const usEveryone = JSON.parse(readFileSync("examples/us-everyone.json", "utf8")) as unknown;
const ADMIN = "admin@contoso.com";
const HOST = "journaling.mxrecord.io";
const ADDRESS = "contoso@journaling.mxrecord.io";
const HOUR = 3_600_000;

let stack: Stack;
let contoso: TenantRecord;
let token: string;

beforeEach(async () => {
  stack = await startStack();
  // Behind a gateway the setup has its own connector to the journaling host (TLS with certificate
  // validation), so a TLS failure there defers the reports.
  const reset = await stack.http.send({
    method: "POST",
    url: `${stack.emulator.origin}/_emulator/reset`,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ seed: "gateway" }),
    timeoutMs: 30_000,
  });
  expect(reset.status).toBe(200);
  token = await stack.token(ADMIN);
  const plan = await stack.api("POST", "/api/plan", token, { desired: usEveryone });
  const run = await stack.api("POST", "/api/runs", token, { desired: usEveryone, planHash: plan.json.planHash });
  expect((await waitForRun(stack, token, String(run.json.runId))).json.state).toBe("succeeded");
  const tenant = stack.emulator.state.getTenant("contoso.com");
  if (!tenant) throw new Error("no contoso");
  contoso = tenant;
  await stack.exchangeSettings("contoso.com", { connectorValidation: { [HOST]: "tlsFailure" } });
});
afterEach(async () => {
  await stack.close();
});

async function status(): Promise<{ messageTrace: MessageTraceSummary; findings: DeliveryFinding[] }> {
  const res = await stack.api("GET", "/api/status", token);
  expect(res.status).toBe(200);
  return res.json as unknown as { messageTrace: MessageTraceSummary; findings: DeliveryFinding[] };
}

test("reports the destination refuses are counted as queued (Pending), with since when, not as failed", async () => {
  const now = Date.now();
  simulateMailFlow(contoso, { from: new Date(now - 5 * HOUR), to: new Date(now - HOUR), count: 10, seed: 3 });
  const firstReport = contoso.exchange.messageTrace
    .filter((e) => e.Kind === "journalReport")
    .map((e) => Date.parse(e.Received))
    .sort((a, b) => a - b)[0];

  const s = await status();
  const trace = s.messageTrace.perAddress.find((a) => a.address === ADDRESS);
  expect(trace).toMatchObject({ delivered: 0, failed: 0, pending: 10 });
  expect(Date.parse(String(trace?.queuedSince))).toBe(firstReport);
  expect(s.findings).toEqual([
    expect.objectContaining({ code: "reports-queued", address: ADDRESS, pending: 10, since: trace?.queuedSince }),
  ]);
});

test("a rule Microsoft disabled is explained (cause first, then re-enable), and reading status re-enables nothing", async () => {
  // Mail keeps coming while the destination refuses it; three days later Microsoft disables the rule.
  await stack.exchangeSettings("contoso.com", { mailFlow: { ratePerHour: 2 } });
  const advanced = await stack.http.send({
    method: "POST",
    url: `${stack.emulator.origin}/_emulator/tenants/contoso.com/exchange/mailflow/advance`,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ hours: 80 }),
    timeoutMs: 30_000,
  });
  expect(advanced.status).toBe(200);
  expect(contoso.exchange.journalRules.map((r) => r.Enabled)).toEqual([false]);

  const s = await status();
  const trace = s.messageTrace.perAddress.find((a) => a.address === ADDRESS);
  expect(trace?.pending).toBeGreaterThan(0);
  const finding = s.findings.find((f) => f.address === ADDRESS);
  expect(finding).toMatchObject({ code: "rule-disabled-undeliverable", rule: contoso.exchange.journalRules[0]?.Name });
  // Reading the status never switches the rule back on.
  expect(contoso.exchange.journalRules.map((r) => r.Enabled)).toEqual([false]);

  // The plan offers to re-enable it, saying to fix the delivery first.
  const plan = await stack.api("POST", "/api/plan", token, { desired: usEveryone });
  const actions = (plan.json.plan as { actions: { cmdlet: string; reason: string }[] }).actions;
  const enable = actions.find((a) => a.cmdlet === "Enable-JournalRule");
  expect(enable?.reason).toMatch(/If Microsoft disabled it because journal reports could not be delivered/);
});
