import { resolve } from "node:path";
import type { EmulatorConfig } from "../emulator/config";
import { ConfigError } from "../server/config";
import { createLogger } from "../server/log";
import { STACK_DEFAULT_PORTS } from "../stack/defaults";
import { DEMO_MAIL_FLOW_PER_HOUR, DEV_HOST_USER, startStack, type RunningStack } from "../stack/startStack";
import { choiceOption, portOption, processIO, runCommand, stopSignal, type CliIO } from "./command";
import { publicHostsText } from "./emulator";
import { START_COMMAND } from "./specs";

/**
 * `journaling-assistant start` (= `npm start`): the emulator, the backend and the pane's
 * development server with the local host page, configured for each other; one line per service
 * on stdout, the backend's JSON logs on stderr; Ctrl-C (SIGINT) or SIGTERM stops everything.
 */

export interface StartOptions {
  readonly io?: CliIO;
  /** Resolves when the stack should stop (default: SIGINT or SIGTERM). */
  readonly until?: Promise<void>;
}

export function runStartCommand(argv: readonly string[], options: StartOptions = {}): Promise<number> {
  const io = options.io ?? processIO;
  return runCommand(START_COMMAND, argv, io, async (values) => {
    const publicHosts = values["public-hosts"] === true;
    const emulatorPort = portOption("emulator-port", values["emulator-port"]);
    const ports = {
      // In public-hosts mode the stack's default is 443 (resolveEmulatorPort).
      ...(emulatorPort === undefined ? {} : { emulator: emulatorPort }),
      backend: portOption("backend-port", values["backend-port"]) ?? STACK_DEFAULT_PORTS.backend,
      pane: portOption("pane-port", values["pane-port"]) ?? STACK_DEFAULT_PORTS.pane,
    };
    const latency = choiceOption("latency", values.latency, ["realistic", "none"] as const) ?? "realistic";
    // Listen for the stop before starting, so a Ctrl-C during start-up still stops cleanly.
    const stopping = options.until ?? stopSignal();
    let stack: RunningStack;
    try {
      stack = await startStack({
        dataDir: resolve(values["data-dir"] ?? ".data"),
        ports,
        latency,
        paneOrigin: values["pane-origin"] ?? process.env.JA_PANE_ORIGIN ?? null,
        // The service lines own stdout; the backend's JSON logs go to stderr.
        backend: { log: createLogger("info", (line) => io.stderr(`${line}\n`)) },
        onProgress: (line) => io.stdout(`${line}\n`),
        // The demo tenant receives mail, so journal rules produce reports and the status chart fills up.
        mailFlowPerHour: DEMO_MAIL_FLOW_PER_HOUR,
        ...(publicHosts ? { publicHosts: true } : {}),
      });
    } catch (err) {
      io.stderr(
        `${err instanceof ConfigError ? err.message : `could not start: ${err instanceof Error ? err.message : String(err)}`}\n`,
      );
      return 1;
    }
    io.stdout(`emulator: ${stack.emulator.origin}\n`);
    // The backend reaches Microsoft's names on the emulator by itself; the browser needs the hosts file.
    if (stack.emulator.publicHosts) io.stdout(publicHostsText(stack.emulator.config));
    io.stdout(`backend: ${stack.backend.url}\n`);
    io.stdout(`pane: ${stack.pane?.origin ?? ""}/\n`);
    if (stack.devHostUrl !== null) {
      io.stdout(
        `pane inside a local Teams / Outlook host page: ${stack.devHostUrl}` +
          ` (try ?hostName=Outlook, ?theme=dark, ?frameContext=settings&appUrl=/config.html; signed in as ${DEV_HOST_USER.upn})\n`,
      );
      io.stdout(
        `the Outlook add-in next to a message (was it journaled?): ${stack.devHostUrl}outlook/ (try ?naa=0 for an Outlook without nested app auth)\n`,
      );
    }
    io.stdout(
      `mail flow: the emulator's tenants receive ${DEMO_MAIL_FLOW_PER_HOUR} external messages an hour` +
        ' (change it: PUT /_emulator/tenants/{tenant}/exchange/settings {"mailFlow":{"ratePerHour":N}})\n',
    );
    io.stdout(demoSignInText(stack.emulator.config));
    await stopping;
    io.stdout("stopping…\n");
    try {
      await stack.close();
    } catch (err) {
      io.stderr(`stopping failed: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
    io.stdout("stopped\n");
    return 0;
  });
}

/** What a new user needs to sign in: the seed accounts of the first tenant and the CA to trust. */
export function demoSignInText(config: EmulatorConfig): string {
  const contoso = config.tenants[0]?.name;
  const all = config.users.filter((u) => u.tenant === contoso);
  // The admins and one ordinary user tell the story; the rest follow the same password pattern.
  const users = [...all.filter((u) => u.roles.length > 0), ...all.filter((u) => u.roles.length === 0).slice(0, 1)];
  const upnWidth = Math.max(...users.map((u) => u.upn.length));
  const pwWidth = Math.max(...users.map((u) => u.password.length));
  return [
    "",
    "Sign in to the pane with one of these demo accounts:",
    ...users.map(
      (u) =>
        `  ${u.upn.padEnd(upnWidth)}  ${u.password.padEnd(pwWidth)}  ${u.roles.join(", ") || "no admin role: read-only view"}`,
    ),
    `  (${all.length - users.length} more users, password <name before @>-Pass1!; see journaling-assistant emulator --print-config)`,
    `Trust the emulator's CA in your browser: ${config.caPath}`,
    "Ctrl-C stops everything.",
    "",
  ].join("\n");
}
