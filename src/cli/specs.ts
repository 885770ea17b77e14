import { STACK_DEFAULT_PORTS } from "../stack/defaults";
import { defineCommand } from "./command";

/** Every command's options and help, apart from its code, so `--help` and the command list load nothing else. */
export const PLAN_COMMAND = defineCommand({
  name: "plan",
  summary: "Prints the Exchange steps that bring a tenant to the desired setup (nothing is changed).",
  optionHelp: [
    "  --desired FILE           the setup you want (desired state v1, JSON; required)",
    "  --observed FILE          the tenant as Exchange reports it (JSON); default: an empty tenant",
    "  --format FORMAT          text (default), json or powershell (a script to review and run)",
  ],
  notes: [
    "Exit code 0 with the plan on stdout; 2 for invalid input, the offending field on stderr.",
    "Example: journaling-assistant plan --desired examples/eu-india-regions.json --format powershell",
  ].join("\n"),
  options: { desired: { type: "string" }, observed: { type: "string" }, format: { type: "string" } },
});

export const EMULATOR_COMMAND = defineCommand({
  name: "emulator",
  summary: "Runs a local Microsoft 365 tenant (Entra ID, Graph, Exchange Online admin API) over HTTPS.",
  optionHelp: [
    "  --port N                 port to listen on (default 4443, 443 with --public-hosts; 0 = any free port)",
    "  --host ADDRESS           interface to listen on (default 127.0.0.1)",
    "  --state FILE             load and save the emulator state in FILE (JSON)",
    "  --latency realistic|none response delays (default realistic)",
    '  --seed default|gateway   seed data; "gateway" adds an outbound gateway connector to contoso',
    "  --data DIR               certificates and signing key (default .data/emulator)",
    "  --public-hosts           answer as login.microsoftonline.com, graph.microsoft.com, outlook.office365.com",
    "                           and their aliases (point them at 127.0.0.1 in the hosts file; see --print-config)",
    "  --print-config           print the configuration (tenants, apps, users) as JSON and exit",
  ],
  options: {
    "public-hosts": { type: "boolean" },
    port: { type: "string" },
    host: { type: "string" },
    state: { type: "string" },
    latency: { type: "string" },
    seed: { type: "string" },
    data: { type: "string" },
    "print-config": { type: "boolean" },
  },
});

export const SERVE_COMMAND = defineCommand({
  name: "serve",
  summary: "Runs the backend helper that applies plans in Exchange Online for the signed-in admin.",
  optionHelp: [
    "  --config FILE            settings as JSON (the same keys as the JA_* variables; variables win)",
    "  --port N                 port to listen on (JA_PORT; default 3001; 0 = any free port)",
    "  --pane-dist DIR          also serve this pane build on the same origin (JA_PANE_DIST)",
    "  --any-tenant             serve any organisation's admins (JA_ANY_TENANT); otherwise JA_ALLOWED_TENANTS",
    "                           must list the tenant ids served",
    "  --database URL           a PostgreSQL database shared by several instances, postgres://user:password@host/db",
    "                           (JA_DATABASE_URL); default: the SQLite file in JA_DATA_DIR",
  ],
  notes: "Every setting and its JA_* variable: see the README's configuration table.",
  options: {
    config: { type: "string" },
    port: { type: "string" },
    "pane-dist": { type: "string" },
    "any-tenant": { type: "boolean" },
    database: { type: "string" },
  },
});

export const START_COMMAND = defineCommand({
  name: "start",
  summary: "Runs the demo: a local Microsoft 365 tenant, the backend and the pane, configured for each other.",
  optionHelp: [
    `  --pane-port N            the pane's https port (default ${STACK_DEFAULT_PORTS.pane}; 0 = any free port)`,
    `  --backend-port N         the backend's port (default ${STACK_DEFAULT_PORTS.backend}; 0 = any free port)`,
    `  --emulator-port N        the emulator's https port (default ${STACK_DEFAULT_PORTS.emulator}, 443 with --public-hosts; 0 = any free port)`,
    "  --public-hosts           the emulator answers as Microsoft's hosts; the backend and the pane use Microsoft's URLs",
    "                           (the browser needs the hosts-file lines it prints and the emulator's CA)",
    "  --data-dir DIR           emulator state, certificates and the backend's database (default .data)",
    "  --latency realistic|none the emulator's response delays (default realistic)",
    "  --pane-origin URL        an extra origin the backend allows by CORS (JA_PANE_ORIGIN)",
  ],
  notes: [
    "The pane's URL is printed as `pane: https://localhost:<port>/`. Two stacks run side by side with",
    "different ports and data folders, e.g. npm start -- --pane-port 0 --backend-port 0 --emulator-port 0 --data-dir /tmp/ja2",
  ].join("\n"),
  options: {
    "pane-port": { type: "string" },
    "backend-port": { type: "string" },
    "emulator-port": { type: "string" },
    "data-dir": { type: "string" },
    latency: { type: "string" },
    "pane-origin": { type: "string" },
    "public-hosts": { type: "boolean" },
  },
});

