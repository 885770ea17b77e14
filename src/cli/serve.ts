import { startBackend } from "../server/app";
import { buildConfig, ConfigError, loadConfigFile, type ConfigFile } from "../server/config";
import { parseArgs, UsageError } from "./args";
import type { CliIO } from "./plan";

/**
 * `journaling-assistant serve [--config FILE] [--port N]`: the backend alone, configured by
 * JA_* environment variables and/or a JSON file (defaults: the real Microsoft endpoints). Stops
 * gracefully on SIGINT / SIGTERM: no new requests, runs reach a safe point, the database closes.
 */
const USAGE = "usage: journaling-assistant serve [--config FILE] [--port N]";

export interface ServeOptions {
  readonly io?: CliIO;
  readonly env?: NodeJS.ProcessEnv;
  /** Resolves when the server should stop (default: SIGINT or SIGTERM). */
  readonly until?: Promise<void>;
}

export async function runServeCommand(argv: readonly string[], options: ServeOptions = {}): Promise<number> {
  const io = options.io ?? {
    stdout: (t: string): void => void process.stdout.write(t),
    stderr: (t: string): void => void process.stderr.write(t),
  };
  let config;
  try {
    const { values } = parseArgs(argv, { values: ["config", "port"] });
    const file: ConfigFile | undefined = values.config ? loadConfigFile(values.config) : undefined;
    const overrides: Partial<ConfigFile> = {};
    if (values.port !== undefined) {
      const port = Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError("--port must be a port number");
      overrides.port = port;
    }
    config = buildConfig(options.env ?? process.env, { ...(file ? { file } : {}), overrides });
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`${err.message}\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.stderr(`${err.message}\nSee the README's configuration table (JA_* variables).\n`);
      return 2;
    }
    throw err;
  }
  const stop =
    options.until ??
    new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
  let backend;
  try {
    backend = await startBackend(config);
  } catch (err) {
    io.stderr(`could not start the backend: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  io.stderr(`backend: ${backend.url}\n`);
  await stop;
  await backend.close();
  return 0;
}
