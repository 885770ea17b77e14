import { readFileSync } from "node:fs";
import { startStack, waitForRun, type Stack } from "./harness";

/**
 * The setup's lifecycle over real HTTP against the emulator: apply, pause (the rules disabled, the
 * status says who paused and when), resume, remove (rules and connector gone, the NDR address kept).
 */
const usEveryone = JSON.parse(readFileSync("examples/us-everyone.json", "utf8")) as Record<string, unknown>;
const ADMIN = "admin@contoso.com";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

async function apply(token: string, desired: unknown): Promise<{ state: string; cmdlets: string[] }> {
  const plan = await stack.api("POST", "/api/plan", token, { desired });
  expect(plan.status).toBe(200);
  const run = await stack.api("POST", "/api/runs", token, { desired, planHash: plan.json.planHash });
  expect(run.status).toBe(202);
  const done = await waitForRun(stack, token, String(run.json.runId));
  return {
    state: String(done.json.state),
    cmdlets: (done.json.actions as { cmdlet: string }[]).map((a) => a.cmdlet),
  };
}

test("pause, resume, remove: the plans run against the emulator and the status follows", async () => {
  const token = await stack.token(ADMIN);
  const always = { ...usEveryone, connector: "always" };
  expect((await stack.api("GET", "/api/setup/applied", token)).json).toEqual({
    desired: null,
    runId: null,
    appliedAt: null,
    appliedBy: null,
  });
  expect((await apply(token, always)).state).toBe("succeeded");
  // What Pause / Resume / Remove in the pane start from: the setup last applied.
  const applied = await stack.api("GET", "/api/setup/applied", token);
  expect(applied.json).toMatchObject({ desired: always, appliedBy: ADMIN, runId: expect.any(String) });

  const paused = await apply(token, { ...always, state: "paused" });
  expect(paused).toEqual({ state: "succeeded", cmdlets: ["Disable-JournalRule"] });
  const status = await stack.api("GET", "/api/status", token);
  expect(status.json.setupState).toBe("paused");
  expect(status.json.paused).toEqual({ since: expect.any(String), by: ADMIN });
  const rules = (status.json.resources as { kind: string; state: string }[]).filter((r) => r.kind === "journalRule");
  expect(rules.map((r) => r.state)).toEqual(["paused"]);

  expect(await apply(token, always)).toEqual({ state: "succeeded", cmdlets: ["Enable-JournalRule"] });
  const resumed = await stack.api("GET", "/api/status", token);
  expect(resumed.json.paused).toBeUndefined();

  const removed = await apply(token, { ...always, state: "removed" });
  expect(removed).toEqual({ state: "succeeded", cmdlets: ["Remove-JournalRule", "Remove-OutboundConnector"] });
  const contoso = stack.emulator.state.getTenant("contoso.com");
  expect(contoso?.exchange.journalRules).toEqual([]);
  expect(contoso?.exchange.transportConfig.JournalingReportNdrTo).not.toBe("<>");
  // Removing again finds nothing to do.
  const again = await stack.api("POST", "/api/plan", token, { desired: { ...always, state: "removed" } });
  expect((again.json.plan as { actions: unknown[] }).actions).toEqual([]);
});
