import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningEmulator } from "../../../src/emulator/server";
import { openDatabase } from "../../../src/server/store/db";
import { Store } from "../../../src/server/store/tenantStore";
import { startTestEmulator } from "../emulator/helpers";
import { auditOf, certificateEnv, BIN, cli, EU_INDIA, ROOT, tenantId } from "./cliProcess";

/**
 * A pipeline cancelled in the middle of `apply` (the process killed) leaves its run unfinished in
 * the store; the next `apply` finishes that run first, creates nothing twice, then applies.
 */
let emu: RunningEmulator;
let stop: () => Promise<void>;
let dataDir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  ({ emu, stop } = await startTestEmulator());
  dataDir = mkdtempSync(join(tmpdir(), "cli-resume-"));
  env = certificateEnv(emu, dataDir);
});
afterAll(async () => {
  await stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function runState(tid: string): Promise<string | undefined> {
  const store = new Store(openDatabase(dataDir));
  try {
    return (await store.forTenant(tid).activeRun())?.state;
  } finally {
    await store.close();
  }
}

test("apply killed mid-run: the next apply finishes that run first, creating nothing twice", async () => {
  const contoso = emu.state.getTenant("contoso.com");
  if (!contoso) throw new Error("no contoso");
  // The lists take a while, so the kill lands while they are being created.
  contoso.exchange.settings.latencyOverridesMs = { "New-DistributionGroup": 1500 };
  const tid = tenantId(emu, "contoso.onmicrosoft.com");

  const child = spawn(process.execPath, [BIN, "apply", "--desired", EU_INDIA, "--tenant", tid, "--yes"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  await new Promise<void>((resolve, reject) => {
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
      // The first step is done, the lists are in flight: cancel the pipeline the hard way.
      if (/^ok .*Set-TransportConfig/m.test(stderr)) resolve();
    });
    child.on("exit", () => reject(new Error(`apply ended before it could be killed:\n${stderr}`)));
  });
  child.kill("SIGKILL");
  await new Promise((r) => child.once("close", r));
  expect(await runState(tid)).toBe("running");

  contoso.exchange.settings.latencyOverridesMs = {};
  const again = await cli(["apply", "--desired", EU_INDIA, "--tenant", tid, "--yes"], env);
  expect(again.stderr).toMatch(
    /^Run \S+ \(started by .+\) did not finish: its process stopped\. Finishing it first\.$/m,
  );
  expect(again.stderr).toMatch(/^Run \S+ finished\.$/m);
  expect(again.code).toBe(0);
  // The finished run left nothing to do.
  expect(again.stderr).toMatch(/Nothing applied: the tenant already matches the setup\.\n$/);
  expect(await runState(tid)).toBeUndefined();

  // Every change happened once: no list, connector or rule created twice.
  const created = (await auditOf(dataDir, tid))
    .filter((e) => e.outcome === "succeeded" && e.cmdlet.startsWith("New-"))
    .map((e) => e.cmdlet);
  expect(created.filter((c) => c === "New-DistributionGroup")).toHaveLength(2);
  expect(created.filter((c) => c === "New-JournalRule")).toHaveLength(2);
  expect(contoso.exchange.journalRules).toHaveLength(2);
}, 60_000);
