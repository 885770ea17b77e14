import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedFabrikam } from "../src/emulator/directory/seed";
import { FABRIKAM_TENANT_ID } from "../src/emulator/directory/apps";
import { createExchangeState } from "../src/emulator/exchange";
import { stableGuid } from "../src/emulator/ids";
import { startEmulator, type RunningEmulator } from "../src/emulator/server";
import { createHttpClient } from "../src/server/net/httpClient";
import { startBackendProcess } from "../test/integration/server/backendProcess";
import { callApi, passwordToken } from "../test/integration/server/harness";
import { percentile, report, round } from "./lib/report";

/**
 * 50 tenants × 20 concurrent GET /api/status against the emulator with latency off; the backend
 * runs in its own process. Reports errors, the server's own time per request (the `app` part of
 * its Server-Timing header: total minus time waiting on Entra/Exchange), and the backend
 * process's peak RSS. Budget: no errors, peak RSS < 200 MB.
 */
const TENANTS = Number(process.env.BENCH_TENANTS ?? "50");
const PER_TENANT = Number(process.env.BENCH_CONCURRENCY ?? "20");

/** The emulator seeds two tenants and has no endpoint to add more, so the benchmark adds copies of fabrikam in-process. */
function addTenants(emulator: RunningEmulator, count: number): string[] {
  const domains: string[] = [];
  for (let i = 1; i <= count; i++) {
    const name = `load${String(i).padStart(2, "0")}`;
    const text = JSON.stringify(seedFabrikam())
      .replaceAll(FABRIKAM_TENANT_ID, stableGuid(`tenant/${name}`))
      .replaceAll("fabrikam", name)
      .replaceAll("Fabrikam", name);
    const directory = JSON.parse(text) as ReturnType<typeof seedFabrikam>;
    emulator.state.tenants.push({
      directory,
      exchange: createExchangeState(directory, "default", { latency: "none" }),
    });
    domains.push(`${name}.com`);
  }
  return domains;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? "NaN");
  return kb / 1024;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "ja-load-"));
  const emulator = await startEmulator({ port: 0, latency: "none", dataDir: join(dir, "emulator") });
  const http = createHttpClient({ extraCaPem: emulator.caPem });
  let backend: { child: ChildProcess; url: string } | undefined;
  try {
    const domains = addTenants(emulator, TENANTS);
    // The added tenants are not in the emulator's configuration: this backend serves any tenant.
    backend = await startBackendProcess(emulator.config, join(dir, "backend"), {
      JA_ALLOWED_TENANTS: "",
      JA_ANY_TENANT: "true",
    });
    const url = backend.url;
    const desired = JSON.parse(readFileSync("examples/us-everyone.json", "utf8")) as unknown;
    const tokens = await Promise.all(domains.map((d) => passwordToken(http, emulator.config, `admin@${d}`)));
    // Each tenant has a drafted setup, so status compares resources and reads the message trace.
    await Promise.all(
      tokens.map((t) => callApi(http, url, "PUT", "/api/progress", t, { draft: desired, steps: {}, version: 0 })),
    );

    const started = performance.now();
    const results = await Promise.all(
      tokens.flatMap((t) =>
        Array.from({ length: PER_TENANT }, async () => {
          const t0 = performance.now();
          const res = await callApi(http, url, "GET", "/api/status", t);
          const timing = /app;dur=([\d.]+)/.exec(res.headers["server-timing"] ?? "");
          return { status: res.status, ms: performance.now() - t0, appMs: Number(timing?.[1] ?? "NaN") };
        }),
      ),
    );
    const wall = performance.now() - started;
    const errors = results.filter((r) => r.status !== 200).length;
    const app = results.map((r) => r.appMs).filter((v) => Number.isFinite(v));
    const rss = backend.child.pid ? peakRssMb(backend.child.pid) : NaN;
    report(
      "load",
      {
        tenants: TENANTS,
        concurrentPerTenant: PER_TENANT,
        requests: results.length,
        errors,
        wallMs: round(wall),
        serverOwnMsMedian: round(percentile(app, 50), 2),
        serverOwnMsP99: round(percentile(app, 99), 2),
        clientLatencyMsMedian: round(
          percentile(
            results.map((r) => r.ms),
            50,
          ),
        ),
        clientLatencyMsP99: round(
          percentile(
            results.map((r) => r.ms),
            99,
          ),
        ),
        peakRssMb: round(rss),
      },
      "no errors; backend peak RSS < 200 MB",
      errors === 0 && rss < 200,
    );
  } finally {
    backend?.child.kill("SIGTERM");
    if (backend) await new Promise((r) => backend?.child.once("exit", r));
    http.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
