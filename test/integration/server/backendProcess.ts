import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { EmulatorConfig } from "../../../src/emulator/config";
import { testBackendDatabase } from "../../postgres/database";

export const BIN = join(__dirname, "..", "..", "..", "bin", "journaling-assistant.js");

/** The JA_* variables an operator sets to point `serve` at the emulator (nothing else of the shell's environment). */
export function serveEnvironment(
  cfg: Pick<EmulatorConfig, "origin" | "caPath" | "apps" | "tenants">,
  dataDir: string,
): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    JA_CLIENT_ID: cfg.apps.api.clientId,
    JA_CLIENT_SECRET: cfg.apps.api.secret,
    JA_API_AUDIENCE: cfg.apps.api.identifierUri,
    JA_AUTHORITY_HOST: cfg.origin,
    JA_EXCHANGE_URL: cfg.origin,
    JA_GRAPH_URL: cfg.origin,
    JA_CA_FILE: cfg.caPath,
    JA_DATA_DIR: dataDir,
    // serve states whom it serves: the emulator's organisations.
    JA_ALLOWED_TENANTS: cfg.tenants.map((t) => t.id).join(","),
    JA_LOG_LEVEL: "warn",
    // JA_TEST_DATABASE=postgres: a PostgreSQL database of the run's test cluster instead of SQLite.
    ...postgresEnvironment(dataDir),
  };
}

function postgresEnvironment(dataDir: string): NodeJS.ProcessEnv {
  const { databaseUrl } = testBackendDatabase(dataDir);
  return databaseUrl === undefined ? {} : { JA_DATABASE_URL: databaseUrl };
}

/**
 * Starts `journaling-assistant serve` (the compiled command an operator runs) in its own process,
 * configured for the emulator by JA_* variables exactly as an operator would; resolves once it
 * prints its URL. Used by the crash-and-restart test (to SIGKILL it) and the load benchmark (to
 * measure its memory alone).
 */
export function startBackendProcess(
  cfg: Pick<EmulatorConfig, "origin" | "caPath" | "apps" | "tenants">,
  dataDir: string,
  /** More JA_* settings (the monitor benchmark's concurrency). */
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, "serve"], {
    env: { ...serveEnvironment(cfg, dataDir), JA_PORT: "0", ...extraEnv },
    // stdout carries the JSON logs, which nobody reads here; the URL line comes on stderr.
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let err = "";
    child.stderr?.setEncoding("utf8").on("data", (d: string) => {
      err += d;
      const m = /backend: (http\S+)/.exec(err);
      if (m?.[1]) resolve({ child, url: m[1] });
    });
    child.on("exit", (code) => reject(new Error(`backend exited with ${code}: ${err}`)));
  });
}
