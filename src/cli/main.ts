import { processIO, type CliIO } from "./command";
import { COMMAND_SPECS } from "./specs";

type Run = (argv: readonly string[], io: CliIO) => Promise<number>;

/**
 * Each command's code loads only when it runs: `serve` in production never loads the emulator,
 * the dev host or webpack (the compiled CLI turns these imports into lazy requires).
 */
const RUNNERS: Record<(typeof COMMAND_SPECS)[number]["name"], Run> = {
  plan: async (argv, io) => (await import("./plan")).runPlanCommand(argv, io),
  apply: async (argv, io) => (await import("./apply")).runApplyCommand(argv, { io }),
  status: async (argv, io) => (await import("./status")).runStatusCommand(argv, { io }),
  emulator: async (argv, io) => (await import("./emulator")).runEmulatorCommand(argv, io),
  serve: async (argv, io) => (await import("./serve")).runServeCommand(argv, { io }),
  start: async (argv, io) => (await import("./start")).runStartCommand(argv, { io }),
};

const COMMANDS = COMMAND_SPECS.map((spec) => ({ spec, run: RUNNERS[spec.name] }));

const HELP = [
  "Usage: journaling-assistant <command> [options]",
  "",
  "Commands:",
  ...COMMANDS.map(({ spec }) => `  ${spec.name.padEnd(10)}${spec.summary}`),
  `  ${"help".padEnd(10)}Shows this text.`,
  "",
  "journaling-assistant <command> --help explains a command and its options.",
  "",
].join("\n");

/** Entry point of the `journaling-assistant` command; resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  const [command, ...rest] = argv;
  const found = COMMANDS.find(({ spec }) => spec.name === command);
  if (found) return found.run(rest, io);
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    io.stdout(HELP);
    return 0;
  }
  io.stderr(`unknown command ${JSON.stringify(command)}\n\n${HELP}`);
  return 2;
}
