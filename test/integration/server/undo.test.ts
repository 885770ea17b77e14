import { readFileSync } from "node:fs";
import { startStack, waitForRun, type Stack } from "./harness";

/**
 * Undo over real HTTP against the emulator: a finished run's undo plan (GET /api/runs/{id}/undo),
 * applied with POST /api/runs {undoOf, planHash} through the same executor, brings the tenant back.
 */
const usEveryone = JSON.parse(readFileSync("examples/us-everyone.json", "utf8")) as Record<string, unknown>;
const ADMIN = "admin@contoso.com";
const READER = "compliance.admin@contoso.com";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

const exchange = () => {
  const x = stack.emulator.state.getTenant("contoso.com")?.exchange;
  if (!x) throw new Error("no contoso tenant");
  return {
    ndr: x.transportConfig.JournalingReportNdrTo,
    rules: x.journalRules.map((r) => r.Name),
    connectors: x.outboundConnectors.map((c) => c.Name),
  };
};

test("undo of the US setup: reviewed, applied, and the tenant is as before", async () => {
  const admin = await stack.token(ADMIN);
  const before = exchange();
  const desired = { ...usEveryone, connector: "always" };
  const plan = await stack.api("POST", "/api/plan", admin, { desired });
  const run = await stack.api("POST", "/api/runs", admin, { desired, planHash: plan.json.planHash });
  expect(run.status).toBe(202);
  const runId = String(run.json.runId);
  expect((await waitForRun(stack, admin, runId)).json.state).toBe("succeeded");
  expect(exchange().rules.length).toBe(before.rules.length + 1);

  // Readers may review the undo plan; only admins may apply it.
  const reader = await stack.token(READER);
  const review = await stack.api("GET", `/api/runs/${runId}/undo`, reader);
  expect(review.status).toBe(200);
  const actions = (review.json.plan as { actions: { cmdlet: string; parameters: Record<string, unknown> }[] }).actions;
  expect(actions.map((a) => a.cmdlet)).toEqual([
    "Remove-JournalRule",
    "Remove-OutboundConnector",
    "Set-TransportConfig",
  ]);
  expect(review.json.script).toContain("Remove-JournalRule");
  expect(review.json.undoOf).toBe(runId);
  const refused = await stack.api("POST", "/api/runs", reader, { undoOf: runId, planHash: review.json.planHash });
  expect(refused.status).toBe(403);
  const stale = await stack.api("POST", "/api/runs", admin, { undoOf: runId, planHash: "0123456789abcdef" });
  expect(stale.status).toBe(412);

  const undo = await stack.api("POST", "/api/runs", admin, { undoOf: runId, planHash: review.json.planHash });
  expect(undo.status).toBe(202);
  const undone = await waitForRun(stack, admin, String(undo.json.runId));
  expect(undone.json.state).toBe("succeeded");
  expect(exchange()).toEqual(before);

  // The undo is in the audit like every change, and undoing again finds nothing to do.
  const audit = await stack.api("GET", `/api/audit?runId=${String(undo.json.runId)}`, admin);
  expect((audit.json.entries as { cmdlet: string }[]).map((e) => e.cmdlet).sort()).toEqual(
    ["Remove-JournalRule", "Remove-OutboundConnector", "Set-TransportConfig"].sort(),
  );
  const again = await stack.api("GET", `/api/runs/${runId}/undo`, admin);
  expect((again.json.plan as { actions: unknown[] }).actions).toEqual([]);
  // The status still measures against the setup, not the undo.
  const unknown = await stack.api("GET", "/api/runs/00000000-0000-4000-8000-000000000000/undo", admin);
  expect(unknown.status).toBe(404);
});

test("undo of a pause switches the rule back on", async () => {
  const admin = await stack.token(ADMIN);
  const desired = { ...usEveryone, connector: "always" };
  for (const d of [desired, { ...desired, state: "paused" }]) {
    const plan = await stack.api("POST", "/api/plan", admin, { desired: d });
    const run = await stack.api("POST", "/api/runs", admin, { desired: d, planHash: plan.json.planHash });
    const done = await waitForRun(stack, admin, String(run.json.runId));
    expect(done.json.state).toBe("succeeded");
    if (d !== desired) {
      const review = await stack.api("GET", `/api/runs/${String(run.json.runId)}/undo`, admin);
      expect((review.json.plan as { actions: { cmdlet: string }[] }).actions.map((a) => a.cmdlet)).toEqual([
        "Enable-JournalRule",
      ]);
      const undo = await stack.api("POST", "/api/runs", admin, {
        undoOf: run.json.runId,
        planHash: review.json.planHash,
      });
      expect((await waitForRun(stack, admin, String(undo.json.runId))).json.state).toBe("succeeded");
    }
  }
  const rules = stack.emulator.state.getTenant("contoso.com")?.exchange.journalRules ?? [];
  expect(rules.map((r) => r.Enabled)).toEqual([true]);
});
