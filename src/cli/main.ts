import { processIO, type CliIO } from "./command";
import { EMULATOR_COMMAND, runEmulatorCommand } from "./emulator";
import { PLAN_COMMAND, runPlanCommand } from "./plan";
import { runServeCommand, SERVE_COMMAND } from "./serve";
import { runStartCommand, START_COMMAND } from "./start";

const COMMANDS = [
  { spec: PLAN_COMMAND, run: (argv: readonly string[], io: CliIO) => runPlanCommand(argv, io) },
  { spec: EMULATOR_COMMAND, run: (argv: readonly string[], io: CliIO) => runEmulatorCommand(argv, io) },
  { spec: SERVE_COMMAND, run: (argv: readonly string[], io: CliIO) => runServeCommand(argv, { io }) },
  { spec: START_COMMAND, run: (argv: readonly string[], io: CliIO) => runStartCommand(argv, { io }) },
] as const;

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