/** Where `apply` and `status` sign in and what they reach: the same JA_* settings as `serve`. */
const TENANT_COMMAND_NOTES = [
  "Sign-in: app-only when JA_CLIENT_ID and JA_CLIENT_SECRET or JA_CLIENT_CERTIFICATE (a PEM file holding the",
  "certificate and its private key) are set; the app needs Exchange.ManageAsApp and an Exchange role (e.g.",
  "Exchange Administrator) on its service principal. Otherwise a person signs in by device code with the public",
  "client JA_CLIENT_ID (delegated Exchange.Manage); the code and the page to open are printed on stderr.",
  "JA_AUTHORITY_HOST, JA_EXCHANGE_URL, JA_EXCHANGE_RESOURCE, JA_CA_FILE (or NODE_EXTRA_CA_CERTS) as for serve.",
  "With --data-dir (or JA_DATA_DIR) naming the backend's data folder, the run is in the tenant's audit and progress.",
].join("\n");

export const APPLY_COMMAND = defineCommand({
  name: "apply",
  summary: "Reads the tenant, shows the plan, and applies it after confirmation (--yes in pipelines).",
  optionHelp: [
    "  --desired FILE           the setup you want (desired state v1, JSON; required)",
    "  --tenant ID|DOMAIN       the tenant: its id or a domain such as contoso.onmicrosoft.com (required)",
    "  --yes                    apply without asking (required when stdin is not a terminal)",
    "  --format FORMAT          text (default) or json (the plan and the run's outcome on stdout)",
    "  --data-dir DIR           the store for the run and its audit (JA_DATA_DIR; default: a temporary folder)",
  ],
  notes: [
    "Progress goes to stderr, one line per step. Exit code 0 when the tenant matches the setup (also when",
    "there was nothing to do), 1 when a step failed or the tenant could not be read, 2 for invalid input.",
    "Example: journaling-assistant apply --desired examples/us-everyone.json --tenant contoso.onmicrosoft.com --yes",
    "",
    TENANT_COMMAND_NOTES,
  ].join("\n"),
  options: {
    desired: { type: "string" },
    tenant: { type: "string" },
    yes: { type: "boolean" },
    format: { type: "string" },
    "data-dir": { type: "string" },
  },
});

export const STATUS_COMMAND = defineCommand({
  name: "status",
  summary: "Compares the tenant with the desired setup and reports journal-report delivery (nothing is changed).",
  optionHelp: [
    "  --desired FILE           the setup you expect (desired state v1, JSON; required)",
    "  --tenant ID|DOMAIN       the tenant: its id or a domain such as contoso.onmicrosoft.com (required)",
    "  --format FORMAT          text (default) or json",
    "  --data-dir DIR           where message-trace results are cached (JA_DATA_DIR; default: a temporary folder)",
  ],
  notes: [
    "Per resource OK, DRIFTED (which property, expected vs actual) or MISSING, then delivery over the last 24 h.",
    "Exit code 0 when healthy, 3 when something drifted, is missing or reports fail to arrive, 1 when the",
    "tenant could not be read, 2 for invalid input.",
    "Example: journaling-assistant status --desired examples/us-everyone.json --tenant contoso.onmicrosoft.com",
    "",
    TENANT_COMMAND_NOTES,
  ].join("\n"),
  options: {
    desired: { type: "string" },
    tenant: { type: "string" },
    format: { type: "string" },
    "data-dir": { type: "string" },
  },
});

export const COMMAND_SPECS = [
  PLAN_COMMAND,
  APPLY_COMMAND,
  STATUS_COMMAND,
  EMULATOR_COMMAND,
  SERVE_COMMAND,
  START_COMMAND,
] as const;
