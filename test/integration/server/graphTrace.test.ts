import { readFileSync } from "node:fs";
import { simulateMailFlow, type TenantRecord } from "../../../src/emulator/exchange";
import { MESSAGE_TRACE_PERMISSION, TRANSPORT_DATA_PLATFORM_APP_ID } from "../../../src/emulator/graph/messageTraces";
import type { MessageTraceSummary } from "../../../src/core/contract";
import { startStack, waitForRun, type Stack } from "./harness";

/**
 * Where the status reads journal reports: Microsoft Graph's message trace when the backend app holds
 * ExchangeMessageTrace.Read.All (and the tenant has Microsoft's Transport Data Platform service
 * principal), Get-MessageTraceV2 otherwise, and the answer says which one it was and why.
 */
const usEveryone = JSON.parse(readFileSync("examples/us-everyone.json", "utf8")) as unknown;
const ADMIN = "admin@contoso.com";
const ADDRESS = "contoso@journaling.mxrecord.io";
const GRAPH = "00000003-0000-0000-c000-000000000000";
const HOUR = 3_600_000;

let stack: Stack;
let contoso: TenantRecord;

beforeEach(async () => {
  stack = await startStack();
  const tenant = stack.emulator.state.getTenant("contoso.com");
  if (!tenant) throw new Error("no contoso");
  contoso = tenant;
});
afterEach(async () => {
  await stack.close();
});

/** What an admin does in Entra: provision Microsoft's app, grant the API app the Graph permission. */
function enableGraphTrace(): void {
  contoso.directory.servicePrincipals.push({ appId: TRANSPORT_DATA_PLATFORM_APP_ID, id: "tdp", roles: [] });
  const grant = contoso.directory.delegatedGrants.find(
    (g) => g.clientAppId === stack.emulator.config.apps.api.clientId && g.resourceAppId === GRAPH,
  );
  if (!grant) throw new Error("no API -> Graph grant");
  grant.scopes.push(MESSAGE_TRACE_PERMISSION);
}

async function setupWithMail(): Promise<{ token: string; trace: MessageTraceSummary }> {
  const token = await stack.token(ADMIN);
  const plan = await stack.api("POST", "/api/plan", token, { desired: usEveryone });
  const run = await stack.api("POST", "/api/runs", token, { desired: usEveryone, planHash: plan.json.planHash });
  expect((await waitForRun(stack, token, String(run.json.runId))).json.state).toBe("succeeded");
  const now = Date.now();
  simulateMailFlow(contoso, { from: new Date(now - 6 * HOUR), to: new Date(now - HOUR), count: 12, seed: 9 });
  const res = await stack.api("GET", "/api/status", token);
  expect(res.status).toBe(200);
  return { token, trace: res.json.messageTrace as MessageTraceSummary };
}

test("with ExchangeMessageTrace.Read.All granted, the numbers come from Graph's message trace", async () => {
  enableGraphTrace();
  const before = contoso.exchange.runtime.traceQueryTimes.length;
  const { trace } = await setupWithMail();
  expect(trace.source).toBe("graph");
  expect(trace.sourceNote).toBeUndefined();
  expect(trace.perAddress).toEqual([
    expect.objectContaining({ address: ADDRESS, delivered: 12, failed: 0, pending: 0 }),
  ]);
  // One Graph request per address: the journaling address and the NDR mailbox (Graph's filter takes one
  // recipientAddress; Graph and the cmdlets share the tenant's trace budget).
  expect(contoso.exchange.runtime.traceQueryTimes.length - before).toBe(2);
});

test("without the permission, Get-MessageTraceV2 answers, and the status says so and why", async () => {
  contoso.directory.servicePrincipals.push({ appId: TRANSPORT_DATA_PLATFORM_APP_ID, id: "tdp", roles: [] });
  const { trace } = await setupWithMail();
  expect(trace.source).toBe("exchange");
  expect(trace.sourceNote).toMatch(/Graph message trace refused \(.*ExchangeMessageTrace\.Read\.All/);
  expect(trace.perAddress).toEqual([
    expect.objectContaining({ address: ADDRESS, delivered: 12, failed: 0, pending: 0 }),
  ]);
});

test("without Microsoft's Transport Data Platform service principal, Get-MessageTraceV2 answers too", async () => {
  const { trace } = await setupWithMail();
  expect(trace.source).toBe("exchange");
  expect(trace.sourceNote).toMatch(/8bd644d1-64a1-4d4b-ae52-2e0cbf64e373/);
});
