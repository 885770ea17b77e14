import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BackendOptions } from "../../src/server/app";
import { createLogger } from "../../src/server/log";
import { startStack as startDevStack, type DevHostForStack, type RunningStack } from "../../src/stack/startStack";
import { testBackendDatabase } from "../postgres/database";
import type { RunningPaneServer } from "../../src/stack/paneDevServer";

/** `npm start`'s stack (src/stack) on free ports with a fresh tenant and no emulator latency. */
export type Stack = Omit<RunningStack, "pane"> & { readonly pane: RunningPaneServer };

export interface StackOptions {
  /** The local Teams/Outlook host page at /_devhost/ on the pane's origin (test/e2e-teams); default as npm start. */
  readonly devHost?: DevHostForStack;
  /** Further backend settings (e.g. teamsAppId for the monitor's deep links). */
  readonly backendConfig?: StartOptions["backendConfig"];
  /**
   * The backend knows the pane's origin before the pane starts (a free port picked first), as in
   * production: the monitor's admin consent sends the admin back there (a registered redirect URI).
   */
  readonly knownPaneOrigin?: boolean;
  /** The mail-flow test's trace polling and time-outs (issue 15), shortened for tests. */
  readonly mailflowTest?: BackendOptions["mailflowTest"];
}

type StartOptions = Parameters<typeof startDevStack>[0];

/** A free TCP port on localhost (closed again before the pane server takes it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), "ja-e2e-"));
  const panePort = options.knownPaneOrigin ? await freePort() : 0;
  const stack = await startDevStack({
    dataDir,
    ports: { emulator: 0, backend: 0, pane: panePort },
    ...(options.knownPaneOrigin ? { paneOrigin: `https://localhost:${panePort}` } : {}),
    // JA_TEST_DATABASE=postgres: the backend on a PostgreSQL database of the run's test cluster.
    backendConfig: { ...testBackendDatabase(dataDir), ...options.backendConfig },
    latency: "none",
    pane: options.devHost ? { devHost: options.devHost } : {},
    backend: {
      log: createLogger("error", () => undefined),
      retryPolicy: { baseDelayMs: 10, maxDelayMs: 100, replicationPollMs: 50 },
      ...(options.mailflowTest ? { mailflowTest: options.mailflowTest } : {}),
    },
  });
  const pane = stack.pane;
  if (pane === null) throw new Error("the stack started without its pane");
  return {
    ...stack,
    pane,
    async close() {
      await stack.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
