import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "../../../src/emulator/server";
import { createHttpClient, type HttpClient } from "../../../src/server/net/httpClient";
import { startBackendProcess } from "./backendProcess";
import { callApi, passwordToken, pollUntil, type ApiResponse } from "./harness";

/**
 * The backend process is killed (SIGKILL, no chance to clean up) in the middle of a run and
 * started again on the same data folder: the run resumes, completes, and nothing is created twice.
 */
const euIndia = JSON.parse(readFileSync("examples/eu-india-regions.json", "utf8")) as unknown;

/**
 * On PostgreSQL a run is leased to the instance executing it: the killed backend's lease holds the
 * run until it runs out (JA_RUN_LEASE_SECONDS), then the restarted one claims it. SQLite has no leases.
 */
const RESTART_ENV = { JA_RUN_LEASE_SECONDS: "2" };

let emulator: RunningEmulator;
let http: HttpClient;
let dataDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "ja-restart-"));
  emulator = await startEmulator({ port: 0, latency: "none", dataDir: join(dataDir, "emulator") });
  http = createHttpClient({ extraCaPem: emulator.caPem });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await emulator.close();
  http.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the backend in a child process (killed in afterAll if still running). */
async function startBackend(): Promise<{ child: ChildProcess; url: string }> {
  const started = await startBackendProcess(emulator.config, join(dataDir, "backend"), RESTART_ENV);
  children.push(started.child);
  return started;
}

