import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningEmulator } from "../../../src/emulator/server";
import { openDatabase } from "../../../src/server/store/db";
import { MonitorTenantStore } from "../../../src/server/store/monitorStore";
import { startTestEmulator } from "../emulator/helpers";
import { baseEnv, cli, EU_INDIA, tenantId } from "./cliProcess";

/**
 * `status` with the backend's store (JA_DATA_DIR): when the monitor checked the tenant before, the
 * first line says how long ago, before the live read's report.
 */
let emu: RunningEmulator;
let stop: () => Promise<void>;
let dataDir: string;

beforeAll(async () => {
  ({ emu, stop } = await startTestEmulator());
  dataDir = mkdtempSync(join(tmpdir(), "cli-snapshot-"));
});
afterAll(async () => {
  await stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test("status prints the monitor's last check first, then the live report", async () => {
  const env = {
    ...baseEnv(emu, dataDir),
    JA_CLIENT_ID: emu.config.apps.daemon.clientId,
    JA_CLIENT_SECRET: emu.config.apps.daemon.secret,
  };
  const args = ["status", "--desired", EU_INDIA, "--tenant", "contoso.onmicrosoft.com"];
  // No snapshot yet: no age line.
  const before = await cli(args, env);
  expect(before.stdout).toMatch(/^Tenant /);

  // The monitor's check four minutes ago, as the backend stores it.
  const db = openDatabase(dataDir);
  const checkedAt = new Date(Date.now() - 4 * 60_000 - 5_000).toISOString();
  await new MonitorTenantStore(db, tenantId(emu, "contoso.onmicrosoft.com")).putSnapshot(
    {
      resources: [],
      connectorValidation: null,
      messageTrace: { asOf: checkedAt, ageSeconds: 0, perAddress: [] },
      checkedAt,
      hasSetup: true,
    },
    "monitor",
  );
  db.close();

  const after = await cli(args, env);
  expect(after.stdout.split("\n").slice(0, 2)).toEqual([
    "last checked 4 min ago by the monitor",
    expect.stringMatching(/^Tenant /),
  ]);
  const json = await cli([...args, "--format", "json"], env);
  expect(json.stderr).toBe("last checked 4 min ago by the monitor\n");
  expect(() => JSON.parse(json.stdout) as unknown).not.toThrow();
}, 60_000);
