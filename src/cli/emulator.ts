import { resolve } from "node:path";
import { DEFAULT_DATA_DIR, ensureCertificates } from "../emulator/certs";
import { buildEmulatorConfig } from "../emulator/config";
import { DEFAULT_PORT, startEmulator, type EmulatorOptions } from "../emulator/server";
import { StateStore } from "../emulator/state";

/**
 * `journaling-assistant emulator [--port 4443] [--state FILE] [--latency realistic|none]
 * [--seed default|gateway] [--data DIR] [--print-config]`
 */

export const EMULATOR_USAGE = `Usage: journaling-assistant emulator [options]

Runs a local Microsoft 365 tenant (Entra ID, Graph, Exchange Online admin API) over HTTPS.

Options:
  --port N                 port to listen on (default 4443; 0 = any free port)
  --host ADDRESS           interface to listen on (default 127.0.0.1)
  --state FILE             load and save the emulator state in FILE (JSON)
  --latency realistic|none response delays (default realistic)
  --seed default|gateway   seed data; "gateway" adds an outbound gateway connector to contoso
  --data DIR               certificates and signing key (default .data/emulator)
  --print-config           print the configuration (tenants, apps, users) as JSON and exit
  -h, --help               show this help`;

type Parsed =
  { ok: true; options: EmulatorOptions; printConfig: boolean; help: boolean } | { ok: false; message: string };

export function parseEmulatorArgs(args: readonly string[]): Parsed {
  const options: EmulatorOptions = {};
  let printConfig = false;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] =
      arg.startsWith("--") && arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    switch (flag) {
      case "--port": {
        const v = value();
        const port = Number(v);
        if (v === undefined || !Number.isInteger(port) || port < 0 || port > 65535)
          return { ok: false, message: `--port needs a port number (0-65535), got '${v ?? ""}'` };
        options.port = port;
        break;
      }
      case "--host": {
        const v = value();
        if (v === undefined) return { ok: false, message: "--host needs an address" };
        options.host = v;
        break;
      }
      case "--state": {
        const v = value();
        if (v === undefined) return { ok: false, message: "--state needs a file name" };
        options.stateFile = v;
        break;
      }
      case "--data": {
        const v = value();
        if (v === undefined) return { ok: false, message: "--data needs a folder" };
        options.dataDir = v;
        break;
      }
      case "--latency": {
        const v = value();
        if (v !== "realistic" && v !== "none")
          return { ok: false, message: `--latency must be realistic or none, got '${v ?? ""}'` };
        options.latency = v;
        break;
      }
      case "--seed": {
        const v = value();
        if (v !== "default" && v !== "gateway")
          return { ok: false, message: `--seed must be default or gateway, got '${v ?? ""}'` };
        options.seed = v;
        break;
      }
      case "--print-config":
        printConfig = true;
        break;
      case "-h":
      case "--help":
        help = true;
        break;
      default:
        return { ok: false, message: `unknown option '${arg}'` };
    }
  }
  return { ok: true, options, printConfig, help };
}

export async function runEmulatorCommand(args: string[]): Promise<number> {
  const parsed = parseEmulatorArgs(args);
  if (!parsed.ok) {
    console.error(`emulator: ${parsed.message}\n\n${EMULATOR_USAGE}`);
    return 2;
  }
  if (parsed.help) {
    console.log(EMULATOR_USAGE);
    return 0;
  }
  if (parsed.printConfig) {
    // No server: the origin is the one a run with the same options listens on.
    const o = parsed.options;
    const certs = ensureCertificates(o.dataDir ?? DEFAULT_DATA_DIR);
    const state = new StateStore({
      seed: o.seed ?? "default",
      ...(o.stateFile === undefined ? {} : { stateFile: resolve(o.stateFile) }),
    });
    console.log(
      JSON.stringify(
        buildEmulatorConfig(`https://localhost:${o.port ?? DEFAULT_PORT}`, certs.caPath, state.tenants),
        null,
        2,
      ),
    );
    return 0;
  }
  const emulator = await startEmulator(parsed.options);
  console.log(`emulator: ${emulator.origin}`);
  console.log(`CA certificate: ${emulator.caPath} (trust it: NODE_EXTRA_CA_CERTS=${emulator.caPath})`);
  console.log(`configuration: ${emulator.origin}/_emulator/config`);
  await new Promise<void>((resolveStop) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolveStop();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await emulator.close();
  console.log("emulator: stopped");
  return 0;
}
