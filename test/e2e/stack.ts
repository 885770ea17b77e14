import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { backendConfigFromEmulator } from "../../src/cli/start";
import { startEmulator, type RunningEmulator } from "../../src/emulator/server";
import { startBackend, type RunningBackend } from "../../src/server/app";
import { createLogger } from "../../src/server/log";
import type { RunningPaneServer } from "../../src/taskpane/server/paneServer";
import { startPaneForStack, type DevHostForStack } from "../../src/taskpane/server/paneService";

/** The `npm start` stack on random ports with a fresh tenant: emulator, backend, pane server. */
export interface Stack {
  readonly emulator: RunningEmulator;
  readonly backend: RunningBackend;
  readonly pane: RunningPaneServer;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Mount the local Teams/Outlook host page at /_devhost/ on the pane's origin (test/e2e-teams). */
  readonly devHost?: DevHostForStack;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), "ja-e2e-"));
  const emulator = await startEmulator({ port: 0, latency: "none", dataDir: join(dataDir, "emulator") });
  const backendConfig = backendConfigFromEmulator(emulator.config, { dataDir: join(dataDir, "backend"), port: 0 });
  const backend = await startBackend(backendConfig, {
    log: createLogger("error", () => undefined),
    retryPolicy: { baseDelayMs: 10, maxDelayMs: 100, replicationPollMs: 50 },
  });
  const pane = await startPaneForStack({
    emulator,
    backendUrl: backend.url,
    ...(options.devHost ? { devHost: options.devHost } : {}),
  });
  return {
    emulator,
    backend,
    pane,
    async close() {
      await pane.close();
      await backend.close();
      await emulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
