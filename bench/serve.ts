import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../src/emulator/server";
import { DEFAULT_DIST_DIR, ensurePaneBuilt } from "../src/stack/paneBuild";
import { BIN, serveEnvironment } from "../test/integration/server/backendProcess";
import { percentile, report, round } from "./lib/report";

/**
 * Start-up of `journaling-assistant serve` as an operator runs it (the compiled command, configured
 * by JA_* variables, serving the pane build on the same origin): time from spawning the process to
 * its first 200 (GET /config.json), median of 7 cold starts. Budget: < 1000 ms on this machine kind.
 */
const STARTS = Number(process.env.BENCH_STARTS ?? "7");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function firstOk(url: string, deadline: number): Promise<void> {
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no 200 from ${url} in time`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function main(): Promise<void> {
  await ensurePaneBuilt();
  const dir = mkdtempSync(join(tmpdir(), "ja-serve-bench-"));
  const emulator = await startEmulator({ port: 0, latency: "none", dataDir: join(dir, "emulator") });
  const times: number[] = [];
  try {
    for (let i = 0; i < STARTS; i++) {
      const port = await freePort();
      const cfg = emulator.config;
      const started = performance.now();
      const child = spawn(process.execPath, [BIN, "serve", "--port", String(port), "--pane-dist", DEFAULT_DIST_DIR], {
        env: {
          ...serveEnvironment(cfg, join(dir, `backend-${i}`)),
          JA_PANE_ORIGIN: "https://journaling.contoso.example",
        },
        stdio: "ignore",
      });
      try {
        await firstOk(`http://127.0.0.1:${port}/config.json`, Date.now() + 30_000);
        times.push(performance.now() - started);
      } finally {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
    }
  } finally {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const median = percentile(times, 50);
  report(
    "serve",
    {
      starts: times.length,
      medianMs: round(median),
      minMs: round(Math.min(...times)),
      maxMs: round(Math.max(...times)),
    },
    "time from spawn to first 200 < 1000 ms (median)",
    median < 1000,
  );
}

void main();
