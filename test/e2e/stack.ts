import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../src/server/log";
import { startStack as startDevStack, type DevHostForStack, type RunningStack } from "../../src/stack/startStack";
import type { RunningPaneServer } from "../../src/stack/paneDevServer";

/** `npm start`'s stack (src/stack) on free ports with a fresh tenant and no emulator latency. */
export type Stack = Omit<RunningStack, "pane"> & { readonly pane: RunningPaneServer };

export interface StackOptions {
  /** The local Teams/Outlook host page at /_devhost/ on the pane's origin (test/e2e-teams); default as npm start. */
  readonly devHost?: DevHostForStack;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), "ja-e2e-"));
  const stack = await startDevStack({
    dataDir,
    ports: { emulator: 0, backend: 0, pane: 0 },
    latency: "none",
    pane: options.devHost ? { devHost: options.devHost } : {},
    backend: {
      log: createLogger("error", () => undefined),
      retryPolicy: { baseDelayMs: 10, maxDelayMs: 100, replicationPollMs: 50 },
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