const poll = (until: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> =>
  pollUntil(until, timeoutMs, what, 25);

test("a run interrupted by SIGKILL resumes after restart and creates nothing twice", async () => {
  const token = await passwordToken(http, emulator.config, "admin@contoso.com");
  // Creating the groups takes a while, so the kill lands while they are in flight.
  const settings = { latencyOverridesMs: { "New-DistributionGroup": 1200 } };
  const contoso = emulator.state.getTenant("contoso.com");
  if (!contoso) throw new Error("no contoso");
  contoso.exchange.settings.latencyOverridesMs = settings.latencyOverridesMs;

  const first = await startBackend();
  const plan = await callApi(http, first.url, "POST", "/api/plan", token, { desired: euIndia });
  expect(plan.status).toBe(200);
  const started = await callApi(http, first.url, "POST", "/api/runs", token, {
    desired: euIndia,
    planHash: plan.json.planHash,
  });
  expect(started.status).toBe(202);
  const runId = String(started.json.runId);
  const actionsOf = (r: ApiResponse): { id: string; cmdlet: string; state: string }[] =>
    r.json.actions as { id: string; cmdlet: string; state: string }[];
  await poll(
    async () => {
      const r = await callApi(http, first.url, "GET", `/api/runs/${runId}`, token);
      return actionsOf(r).some((a) => a.cmdlet === "New-DistributionGroup" && a.state === "running");
    },
    10_000,
    "the groups to be in flight",
  );
  first.child.kill("SIGKILL");
  await new Promise((r) => first.child.once("exit", r));

  const second = await startBackend();
  // Any request of an admin of the tenant lets the server resume the run on their behalf.
  let run: ApiResponse = await callApi(http, second.url, "GET", `/api/runs/${runId}`, token);
  expect(run.json.state).toBe("running");
  await poll(
    async () => {
      run = await callApi(http, second.url, "GET", `/api/runs/${runId}`, token);
      return run.json.state !== "running";
    },
    20_000,
    "the resumed run to finish",
  );
  expect(run.json.state).toBe("succeeded");
  expect(run.json.resumes).toBe(1);
  expect(actionsOf(run).every((a) => a.state === "succeeded" || a.state === "skipped")).toBe(true);

  contoso.exchange.settings.latencyOverridesMs = {};
  const ex = contoso.exchange;
  expect(ex.outboundConnectors.length).toBe(2);
  expect(ex.journalRules.length).toBe(2);
  expect(contoso.directory.groups.filter((g) => g.mail?.startsWith("journaling-")).length).toBe(2);
  const replan = await callApi(http, second.url, "POST", "/api/plan", token, { desired: euIndia });
  expect((replan.json.plan as { actions: unknown[] }).actions).toEqual([]);

  second.child.kill("SIGTERM");
  const code = await new Promise((r) => second.child.once("exit", r));
  expect(code).toBe(0);
});

test("a resume the next request starts runs only reviewed steps: a tenant changed meanwhile ends the run for a new review", async () => {
  // A tenant of its own, without the setup the test above applied.
  const emu = await startEmulator({ port: 0, latency: "none", dataDir: join(dataDir, "emulator-2") });
  const client = createHttpClient({ extraCaPem: emu.caPem });
  const start = async (): Promise<{ child: ChildProcess; url: string }> => {
    const started = await startBackendProcess(emu.config, join(dataDir, "backend-2"), RESTART_ENV);
    children.push(started.child);
    return started;
  };
  try {
    await resumeRefusesUnreviewedWork(emu, client, start);
  } finally {
    await emu.close();
    client.close();
  }
});

async function resumeRefusesUnreviewedWork(
  emu: RunningEmulator,
  http: HttpClient,
  startBackend: () => Promise<{ child: ChildProcess; url: string }>,
): Promise<void> {
  const token = await passwordToken(http, emu.config, "admin@contoso.com");
  const contoso = emu.state.getTenant("contoso.com");
  if (!contoso) throw new Error("no contoso");
  const fresh = euIndia;
  contoso.exchange.settings.latencyOverridesMs = { "New-DistributionGroup": 1200 };
  const first = await startBackend();
  const plan = await callApi(http, first.url, "POST", "/api/plan", token, { desired: fresh });
  expect(plan.status).toBe(200);
  const steps = (plan.json.plan as { actions: { cmdlet: string }[] }).actions.map((a) => a.cmdlet);
  expect(steps).toContain("Set-TransportConfig");
  const started = await callApi(http, first.url, "POST", "/api/runs", token, {
    desired: fresh,
    planHash: plan.json.planHash,
  });
  expect(started.status).toBe(202);
  const runId = String(started.json.runId);
  const actionsOf = (
    r: ApiResponse,
  ): { id: string; cmdlet: string; state: string; error?: { code: string; message: string } }[] =>
    r.json.actions as { id: string; cmdlet: string; state: string; error?: { code: string; message: string } }[];
  await poll(
    async () => {
      const r = await callApi(http, first.url, "GET", `/api/runs/${runId}`, token);
      return (
        actionsOf(r).some((a) => a.cmdlet === "Set-TransportConfig" && a.state === "succeeded") &&
        actionsOf(r).some((a) => a.state === "pending" || a.state === "running")
      );
    },
    10_000,
    "the NDR address set while other steps are still to do",
  );
  first.child.kill("SIGKILL");
  await new Promise((r) => first.child.once("exit", r));
  contoso.exchange.settings.latencyOverridesMs = {};
  // Meanwhile another admin points the undeliverable reports elsewhere: finishing the run now would
  // need a Set-TransportConfig nobody reviewed.
  contoso.exchange.transportConfig.JournalingReportNdrTo = "alex.wilber@contoso.com";

  const second = await startBackend();
  // A plain GET of an admin is what starts the resume.
  let run: ApiResponse = await callApi(http, second.url, "GET", `/api/runs/${runId}`, token);
  await poll(
    async () => {
      run = await callApi(http, second.url, "GET", `/api/runs/${runId}`, token);
      return run.json.state !== "running";
    },
    20_000,
    "the resumed run to end",
  );
  expect(run.json.state).toBe("failed");
  const skipped = actionsOf(run).filter((a) => a.error?.code === "plan_changed");
  expect(skipped.length).toBeGreaterThan(0);
  expect(skipped[0]?.error?.message).toMatch(/now also needs Set-TransportConfig, which was not in the reviewed plan/);
  // Nothing ran after the restart: Set-TransportConfig once, and the address stays as the other admin set it.
  const audit = await callApi(http, second.url, "GET", `/api/audit?runId=${runId}`, token);
  const entries = audit.json.entries as { cmdlet: string; outcome: string }[];
  expect(entries.filter((e) => e.cmdlet === "Set-TransportConfig")).toHaveLength(1);
  expect(contoso.exchange.transportConfig.JournalingReportNdrTo).toBe("alex.wilber@contoso.com");
  // The new review shows the change, and a new run may apply it.
  const replan = await callApi(http, second.url, "POST", "/api/plan", token, { desired: fresh });
  expect((replan.json.plan as { actions: { cmdlet: string }[] }).actions.map((a) => a.cmdlet)).toContain(
    "Set-TransportConfig",
  );
  second.child.kill("SIGTERM");
  await new Promise((r) => second.child.once("exit", r));
}
