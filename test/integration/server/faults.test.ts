import { readFileSync } from "node:fs";
import { startStack, waitForRun, type Stack } from "./harness";

/** Throttling, transient 5xx (before and after the change happened) and replication delay, all at once. */
const euIndia = JSON.parse(readFileSync("examples/eu-india-regions.json", "utf8")) as unknown;
const ADMIN = "admin@contoso.com";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

test("runs complete under throttling, lost answers and replication delay; retries are audited; nothing is created twice", async () => {
  const token = await stack.token(ADMIN);
  const plan = await stack.api("POST", "/api/plan", token, { desired: euIndia });
  expect(plan.status).toBe(200);

  await stack.exchangeSettings("contoso.com", {
    throttling: { enabled: true, maxCalls: 4, windowSeconds: 1, retryAfterSeconds: 1, style: "retryAfter" },
    replicationDelaySeconds: 1,
    // Creations take a moment, so the lost answers below hit them.
    latencyOverridesMs: { "New-OutboundConnector": 400, "New-DistributionGroup": 400 },
  });

  const run = await stack.api("POST", "/api/runs", token, { desired: euIndia, planHash: plan.json.planHash });
  expect(run.status).toBe(202);
  // While the creations are under way: the change happens, then the answer is lost (503), so the
  // runner must look before doing a New- again.
  await stack.exchangeSettings("contoso.com", { transientFailures: { failNext: 3, status: 503, when: "after" } });
  const done = await waitForRun(stack, token, String(run.json.runId), 45_000);
  expect(done.json.state).toBe("succeeded");

  const audit = await stack.api("GET", `/api/audit?runId=${String(run.json.runId)}`, token);
  const entries = audit.json.entries as { outcome: string; cmdlet: string; error?: { code: string } }[];
  const retried = entries.filter((e) => e.outcome === "retried");
  expect(retried.map((e) => e.error?.code)).toEqual(expect.arrayContaining(["throttled", "transient"]));
  // A New- whose answer was lost is found in place instead of being created again.
  expect(entries.some((e) => e.cmdlet.startsWith("New-") && e.outcome === "succeeded (already done)")).toBe(true);
  const actions = done.json.actions as { attempts: number }[];
  expect(actions.some((a) => a.attempts > 1)).toBe(true);

  await stack.exchangeSettings("contoso.com", {
    throttling: { enabled: false },
    transientFailures: { failNext: 0 },
    replicationDelaySeconds: 0,
    latencyOverridesMs: {},
  });
  const contoso = stack.emulator.state.getTenant("contoso.com");
  if (!contoso) throw new Error("no contoso");
  const ex = contoso.exchange;
  expect(ex.outboundConnectors.map((c) => c.Name).sort()).toEqual([
    "Deliver journal directly to Area 1 (bom)",
    "Deliver journal directly to Area 1 (eu1)",
  ]);
  expect(ex.journalRules.map((r) => r.Name).sort()).toEqual([
    "Journal Messages to Cloudflare Area 1 (bom)",
    "Journal Messages to Cloudflare Area 1 (eu1)",
  ]);
  const groups = contoso.directory.groups.filter((g) => g.mail?.startsWith("journaling-"));
  expect(groups.map((g) => g.mail).sort()).toEqual(["journaling-eu@contoso.com", "journaling-in@contoso.com"]);

  // Objects changed in the last second are still replicating; once visible, nothing is left to do.
  await new Promise((r) => setTimeout(r, 1100));
  const replan = await stack.api("POST", "/api/plan", token, { desired: euIndia });
  expect((replan.json.plan as { actions: unknown[] }).actions).toEqual([]);
});
