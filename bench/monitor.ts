import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { seedFabrikam } from "../src/emulator/directory/seed";
import { API_APP_ID, EXCHANGE_APP, FABRIKAM_TENANT_ID, GRAPH_APP } from "../src/emulator/directory/apps";
import { ROLE_TEMPLATE_IDS } from "../src/emulator/directory/types";
import { createExchangeState } from "../src/emulator/exchange";
import { stableGuid } from "../src/emulator/ids";
import { startEmulator, type RunningEmulator } from "../src/emulator/server";
import { createHttpClient, type HttpClient } from "../src/server/net/httpClient";
import { startBackendProcess } from "../test/integration/server/backendProcess";
import { callApi, passwordToken } from "../test/integration/server/harness";
import { report, round } from "./lib/report";

/**
 * The monitor under load: BENCH_TENANTS (1,000) watched tenants at a 15-minute interval against the
 * emulator with realistic latency (BENCH_LATENCY=none to turn it off), the backend in its own
 * process (`serve`, JA_MONITOR_CONCURRENCY=BENCH_MONITOR_CONCURRENCY). Turning watching on makes
 * every tenant due at once, the worst burst there is; the benchmark watches the store for
 * BENCH_MINUTES and reports checks per minute, checks that failed (Exchange throttling, the
 * message-trace budget, anything else), the backend's CPU time and peak RSS. Budget: the monitor
 * checks at least tenants/15 per minute (the steady rate a 15-minute interval needs), no check
 * fails, peak RSS < 300 MB.
 */
const TENANTS = Number(process.env.BENCH_TENANTS ?? "1000");
const MINUTES = Number(process.env.BENCH_MINUTES ?? "3");
const CONCURRENCY = process.env.BENCH_MONITOR_CONCURRENCY ?? "32";
const LATENCY = process.env.BENCH_LATENCY === "none" ? "none" : "realistic";
const INTERVAL = 15;

/** Copies of fabrikam where the backend's app has admin consent and the Exchange Administrator role. */
function addTenants(emulator: RunningEmulator, count: number): string[] {
  const domains: string[] = [];
  const template = JSON.stringify(seedFabrikam());
  for (let i = 1; i <= count; i++) {
    const name = `mon${String(i).padStart(4, "0")}`;
    const directory = JSON.parse(
      template
        .replaceAll(FABRIKAM_TENANT_ID, stableGuid(`tenant/${name}`))
        .replaceAll("fabrikam", name)
        .replaceAll("Fabrikam", name),
    ) as ReturnType<typeof seedFabrikam>;
    directory.applicationGrants.push(
      { clientAppId: API_APP_ID, resourceAppId: EXCHANGE_APP.appId, appRoles: ["Exchange.ManageAsApp"] },
      { clientAppId: API_APP_ID, resourceAppId: GRAPH_APP.appId, appRoles: ["TeamsActivity.Send"] },
    );
    directory.servicePrincipals
      .find((s) => s.appId === API_APP_ID)
      ?.roles.push(ROLE_TEMPLATE_IDS.exchangeAdministrator);
    emulator.state.tenants.push({
      directory,
      exchange: createExchangeState(directory, "default", { latency: LATENCY }),
    });
    domains.push(`${name}.com`);
  }
  return domains;
}

function procStat(pid: number): { peakRssMb: number; cpuSeconds: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? "NaN");
  // /proc/<pid>/stat fields 14 and 15: user and system time in clock ticks (100 per second on Linux).
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { peakRssMb: kb / 1024, cpuSeconds: ticks / 100 };
}

