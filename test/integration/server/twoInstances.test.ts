import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { API_APP_ID, EXCHANGE_APP, GRAPH_APP } from "../../../src/emulator/directory/apps";
import { ROLE_TEMPLATE_IDS } from "../../../src/emulator/directory/types";
import { startEmulator, type RunningEmulator } from "../../../src/emulator/server";
import { createHttpClient, type HttpClient } from "../../../src/server/net/httpClient";
import { createTestDatabase, type TestDatabase } from "../../postgres/database";
import { startBackendProcess } from "./backendProcess";
import { callApi, openEventStream, passwordToken, pollUntil, type ApiResponse } from "./harness";

/**
 * Two backend instances on one PostgreSQL, as behind a load balancer (issue 16 §2). A run starts on
 * A; A is killed (SIGKILL) mid-run; once A's lease has run out, the admin's next call on B claims the
 * run and B finishes it. The audit has every cmdlet once, and an event stream that followed the run on
 * A, reconnecting to B with Last-Event-ID, receives every event exactly once.
 */
const euIndia = JSON.parse(readFileSync("examples/eu-india-regions.json", "utf8")) as unknown;
const LEASE_SECONDS = 3;

let emulator: RunningEmulator;
let http: HttpClient;
let dataDir: string;
let database: TestDatabase;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "ja-two-"));
  database = await createTestDatabase();
  emulator = await startEmulator({ port: 0, latency: "none", dataDir: join(dataDir, "emulator") });
  http = createHttpClient({ extraCaPem: emulator.caPem });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await emulator.close();
  http.close();
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function instance(
  name: string,
  leaseSeconds = LEASE_SECONDS,
  more: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; url: string }> {
  const started = await startBackendProcess(emulator.config, join(dataDir, name), {
    ...more,
    JA_DATABASE_URL: database.url,
    JA_RUN_LEASE_SECONDS: String(leaseSeconds),
    // The monitor has no part in this test.
    JA_MONITOR: "false",
  });
  children.push(started.child);
  return started;
}

const pollEvery100ms = (until: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> =>
  pollUntil(until, timeoutMs, what, 100);

const ids = (t: string): number[] => [...t.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));

test("a run started on A finishes on B after A is killed; every cmdlet once; the stream resumes on B without loss or repeat", async () => {
  const token = await passwordToken(http, emulator.config, "admin@contoso.com");
  const contoso = emulator.state.getTenant("contoso.com");
  if (!contoso) throw new Error("no contoso");
  // Slow group creation: A dies while the groups are in flight.
  contoso.exchange.settings.latencyOverridesMs = { "New-DistributionGroup": 1500 };
  const [a, b] = await Promise.all([instance("a"), instance("b")]);

  const plan = await callApi(http, a.url, "POST", "/api/plan", token, { desired: euIndia });
  expect(plan.status).toBe(200);
  const started = await callApi(http, a.url, "POST", "/api/runs", token, {
    desired: euIndia,
    planHash: plan.json.planHash,
  });
  expect(started.status).toBe(202);
  const runId = String(started.json.runId);
  const onA = await openEventStream(a.url, runId, token);
  expect(onA.res.statusCode).toBe(200);

  // B sees the run A executes (one database): running, and not resumed while A's lease holds.
  const actionsOf = (r: ApiResponse): { cmdlet: string; state: string }[] =>
    r.json.actions as { cmdlet: string; state: string }[];
  await pollEvery100ms(
    async () => {
      const r = await callApi(http, b.url, "GET", `/api/runs/${runId}`, token);
      return actionsOf(r).some((x) => x.cmdlet === "New-DistributionGroup" && x.state === "running");
    },
    15_000,
    "the groups to be in flight on A",
  );
  expect((await callApi(http, b.url, "GET", `/api/runs/${runId}`, token)).json.resumes).toBe(0);

  a.child.kill("SIGKILL");
  await new Promise((r) => a.child.once("exit", r));
  await onA.ended;
  const seenOnA = ids(onA.text());
  expect(seenOnA.length).toBeGreaterThan(0);
  expect(onA.text()).not.toMatch(/event: run-finished/);

  // The client reconnects, as EventSource does, to whichever instance the balancer picks: B.
  let all = [...seenOnA];
  let text = "";
  const reconnect = (async () => {
    while (!/event: run-finished/.test(text)) {
      const next = await openEventStream(b.url, runId, token, all[all.length - 1] ?? 0);
      await next.ended;
      text = next.text();
      all = [...all, ...ids(text)];
    }
  })();
  // The admin's calls on B claim the run once A's lease has run out.
  let run: ApiResponse = await callApi(http, b.url, "GET", `/api/runs/${runId}`, token);
  await pollEvery100ms(
    async () => {
      run = await callApi(http, b.url, "GET", `/api/runs/${runId}`, token);
      return run.json.state !== "running";
    },
    LEASE_SECONDS * 1000 + 30_000,
    "B to finish the run",
  );
  await reconnect;
  expect(run.json.state).toBe("succeeded");
  expect(run.json.resumes).toBe(1);

  // Every event exactly once, in order, across both instances.
  expect(new Set(all).size).toBe(all.length);
  expect(all).toEqual([...all].sort((x, y) => x - y));
  expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));

  // No cmdlet ran twice: each change is in the audit at most once (a step in flight when A died has
  // no entry of A's; B's re-read found its object in place and did not call it again), and the
  // tenant has each object once.
  const audit = await callApi(http, b.url, "GET", `/api/audit?runId=${runId}`, token);
  const entries = audit.json.entries as { cmdlet: string; outcome: string; parameters: Record<string, unknown> }[];
  const calls = entries
    .filter((e) => e.outcome.startsWith("succeeded"))
    .map((e) => `${e.cmdlet} ${JSON.stringify(e.parameters)}`);
  expect(new Set(calls).size).toBe(calls.length);
  expect(calls.length).toBeGreaterThan(0);
  expect(contoso.directory.groups.filter((g) => g.mail?.startsWith("journaling-")).length).toBe(2);
  expect(contoso.exchange.journalRules.length).toBe(2);
  expect(contoso.exchange.outboundConnectors.length).toBe(2);

  contoso.exchange.settings.latencyOverridesMs = {};
  b.child.kill("SIGTERM");
  expect(await new Promise((r) => b.child.once("exit", r))).toBe(0);
}, 90_000);

