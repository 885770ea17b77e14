import { runEmulatorCommand } from "./emulator";
import { runPlanCommand } from "./plan";
import { runServeCommand } from "./serve";
import { runDemoCommand } from "./demo";

const HELP = `journaling-assistant <command> [options]

Commands:
  plan      --desired FILE [--observed FILE] [--format text|json|powershell]
            Print the Exchange steps that bring a tenant to the desired setup.
  emulator  [--port 4443] [--state FILE] [--latency realistic|none] [--seed default|gateway] [--print-config]
            Run the local Microsoft 365 tenant (Entra ID, Graph, Exchange Online) over HTTPS.
  serve     [--config FILE] [--port N] [--pane-dist DIR]
            Run the backend helper (configured by JA_* variables or the config file);
            with a pane build, also serve the pane, /config.json and the icons on the same origin.
  start     Run the demo: the emulator, the backend and the pane, configured for each other.
  help      Show this text.
`;

const io = {
  stdout: (t: string): void => void process.stdout.write(t),
  stderr: (t: string): void => void process.stderr.write(t),
};

/** Entry point of the `journaling-assistant` command; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "plan":
      return Promise.resolve(runPlanCommand(rest, io));
    case "emulator":
      return runEmulatorCommand([...rest]);
    case "serve":
      return runServeCommand([...rest]);
    case "start":
      return runDemoCommand([...rest]);
    case undefined:
    case "help":
    case "--help":
    case "-h":
      io.stdout(HELP);
      return 0;
    default:
      io.stderr(`unknown command ${JSON.stringify(command)}\n${HELP}`);
      return 2;
  }
}
