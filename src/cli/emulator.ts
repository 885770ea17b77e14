import { resolve } from "node:path";
import { DEFAULT_DATA_DIR, ensureCertificates } from "../emulator/certs";
import { buildEmulatorConfig } from "../emulator/config";
import { DEFAULT_PORT, startEmulator, type EmulatorOptions } from "../emulator/server";
import { StateStore } from "../emulator/state";
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
      const config = buildEmulatorConfig(`https://localhost:${o.port ?? DEFAULT_PORT}`, certs.caPath, state.tenants);
      io.stdout(`${JSON.stringify(config, null, 2)}\n`);
      return 0;
    }
    const emulator = await startEmulator(o);
    io.stdout(`emulator: ${emulator.origin}\n`);
    io.stdout(`CA certificate: ${emulator.caPath} (trust it: NODE_EXTRA_CA_CERTS=${emulator.caPath})\n`);
    io.stdout(`configuration: ${emulator.origin}/_emulator/config\n`);
    await stopSignal();
    await emulator.close();
    io.stdout("emulator: stopped\n");
    return 0;
  });
}
