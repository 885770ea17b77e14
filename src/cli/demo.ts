import type { EmulatorConfig } from "../emulator/config";
import { startPaneForStack } from "../taskpane/server/paneService";
import type { CliIO } from "./plan";
import { runStartCommand, type ExtraService } from "./start";

/** The pane's port in the demo: the `local` manifest environment points at https://localhost:3000. */
export const DEMO_PANE_PORT = 3000;

/** The seed Exchange Administrator the local Teams/Outlook host page signs in as. */
const DEV_HOST_USER = { upn: "exchange.admin@contoso.com", password: "exchange.admin-Pass1!" };

const paneService: ExtraService = async ({ emulator, backend }) => {
  const pane = await startPaneForStack({
    emulator,
    backendUrl: backend.url,
    port: DEMO_PANE_PORT,
    // The demo is development: the local host page runs the pane as Teams / Outlook would.
    devHost: { user: DEV_HOST_USER },
  });
  return { name: "pane", url: `${pane.origin}/`, close: () => pane.close() };
};

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

/** `journaling-assistant start` (= `npm start`): emulator, backend and pane, configured for each other. */
export function runDemoCommand(argv: readonly string[], io?: CliIO): Promise<number> {
  return runStartCommand(argv, {
    ...(io ? { io } : {}),
    extraServices: [paneService],
    onStarted: ({ emulator }, out) => {
      out.stdout(
        `pane inside a local Teams / Outlook host page: https://localhost:${DEMO_PANE_PORT}/_devhost/` +
          ` (try ?hostName=Outlook, ?theme=dark, ?frameContext=settings&appUrl=/config.html; signed in as ${DEV_HOST_USER.upn})\n`,
      );
      out.stdout(demoSignInText(emulator.config));
    },
  });
}