/** Runs `fn` over `items` with at most `limit` at once. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T);
      }
    }),
  );
  return out;
}

/** Turns watching on for a tenant; a connection reset under the burst is retried (it is the client's side). */
async function enable(http: HttpClient, emulator: RunningEmulator, url: string, domain: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await enableOnce(http, emulator, url, domain);
    } catch (err) {
      if (attempt >= 3) {
        process.stderr.write(`enable ${domain}: ${(err as Error).message}\n`);
        return 0;
      }
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

async function enableOnce(http: HttpClient, emulator: RunningEmulator, url: string, domain: string): Promise<number> {
  const token = await passwordToken(http, emulator.config, `admin@${domain}`);
  const desired = JSON.parse(readFileSync("examples/us-everyone.json", "utf8")) as unknown;
  // A drafted setup: the check compares resources and reads the message trace, as for a real tenant.
  await callApi(http, url, "PUT", "/api/progress", token, { draft: desired, steps: {}, version: 0 });
  const res = await callApi(http, url, "PUT", "/api/monitor", token, { watching: true, intervalMinutes: INTERVAL });
  return res.status;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "ja-monitor-"));
  const emulator = await startEmulator({ port: 0, latency: LATENCY, dataDir: join(dir, "emulator") });
  const http = createHttpClient({ extraCaPem: emulator.caPem });
  let backend: { child: ChildProcess; url: string } | undefined;
  try {
    const domains = addTenants(emulator, TENANTS);
    const dataDir = join(dir, "backend");
    // The added tenants are not in the emulator's configuration: this backend serves any tenant.
    backend = await startBackendProcess(emulator.config, dataDir, {
      JA_MONITOR_CONCURRENCY: CONCURRENCY,
      JA_ALLOWED_TENANTS: "",
      JA_ANY_TENANT: "true",
    });
    const url = backend.url;
    const enabledAt = Date.now();
    const statuses = await pool(domains, 50, (d) => enable(http, emulator, url, d));
    const notEnabled = statuses.filter((s) => s !== 200).length;
    const enableSeconds = (Date.now() - enabledAt) / 1000;

    // Watch the backend's store (read-only; WAL lets it read while the backend writes).
    const db = new Database(join(dataDir, "journaling-assistant.sqlite"), { readonly: true });
    const since = new Date(enabledAt).toISOString();
    const count = (): { checked: number; failed: number } =>
      db
        .prepare(
          "SELECT COUNT(*) AS checked, SUM(CASE WHEN last_error IS NOT NULL THEN 1 ELSE 0 END) AS failed FROM monitor_settings WHERE last_checked_at >= ? OR last_error IS NOT NULL",
        )
        .get(since) as { checked: number; failed: number };
    const windowStart = Date.now();
    const cpuStart = backend.child.pid ? procStat(backend.child.pid).cpuSeconds : NaN;
    let allCheckedAfter: number | null = null;
    while (Date.now() - windowStart < MINUTES * 60_000) {
      await new Promise((r) => setTimeout(r, 1_000));
      if (allCheckedAfter === null && count().checked >= TENANTS - notEnabled) {
        allCheckedAfter = (Date.now() - enabledAt) / 1000;
        break;
      }
    }
    const end = count();
    const elapsedMin = (allCheckedAfter ?? (Date.now() - enabledAt) / 1000) / 60;
    const stat = backend.child.pid ? procStat(backend.child.pid) : { peakRssMb: NaN, cpuSeconds: NaN };
    const windowMin = (Date.now() - windowStart) / 60_000;
    const errors = db
      .prepare(
        "SELECT last_error AS e, COUNT(*) AS n FROM monitor_settings WHERE last_error IS NOT NULL GROUP BY e ORDER BY n DESC LIMIT 3",
      )
      .all() as { e: string; n: number }[];
    db.close();
    // Every tenant is due at once when watching is turned on: the rate of these first checks is the
    // monitor's capacity (the next round comes 13.5-15 minutes later).
    const checksPerMin = end.checked / elapsedMin;
    const needed = TENANTS / INTERVAL;
    report(
      "monitor",
      {
        tenants: TENANTS,
        intervalMinutes: INTERVAL,
        latency: LATENCY,
        monitorConcurrency: Number(CONCURRENCY),
        notEnabled,
        enableSeconds: round(enableSeconds),
        tenantsChecked: end.checked,
        allCheckedAfterSeconds: allCheckedAfter === null ? null : round(allCheckedAfter),
        checksPerMin: round(checksPerMin),
        neededChecksPerMin: round(needed),
        checkErrors: end.failed,
        topErrors: errors,
        backendCpuSecondsWhileChecking: round(stat.cpuSeconds - cpuStart, 2),
        backendCpuPercentWhileChecking: round(((stat.cpuSeconds - cpuStart) / (windowMin * 60)) * 100),
        peakRssMb: round(stat.peakRssMb),
      },
      `checks/min >= tenants/${INTERVAL}; no check errors; backend peak RSS < 300 MB`,
      notEnabled === 0 && end.failed === 0 && checksPerMin >= needed && stat.peakRssMb < 300,
    );
  } finally {
    backend?.child.kill("SIGTERM");
    if (backend) await new Promise((r) => backend?.child.once("exit", r));
    http.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`monitor bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
