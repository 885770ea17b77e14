import { join } from "node:path";
import type { EmulatorConfig } from "../emulator/config";
import { startEmulator, type RunningEmulator } from "../emulator/server";
import { startBackend, type RunningBackend } from "../server/app";
import { buildConfig, ConfigError, type ConfigFile, type ServerConfig } from "../server/config";
import { createLogger } from "../server/log";
import { parseArgs, UsageError } from "./args";
import type { CliIO } from "./plan";

/**
 * `journaling-assistant start`: the demo stack. Starts the emulator, then the backend configured
 * from the emulator's config (the same settings an operator would put in JA_* variables), prints
 * one line per service and stops everything on Ctrl-C / SIGTERM. Other parts (the pane) plug in
 * through `extraServices`: each gets the running emulator and backend and prints its own line.
 */
export interface DemoService {
  readonly name: string;
  readonly url: string;
  close(): Promise<void>;
}

export interface DemoContext {
  readonly emulator: RunningEmulator;
  readonly backend: RunningBackend;
  readonly backendConfig: ServerConfig;
}

export type ExtraService = (ctx: DemoContext) => Promise<DemoService>;

export interface StartOptions {
  readonly io?: CliIO;
  /** Services started after the backend, e.g. the pane's dev server. */
  readonly extraServices?: readonly ExtraService[];
  /** Called once every service runs, e.g. to print how to sign in. */
  readonly onStarted?: (ctx: DemoContext, io: CliIO) => void;
  /** Resolves when the stack should stop (default: SIGINT or SIGTERM). */
  readonly until?: Promise<void>;
}

const USAGE =
  "usage: journaling-assistant start [--emulator-port N] [--backend-port N] [--data-dir DIR] [--latency realistic|none] [--pane-origin URL]";

/** Backend settings that point at a running emulator. */
export function backendConfigFromEmulator(
  emulator: Pick<EmulatorConfig, "origin" | "caPath" | "apps">,
  settings: {
    dataDir: string;
    port?: number;
    paneOrigin?: string | null;
    env?: NodeJS.ProcessEnv;
    /** Further settings (tests and benchmarks). */
    overrides?: Partial<ConfigFile>;
  },
): ServerConfig {
  return buildConfig(settings.env ?? {}, {
    overrides: {
      port: settings.port ?? 0,
      clientId: emulator.apps.api.clientId,
      clientSecret: emulator.apps.api.secret,
      apiAudience: emulator.apps.api.identifierUri,
      authorityHost: emulator.origin,
      exchangeUrl: emulator.origin,
      graphUrl: emulator.origin,
      caFile: emulator.caPath,
      dataDir: settings.dataDir,
      ...(settings.paneOrigin ? { paneOrigin: settings.paneOrigin } : {}),
      ...settings.overrides,
    },
  });
}

function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve();
    };
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
}

export async function runStartCommand(argv: readonly string[], options: StartOptions = {}): Promise<number> {
  const io = options.io ?? {
    stdout: (t: string): void => void process.stdout.write(t),
    stderr: (t: string): void => void process.stderr.write(t),
  };
  let values: Record<string, string>;
  try {
    ({ values } = parseArgs(argv, { values: ["emulator-port", "backend-port", "data-dir", "latency", "pane-origin"] }));
    if (values.latency !== undefined && !["realistic", "none"].includes(values.latency)) {
      throw new UsageError("--latency must be realistic or none");
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`${err.message}\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  const dataDir = values["data-dir"] ?? ".data";
  const stopping = options.until ?? stopSignal();
  const started: { name: string; close: () => Promise<void> }[] = [];
  const stopAll = async (): Promise<void> => {
    for (const s of started.reverse()) {
      try {
        await s.close();
      } catch (err) {
        io.stderr(`stopping ${s.name} failed: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
  };
  try {
    const emulator = await startEmulator({
      port: values["emulator-port"] === undefined ? 4443 : Number(values["emulator-port"]),
      dataDir: join(dataDir, "emulator"),
      stateFile: join(dataDir, "emulator", "state.json"),
      latency: values.latency === "none" ? "none" : "realistic",
    });
    started.push({ name: "emulator", close: () => emulator.close() });
    io.stdout(`emulator: ${emulator.origin}\n`);
    const backendConfig = backendConfigFromEmulator(emulator.config, {
      dataDir: join(dataDir, "backend"),
      port: values["backend-port"] === undefined ? 3001 : Number(values["backend-port"]),
      paneOrigin: values["pane-origin"] ?? process.env.JA_PANE_ORIGIN ?? null,
    });
    // The service lines own stdout; the backend's JSON logs go to stderr in the demo.
    const backend = await startBackend(backendConfig, {
      log: createLogger(backendConfig.logLevel, (line) => void process.stderr.write(line + "\n")),
    });
    started.push({ name: "backend", close: () => backend.close() });
    io.stdout(`backend: ${backend.url}\n`);
    for (const extra of options.extraServices ?? []) {
      const service = await extra({ emulator, backend, backendConfig });
      started.push(service);
      io.stdout(`${service.name}: ${service.url}\n`);
    }
    options.onStarted?.({ emulator, backend, backendConfig }, io);
  } catch (err) {
    io.stderr(
      `${err instanceof ConfigError ? err.message : `could not start: ${err instanceof Error ? err.message : String(err)}`}\n`,
    );
    await stopAll();
    return 1;
  }
  await stopping;
  await stopAll();
  return 0;
}
