import { readFileSync } from "node:fs";
import { silentLogger } from "../src/server/log";
import { startStack, waitForRun } from "../test/integration/server/harness";
import { report, round } from "./lib/report";

/**
 * The EU + India apply on a fresh contoso with realistic emulator latency (0.5–3 s per cmdlet):
 * wall time of the run against the sum of its cmdlets' times. Budget: wall < 0.6 × sum, which
 * only parallel execution of independent actions achieves.
 */
async function main(): Promise<void> {
  const desired = JSON.parse(readFileSync("examples/eu-india-regions.json", "utf8")) as unknown;
  const stack = await startStack({ latency: "realistic", backend: { log: silentLogger, retryPolicy: {} } });
  try {
    const token = await stack.token("admin@contoso.com");
    const plan = await stack.api("POST", "/api/plan", token, { desired });
    const run = await stack.api("POST", "/api/runs", token, { desired, planHash: plan.json.planHash });
    if (run.status !== 202) throw new Error(`run refused: ${run.text}`);
    const done = await waitForRun(stack, token, String(run.json.runId), 180_000);
    const actions = done.json.actions as { cmdlet: string; startedAt: string; finishedAt: string; state: string }[];
    const durations = actions.map((a) => Date.parse(a.finishedAt) - Date.parse(a.startedAt));
    const sum = durations.reduce((a, b) => a + b, 0);
    const wall = Date.parse(String(done.json.finishedAt)) - Date.parse(String(done.json.startedAt));
    const ratio = wall / sum;
    report(
      "apply",
      { state: done.json.state, actions: actions.length, wallMs: wall, sumOfCmdletMs: sum, ratio: round(ratio, 3) },
      "wall < 0.6 x sum of cmdlet times",
      done.json.state === "succeeded" && ratio < 0.6,
    );
  } finally {
    await stack.close();
  }
}

void main();
