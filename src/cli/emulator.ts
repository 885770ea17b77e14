import { resolve } from "node:path";
import { DEFAULT_DATA_DIR, ensureCertificates } from "../emulator/certs";
import { buildEmulatorConfig } from "../emulator/config";
import { DEFAULT_PORT, startEmulator, type EmulatorOptions } from "../emulator/server";
import { resolveEmulatorPort } from "../emulator/publicHosts";
import { StateStore } from "../emulator/state";
import type { EmulatorConfig } from "../emulator/config";
import {
  choiceOption,
  parseCommandArgs,
  portOption,
  processIO,
  runCommand,
  stopSignal,
  UsageError,
  type CliIO,
} from "./command";
import { EMULATOR_COMMAND } from "./specs";

type Parsed =
  { ok: true; options: EmulatorOptions; printConfig: boolean; help: boolean } | { ok: false; message: string };

/** The emulator's options from its command line (also what tests check). */
export function parseEmulatorArgs(args: readonly string[]): Parsed {
  try {
    const { values, help } = parseCommandArgs(EMULATOR_COMMAND, args);
    const options: EmulatorOptions = {};
    const port = portOption("port", values.port);
    if (port !== undefined) options.port = port;
    if (values.host !== undefined) options.host = values.host;
    if (values.state !== undefined) options.stateFile = values.state;
    if (values.data !== undefined) options.dataDir = values.data;
    if (values["public-hosts"] === true) options.publicHosts = true;
    const latency = choiceOption("latency", values.latency, ["realistic", "none"] as const);
    if (latency !== undefined) options.latency = latency;
    const seed = choiceOption("seed", values.seed, ["default", "gateway"] as const);
    if (seed !== undefined) options.seed = seed;
    return { ok: true, options, printConfig: values["print-config"] === true, help };
  } catch (err) {
    if (err instanceof UsageError) return { ok: false, message: err.message };
    throw err;
  }
}

export function runEmulatorCommand(args: readonly string[], io: CliIO = processIO): Promise<number> {
  return runCommand(EMULATOR_COMMAND, args, io, async () => {
    const parsed = parseEmulatorArgs(args);
    if (!parsed.ok) throw new UsageError(parsed.message);
    const o = parsed.options;
    if (parsed.printConfig) {
      // No server: the origin is the one a run with the same options listens on.
      const certs = ensureCertificates(o.dataDir ?? DEFAULT_DATA_DIR);
      const state = new StateStore({
        seed: o.seed ?? "default",
        ...(o.stateFile === undefined ? {} : { stateFile: resolve(o.stateFile) }),
      });
      const port = resolveEmulatorPort(o, DEFAULT_PORT);
      const config = buildEmulatorConfig(
        new URL(`https://localhost:${port}`).origin,
        certs.caPath,
        state.tenants,
        undefined,
        o.publicHosts === true ? { port } : undefined,
      );
      io.stdout(`${JSON.stringify(config, null, 2)}\n`);
      return 0;
    }
    const emulator = await startEmulator(o);
    io.stdout(`emulator: ${emulator.origin}\n`);
    io.stdout(`CA certificate: ${emulator.caPath} (trust it: NODE_EXTRA_CA_CERTS=${emulator.caPath})\n`);
    io.stdout(`configuration: ${emulator.origin}/_emulator/config\n`);
    if (emulator.publicHosts) io.stdout(publicHostsText(emulator.config));
    await stopSignal();
    await emulator.close();
    io.stdout("emulator: stopped\n");
    return 0;
  });
}

/** How to point a machine at the emulator in public-hosts mode (the banner; --print-config has the same as JSON). */
export function publicHostsText(config: EmulatorConfig): string {
  const p = config.publicHosts;
  if (p === undefined) return "";
  return [
    `answering as Microsoft's hosts: ${config.endpoints.login}, ${config.endpoints.graph.replace(/\/v1\.0$/, "")}, ${config.endpoints.exchange.replace(/\/adminapi\/beta$/, "")} and their aliases`,
    "point this machine at it (hosts file: /etc/hosts, or C:\\Windows\\System32\\drivers\\etc\\hosts):",
    ...p.hostsFile.map((l) => `  ${l}`),
    `trust its CA: Node.js NODE_EXTRA_CA_CERTS=${p.environment.NODE_EXTRA_CA_CERTS}; browsers: import that file as a trusted authority`,
    ...(p.port === 443
      ? []
      : [
          `it listens on port ${p.port}; clients use 443, so forward 443 to ${p.port} (Microsoft's URLs carry no port)`,
        ]),
    `the product's backend: ${Object.entries(p.backend)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ")} (login, Graph and Exchange URLs stay at their defaults)`,
    "",
  ].join("\n");
}