/** Starts a run of `desired` on `base` and waits until one of its `cmdlet` steps is in flight. */
async function startRunInFlight(base: string, token: string, desired: unknown, cmdlet: string): Promise<string> {
  const plan = await callApi(http, base, "POST", "/api/plan", token, { desired });
  expect(plan.status).toBe(200);
  const started = await callApi(http, base, "POST", "/api/runs", token, { desired, planHash: plan.json.planHash });
  expect(started.status).toBe(202);
  const runId = String(started.json.runId);
  await pollEvery100ms(
    async () => {
      const r = await callApi(http, base, "GET", `/api/runs/${runId}`, token);
      const actions = r.json.actions as { cmdlet: string; state: string }[];
      return actions.some((x) => x.cmdlet === cmdlet && x.state === "running");
    },
    15_000,
    `${cmdlet} to be in flight`,
  );
  return runId;
}

test("an instance that shuts down hands its run over: another takes it at once, not when a lease runs out", async () => {
  const token = await passwordToken(http, emulator.config, "admin@contoso.com");
  const contoso = emulator.state.getTenant("contoso.com");
  if (!contoso) throw new Error("no contoso");
  // A lease of ten minutes: only a handed-over run can move to the other instance within this test.
  // One step at a time on C, so steps are still to do when it stops.
  const [c, d] = await Promise.all([instance("c", 600, { JA_RUN_PARALLELISM: "1" }), instance("d", 600)]);
  contoso.exchange.settings.latencyOverridesMs = { "Disable-JournalRule": 1500 };
  const runId = await startRunInFlight(
    c.url,
    token,
    { ...(euIndia as object), state: "paused" },
    "Disable-JournalRule",
  );

  c.child.kill("SIGTERM");
  expect(await new Promise((r) => c.child.once("exit", r))).toBe(0);
  contoso.exchange.settings.latencyOverridesMs = {};
  let run: ApiResponse = await callApi(http, d.url, "GET", `/api/runs/${runId}`, token);
  await pollEvery100ms(
    async () => {
      run = await callApi(http, d.url, "GET", `/api/runs/${runId}`, token);
      return run.json.state !== "running";
    },
    30_000,
    "D to finish the handed-over run",
  );
  expect(run.json.state).toBe("succeeded");
  expect(run.json.resumes).toBe(1);
  expect(contoso.exchange.journalRules.every((r) => r.Enabled === false)).toBe(true);
  d.child.kill("SIGTERM");
  await new Promise((r) => d.child.once("exit", r));
}, 90_000);

test("where the app may act on its own, another instance takes a dead instance's run over without waiting for an admin", async () => {
  const contoso = emulator.state.getTenant("contoso.com");
  if (!contoso) throw new Error("no contoso");
  // The tenant's admin consented to the app and gave it an Exchange role (as for Keep watching).
  contoso.directory.applicationGrants.push(
    { clientAppId: API_APP_ID, resourceAppId: EXCHANGE_APP.appId, appRoles: ["Exchange.ManageAsApp"] },
    { clientAppId: API_APP_ID, resourceAppId: GRAPH_APP.appId, appRoles: ["TeamsActivity.Send"] },
  );
  contoso.directory.servicePrincipals
    .find((s) => s.appId === API_APP_ID)
    ?.roles.push(ROLE_TEMPLATE_IDS.exchangeAdministrator);
  const admin = await passwordToken(http, emulator.config, "admin@contoso.com");
  // Only a colleague without admin rights looks at the run afterwards: their calls resume nothing.
  const colleague = await passwordToken(http, emulator.config, "user@contoso.com");
  // One step at a time on E: when it dies, a rule is still to enable, which only the app can do now.
  const [e, f] = await Promise.all([instance("e", LEASE_SECONDS, { JA_RUN_PARALLELISM: "1" }), instance("f")]);
  contoso.exchange.settings.latencyOverridesMs = { "Enable-JournalRule": 1500 };
  const runId = await startRunInFlight(e.url, admin, euIndia, "Enable-JournalRule");
  e.child.kill("SIGKILL");
  await new Promise((r) => e.child.once("exit", r));
  contoso.exchange.settings.latencyOverridesMs = {};

  let run: ApiResponse = await callApi(http, f.url, "GET", `/api/runs/${runId}`, colleague);
  await pollEvery100ms(
    async () => {
      run = await callApi(http, f.url, "GET", `/api/runs/${runId}`, colleague);
      return run.json.state !== "running";
    },
    LEASE_SECONDS * 1000 + 30_000,
    "F to take the run over as the app",
  );
  expect(run.json.state).toBe("succeeded");
  expect(run.json.resumes).toBe(1);
  expect(contoso.exchange.journalRules.every((r) => r.Enabled === true)).toBe(true);
  // The audit says who finished it: the app, not an admin.
  const audit = await callApi(http, f.url, "GET", `/api/audit?runId=${runId}`, admin);
  const by = new Set((audit.json.entries as { by: string }[]).map((x) => x.by));
  expect([...by].some((x) => x.includes(`app ${API_APP_ID}`))).toBe(true);
  f.child.kill("SIGTERM");
  await new Promise((r) => f.child.once("exit", r));
}, 90_000);
