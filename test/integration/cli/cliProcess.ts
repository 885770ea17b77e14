import { readFileSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { RunningEmulator } from "../../../src/emulator/server";
import { openDatabase } from "../../../src/server/store/db";
import { Store } from "../../../src/server/store/tenantStore";

/** The compiled command run as its own process, as a pipeline or a person runs it. */
export const ROOT = join(__dirname, "..", "..", "..");
export const BIN = join(ROOT, "bin", "journaling-assistant.js");
export const EU_INDIA = join(ROOT, "examples", "eu-india-regions.json");
export const US_EVERYONE = join(ROOT, "examples", "us-everyone.json");

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the command without blocking this process (the emulator answers from it), stdin not a
 * terminal as in a pipeline. `onStderr` sees stderr as it arrives (the device-code prompt).
 */
export function cli(args: string[], env: NodeJS.ProcessEnv, onStderr?: (soFar: string) => void): Promise<Result> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
    onStderr?.(stderr);
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** What an operator sets to point the command at the emulator (nothing else of the shell's environment). */
export function baseEnv(emu: RunningEmulator, dataDir: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    JA_AUTHORITY_HOST: emu.origin,
    JA_EXCHANGE_URL: emu.origin,
    JA_GRAPH_URL: emu.origin,
    JA_CA_FILE: emu.config.caPath,
    JA_DATA_DIR: dataDir,
  };
}

export function tenantId(emu: RunningEmulator, name: string): string {
  return emu.config.tenants.find((t) => t.name === name)!.id;
}

/** The audit entries a CLI run left in the store it was given (the backend's database folder). */
export async function auditOf(
  dataDir: string,
  tid: string,
): Promise<{ by: string; cmdlet: string; outcome: string }[]> {
  const store = new Store(openDatabase(dataDir));
  try {
    return await store.forTenant(tid).audit();
  } finally {
    await store.close();
  }
}

/**
 * A pipeline's environment: the emulator's unattended app signing in with its certificate, given as
 * one PEM file holding the certificate and its key (as JA_CLIENT_CERTIFICATE takes it), in `dataDir`.
 */
export function certificateEnv(emu: RunningEmulator, dataDir: string): NodeJS.ProcessEnv {
  const cert = emu.config.apps.daemon.certificate!;
  const pem = join(dataDir, "daemon.pem");
  writeFileSync(pem, readFileSync(cert.certificatePath, "utf8") + readFileSync(cert.privateKeyPath, "utf8"));
  return { ...baseEnv(emu, dataDir), JA_CLIENT_ID: emu.config.apps.daemon.clientId, JA_CLIENT_CERTIFICATE: pem };
}
