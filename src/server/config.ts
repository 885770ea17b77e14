import { readFileSync } from "node:fs";
import { z } from "zod";
import { formatPath, type FieldError } from "../core/errors";
import type { PaneRuntimeConfig } from "./pane/site";
import { DEFAULT_STREAM_LIMITS } from "./http/streamLimits";
import { checkDatabaseUrl } from "./store/databaseUrl";

/**
 * The backend's configuration: named defaults that point at the real Microsoft 365 services,
 * overridden by an optional JSON file, then by `JA_*` environment variables, then by command-line
 * flags. The demo and the tests point the URLs at the emulator; nothing else differs.
 */
export const DEFAULTS = {
  port: 3001,
  host: "127.0.0.1",
  authorityHost: "https://login.microsoftonline.com",
  exchangeUrl: "https://outlook.office365.com",
  exchangeResource: "https://outlook.office365.com",
  graphUrl: "https://graph.microsoft.com",
  graphResource: "https://graph.microsoft.com",
  apiScope: "access_as_user",
  dataDir: ".data/backend",
  exchangeTransport: "rest",
  /**
   * Exchange calls in flight per tenant: the RPS-era limit was 9 per tenant (reference §5); a
   * status needs 5 reads + one per regional group + the message trace, all at once.
   */
  exchangeConcurrencyPerTenant: 9,
  /** Actions of one run executing at the same time. */
  runParallelism: 4,
  /** Message trace results are reused for this long (the service allows 100 queries / 5 min / tenant). */
  messageTraceTtlSeconds: 120,
  /** How long a Get- keeps retrying "not found" for an object this run just created. */
  replicationWaitSeconds: 120,
  maxBodyBytes: 1024 * 1024,
  logLevel: "info",
  /**
   * The pane signs in through this tenant segment of the authority when more than one tenant (or any)
   * may use the backend; with exactly one allowed tenant, its id (a single-tenant app registration
   * refuses /organizations with AADSTS50194).
   */
  paneAuthorityTenant: "organizations",
  /** The monitor (issue 14): watched tenants checked at once, across tenants. */
  monitorConcurrency: 8,
  /**
   * Retention in days (issue 16 §3). Audit: 400 as the issue fixes it (a year and a month: one
   * year's review plus time to run it). Runs (with their actions and events) keep the audit's 400:
   * they are the audit's context (which plan, which step), and each tenant's last setup run is kept
   * anyway. Mail-flow tests and resolved alerts: the same, one rule for the whole record of a tenant.
   */
  retentionRunsDays: 400,
  retentionAuditDays: 400,
  retentionMailflowTestsDays: 400,
  retentionAlertsDays: 400,
} as const;

/** Hosts of Microsoft's own clouds: MSAL knows them; any other authority host must be declared. */
const MICROSOFT_AUTHORITY_HOSTS = [
  "login.microsoftonline.com",
  "login.microsoftonline.us",
  "login.partner.microsoftonline.cn",
  "login.microsoftonline.de",
];

const httpsUrl = z
  .string()
  .url({ error: "must be an absolute URL" })
  .refine((v) => v.startsWith("https://"), { error: "must be an https:// URL (tokens travel over it)" })
  .transform((v) => v.replace(/\/+$/, ""));

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const fileSchema = z.strictObject({
  port: z.number().int().min(0).max(65535).optional(),
  host: z.string().min(1).optional(),
  clientId: z.string().optional(),
  clientSecret: z.string().optional(),
  clientCertificate: z.string().optional(),
  authorityHost: z.string().optional(),
  exchangeUrl: z.string().optional(),
  exchangeResource: z.string().optional(),
  graphUrl: z.string().optional(),
  graphResource: z.string().optional(),
  apiScope: z.string().optional(),
  apiAudience: z.string().optional(),
  allowedTenants: z.array(z.string()).optional(),
  anyTenant: z.boolean().optional(),
  allowedClientApps: z.array(z.string()).optional(),
  paneOrigin: z.string().optional(),
  paneDist: z.string().optional(),
  paneClientId: z.string().optional(),
  dataDir: z.string().optional(),
  caFile: z.string().optional(),
  tlsCertFile: z.string().optional(),
  tlsKeyFile: z.string().optional(),
  exchangeTransport: z.enum(["rest", "pwsh"]).optional(),
  exchangeConcurrencyPerTenant: z.number().int().optional(),
  runParallelism: z.number().int().optional(),
  messageTraceTtlSeconds: z.number().optional(),
  replicationWaitSeconds: z.number().optional(),
  logLevel: z.enum(["debug", "info", "warn", "error"]).optional(),
  exchangeQueuePerTenant: z.number().int().optional(),
  rateLimitPerUser: z.number().int().optional(),
  rateLimitPerTenant: z.number().int().optional(),
  streamsPerUser: z.number().int().optional(),
  streamsPerTenant: z.number().int().optional(),
  streamsMax: z.number().int().optional(),
  streamMaxSeconds: z.number().int().optional(),
  runLeaseSeconds: z.number().int().optional(),
  monitor: z.boolean().optional(),
  monitorConcurrency: z.number().int().optional(),
  teamsAppId: z.string().optional(),
  databaseUrl: z.string().optional(),
  retentionRunsDays: z.number().int().optional(),
  retentionAuditDays: z.number().int().optional(),
  retentionMailflowTestsDays: z.number().int().optional(),
  retentionAlertsDays: z.number().int().optional(),
});
export type ConfigFile = z.infer<typeof fileSchema>;

/** Days kept: a whole number, at least one (up to a century, past which it means "forever"). */
const retentionDays = z.coerce
  .number({ error: "must be a number of days" })
  .int({ error: "must be a whole number of days" })
  .min(1, { error: "must be at least 1 day" })
  .max(36_500, { error: "must be at most 36500 days" });

const configSchema = z.strictObject({
  port: z.coerce.number({ error: "must be a port number" }).int().min(0).max(65535),
  host: z.string().min(1),
  clientId: z
    .string({ error: "is required: the backend app registration's client id" })
    .regex(guid, { error: "must be the app registration's client id (a GUID)" }),
  clientSecret: z
    .string({ error: "is required: a client secret of the backend app registration" })
    .min(1, { error: "must not be empty" }),
  /**
   * A PEM file with the app's certificate and private key: the monitor's app-only sign-in uses it
   * instead of the secret (a certificate credential, as for the CLI's app-only mode).
   */
  clientCertificate: z.string().min(1).nullable(),
  authorityHost: httpsUrl,
  exchangeUrl: httpsUrl,
  exchangeResource: httpsUrl,
  graphUrl: httpsUrl,
  graphResource: httpsUrl,
  apiScope: z.string().regex(/^[A-Za-z0-9_.-]+$/, { error: "must be a scope name such as access_as_user" }),
  apiAudience: z.string().min(1),
  allowedTenants: z
    .array(
      z
        .string()
        .regex(guid, { error: "must be a tenant id (GUID)" })
        .refine((t) => t.toLowerCase() !== PERSONAL_ACCOUNTS_TENANT, {
          error: "is the Microsoft personal-accounts tenant, which has no Exchange Online to set up",
        }),
    )
    .nullable()
    .transform((v) => (v === null ? null : v.map((t) => t.toLowerCase()))),
  /** Serve any organisation's admins (multi-tenant hosting): the explicit alternative to allowedTenants. */
  anyTenant: z.preprocess(
    (v) => (typeof v === "string" ? ["true", "1", "on", "yes"].includes(v.toLowerCase()) : v),
    z.boolean({ error: "must be true or false" }),
  ),
  /** Client apps (the token's `azp`) allowed to call the API; null = any app the tenant consented to. */
  allowedClientApps: z
    .array(z.string().regex(guid, { error: "must be an application (client) id (GUID)" }))
    .nullable()
    .transform((v) => (v === null ? null : v.map((t) => t.toLowerCase()))),
  paneOrigin: z
    .string()
    .url({ error: "must be an origin such as https://localhost:3000" })
    .transform((v) => new URL(v).origin)
    .nullable(),
  paneDist: z.string().min(1).nullable(),
  paneClientId: z.string().regex(guid, { error: "must be the pane's app registration client id (a GUID)" }).nullable(),
  dataDir: z.string().min(1),
  caFile: z.string().min(1).nullable(),
  tlsCertFile: z.string().min(1).nullable(),
  tlsKeyFile: z.string().min(1).nullable(),
  exchangeTransport: z.enum(["rest", "pwsh"], { error: "must be rest or pwsh" }),
  exchangeConcurrencyPerTenant: z.coerce.number().int().min(1).max(32),
  runParallelism: z.coerce.number().int().min(1).max(32),
  messageTraceTtlSeconds: z.coerce.number().min(3).max(3600),
  replicationWaitSeconds: z.coerce.number().min(0).max(3600),
  maxBodyBytes: z.coerce.number().int().min(1024),
  logLevel: z.enum(["debug", "info", "warn", "error"], { error: "must be debug, info, warn or error" }),
  /** API requests reading a tenant's Exchange under way at once (503 with Retry-After beyond). */
  exchangeQueuePerTenant: z.coerce.number().int().min(1).max(10_000),
  /** API requests per minute per user and per tenant (429 with Retry-After beyond). */
  rateLimitPerUser: z.coerce.number().int().min(1).max(1_000_000),
  rateLimitPerTenant: z.coerce.number().int().min(1).max(10_000_000),
  /** Open run event streams: per user, per tenant, in all, and how long one stays open (abuse limits). */
  streamsPerUser: z.coerce.number().int().min(1).max(1000),
  streamsPerTenant: z.coerce.number().int().min(1).max(100_000),
  streamsMax: z.coerce.number().int().min(1).max(1_000_000),
  streamMaxSeconds: z.coerce.number().int().min(5).max(86_400),
  /**
   * How long a run's lease lasts when instances share PostgreSQL: an instance that dies holds its runs
   * this long before another takes them over (renewed every third of it while the run executes).
   */
  runLeaseSeconds: z.coerce.number().int().min(2).max(3600),
  /** Runs the monitor's scheduler in this process (JA_MONITOR, on by default; off on extra read-only instances). */
  monitor: z.preprocess(
    (v) => (typeof v === "string" ? !["false", "0", "off", "no"].includes(v.toLowerCase()) : v),
    z.boolean({ error: "must be true or false" }),
  ),
  monitorConcurrency: z.coerce.number().int().min(1).max(256),
  /** The Teams app id (manifest "id"): activity notifications' deep links open its tab. */
  teamsAppId: z.string().regex(guid, { error: "must be the Teams app id (manifest id, a GUID)" }).nullable(),
  /** PostgreSQL shared by several instances; null: the SQLite file in dataDir. Never echoed in errors. */
  databaseUrl: z
    .string()
    .nullable()
    .superRefine((v, ctx) => {
      const problem = v === null ? undefined : checkDatabaseUrl(v);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  retentionRunsDays: retentionDays,
  retentionAuditDays: retentionDays,
  retentionMailflowTestsDays: retentionDays,
  retentionAlertsDays: retentionDays,
});

export type ServerConfig = z.output<typeof configSchema> & {
  /** Set when the authority host is not one of Microsoft's: MSAL must be told to trust it. */
  readonly knownAuthorities: readonly string[];
  /** Extra CA certificate (PEM) read from caFile, trusted for outgoing https. */
  readonly caPem: string | null;
  /** Set when the pane is served from this process (paneDist): where its build is and its /config.json. */
  readonly pane: PaneServing | null;
};

export interface PaneServing {
  /** The webpack output (dist/pane). */
  readonly distDir: string;
  /** What /config.json answers: the same Entra app and endpoints as the backend, the API on the pane's origin. */
  readonly runtime: PaneRuntimeConfig;
}

/**
 * The tenant of Microsoft personal accounts (outlook.com, hotmail.com): never a customer organisation
 * (Microsoft identity platform, "id token claims reference", tid).
 */
export const PERSONAL_ACCOUNTS_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";

/**
 * `serve` states whom it serves: the organisations in allowedTenants, or explicitly any (anyTenant),
 * so a deployment never answers every tenant's admins by omission.
 */
export function requireTenantScope(cfg: Pick<ServerConfig, "allowedTenants" | "anyTenant">): void {
  if (cfg.allowedTenants !== null && cfg.allowedTenants.length > 0) return;
  if (cfg.anyTenant) return;
  throw new ConfigError([
    {
      path: "allowedTenants (JA_ALLOWED_TENANTS)",
      message:
        "is required: list the tenant ids this backend serves, or set anyTenant (JA_ANY_TENANT=true, serve --any-tenant) to serve any organisation",
    },
  ]);
}

export class ConfigError extends Error {
  readonly code = "invalid_config";
  constructor(readonly errors: readonly FieldError[]) {
    super(`invalid backend configuration:\n${errors.map((e) => `  ${e.path}: ${e.message}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Environment variable for each setting (one prefix, JA_). */
export const ENV_NAMES = {
  port: "JA_PORT",
  host: "JA_HOST",
  clientId: "JA_CLIENT_ID",
  clientSecret: "JA_CLIENT_SECRET",
  clientCertificate: "JA_CLIENT_CERTIFICATE",
  authorityHost: "JA_AUTHORITY_HOST",
  exchangeUrl: "JA_EXCHANGE_URL",
  exchangeResource: "JA_EXCHANGE_RESOURCE",
  graphUrl: "JA_GRAPH_URL",
  graphResource: "JA_GRAPH_RESOURCE",
  apiScope: "JA_API_SCOPE",
  apiAudience: "JA_API_AUDIENCE",
  allowedTenants: "JA_ALLOWED_TENANTS",
  anyTenant: "JA_ANY_TENANT",
  allowedClientApps: "JA_ALLOWED_CLIENT_APPS",
  paneOrigin: "JA_PANE_ORIGIN",
  paneDist: "JA_PANE_DIST",
  paneClientId: "JA_PANE_CLIENT_ID",
  dataDir: "JA_DATA_DIR",
  caFile: "JA_CA_FILE",
  tlsCertFile: "JA_TLS_CERT_FILE",
  tlsKeyFile: "JA_TLS_KEY_FILE",
  exchangeTransport: "JA_EXCHANGE_TRANSPORT",
  exchangeConcurrencyPerTenant: "JA_EXCHANGE_CONCURRENCY",
  runParallelism: "JA_RUN_PARALLELISM",
  messageTraceTtlSeconds: "JA_MESSAGE_TRACE_TTL_SECONDS",
  replicationWaitSeconds: "JA_REPLICATION_WAIT_SECONDS",
  logLevel: "JA_LOG_LEVEL",
  exchangeQueuePerTenant: "JA_EXCHANGE_QUEUE_PER_TENANT",
  rateLimitPerUser: "JA_RATE_LIMIT_PER_USER",
  rateLimitPerTenant: "JA_RATE_LIMIT_PER_TENANT",
  streamsPerUser: "JA_STREAMS_PER_USER",
  streamsPerTenant: "JA_STREAMS_PER_TENANT",
  streamsMax: "JA_STREAMS_MAX",
  streamMaxSeconds: "JA_STREAM_MAX_SECONDS",
  runLeaseSeconds: "JA_RUN_LEASE_SECONDS",
  monitor: "JA_MONITOR",
  monitorConcurrency: "JA_MONITOR_CONCURRENCY",
  teamsAppId: "JA_TEAMS_APP_ID",
  databaseUrl: "JA_DATABASE_URL",
  retentionRunsDays: "JA_RETENTION_RUNS_DAYS",
  retentionAuditDays: "JA_RETENTION_AUDIT_DAYS",
  retentionMailflowTestsDays: "JA_RETENTION_MAILFLOW_TESTS_DAYS",
  retentionAlertsDays: "JA_RETENTION_ALERTS_DAYS",
} as const satisfies Partial<Record<keyof ConfigFile, string>>;

export interface BuildConfigOptions {
  /** Settings from a JSON config file (see loadConfigFile). */
  readonly file?: ConfigFile;
  /** Command-line overrides (highest precedence). */
  readonly overrides?: Partial<ConfigFile>;
  /** Reads caFile; injectable for tests. */
  readonly readFile?: (path: string) => string;
}

/** Reads and checks a JSON config file; its keys are the camelCase setting names. */
export function loadConfigFile(
  path: string,
  readFile: (p: string) => string = (p) => readFileSync(p, "utf8"),
): ConfigFile {
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    throw new ConfigError([
      { path: "--config", message: `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? "error"})` },
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError([{ path: "--config", message: `${path} is not valid JSON` }]);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ path: `${path}: ${formatPath(i.path)}`, message: i.message })),
    );
  }
  return parsed.data;
}

function envValue(env: NodeJS.ProcessEnv, key: keyof typeof ENV_NAMES): string | undefined {
  const v = env[ENV_NAMES[key]];
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}

/** Builds the configuration: defaults < file < environment < overrides. Throws ConfigError listing every problem. */
export function buildConfig(env: NodeJS.ProcessEnv, options: BuildConfigOptions = {}): ServerConfig {
  const file = options.file ?? {};
  const over = options.overrides ?? {};
  const pick = <K extends keyof typeof ENV_NAMES>(key: K): unknown => over[key] ?? envValue(env, key) ?? file[key];
  const tenantsEnv = envValue(env, "allowedTenants");
  const allowedTenants =
    over.allowedTenants ??
    (tenantsEnv !== undefined ? tenantsEnv.split(/[\s,]+/).filter((t) => t !== "") : undefined) ??
    file.allowedTenants ??
    null;
  const appsEnv = envValue(env, "allowedClientApps");
  const allowedClientApps =
    over.allowedClientApps ??
    (appsEnv !== undefined ? appsEnv.split(/[\s,]+/).filter((t) => t !== "") : undefined) ??
    file.allowedClientApps ??
    null;
  const clientId = pick("clientId");
  const raw = {
    port: pick("port") ?? DEFAULTS.port,
    host: pick("host") ?? DEFAULTS.host,
    clientId,
    clientSecret: pick("clientSecret"),
    clientCertificate: pick("clientCertificate") ?? null,
    authorityHost: pick("authorityHost") ?? DEFAULTS.authorityHost,
    exchangeUrl: pick("exchangeUrl") ?? DEFAULTS.exchangeUrl,
    exchangeResource: pick("exchangeResource") ?? DEFAULTS.exchangeResource,
    graphUrl: pick("graphUrl") ?? DEFAULTS.graphUrl,
    graphResource: pick("graphResource") ?? DEFAULTS.graphResource,
    apiScope: pick("apiScope") ?? DEFAULTS.apiScope,
    apiAudience: pick("apiAudience") ?? (typeof clientId === "string" ? `api://${clientId}` : "api://"),
    allowedTenants,
    anyTenant: pick("anyTenant") ?? false,
    allowedClientApps,
    paneOrigin: pick("paneOrigin") ?? null,
    paneDist: pick("paneDist") ?? null,
    paneClientId: pick("paneClientId") ?? null,
    dataDir: pick("dataDir") ?? DEFAULTS.dataDir,
    caFile: pick("caFile") ?? null,
    tlsCertFile: pick("tlsCertFile") ?? null,
    tlsKeyFile: pick("tlsKeyFile") ?? null,
    exchangeTransport: pick("exchangeTransport") ?? DEFAULTS.exchangeTransport,
    exchangeConcurrencyPerTenant: pick("exchangeConcurrencyPerTenant") ?? DEFAULTS.exchangeConcurrencyPerTenant,
    runParallelism: pick("runParallelism") ?? DEFAULTS.runParallelism,
    messageTraceTtlSeconds: pick("messageTraceTtlSeconds") ?? DEFAULTS.messageTraceTtlSeconds,
    replicationWaitSeconds: pick("replicationWaitSeconds") ?? DEFAULTS.replicationWaitSeconds,
    maxBodyBytes: DEFAULTS.maxBodyBytes,
    logLevel: pick("logLevel") ?? DEFAULTS.logLevel,
    // A pane makes a few dozen requests a minute; a status refresh ~10. Generous for people, not for loops.
    // Status shares one read per tenant (single-flight); plans and runs each read the tenant.
    exchangeQueuePerTenant: pick("exchangeQueuePerTenant") ?? 50,
    rateLimitPerUser: pick("rateLimitPerUser") ?? 600,
    rateLimitPerTenant: pick("rateLimitPerTenant") ?? 6000,
    streamsPerUser: pick("streamsPerUser") ?? DEFAULT_STREAM_LIMITS.perUser,
    streamsPerTenant: pick("streamsPerTenant") ?? DEFAULT_STREAM_LIMITS.perTenant,
    streamsMax: pick("streamsMax") ?? DEFAULT_STREAM_LIMITS.total,
    streamMaxSeconds: pick("streamMaxSeconds") ?? DEFAULT_STREAM_LIMITS.maxSeconds,
    runLeaseSeconds: pick("runLeaseSeconds") ?? 30,
    monitor: pick("monitor") ?? true,
    monitorConcurrency: pick("monitorConcurrency") ?? DEFAULTS.monitorConcurrency,
    teamsAppId: pick("teamsAppId") ?? null,
    databaseUrl: pick("databaseUrl") ?? null,
    retentionRunsDays: pick("retentionRunsDays") ?? DEFAULTS.retentionRunsDays,
    retentionAuditDays: pick("retentionAuditDays") ?? DEFAULTS.retentionAuditDays,
    retentionMailflowTestsDays: pick("retentionMailflowTestsDays") ?? DEFAULTS.retentionMailflowTestsDays,
    retentionAlertsDays: pick("retentionAlertsDays") ?? DEFAULTS.retentionAlertsDays,
  };
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const key = String(i.path[0] ?? "");
        const envName = (ENV_NAMES as Record<string, string>)[key];
        return { path: envName ? `${key} (${envName})` : formatPath(i.path), message: i.message };
      }),
    );
  }
  const cfg = parsed.data;
  const errors: FieldError[] = [];
  if ((cfg.tlsCertFile === null) !== (cfg.tlsKeyFile === null)) {
    errors.push({ path: "tlsCertFile/tlsKeyFile (JA_TLS_CERT_FILE/JA_TLS_KEY_FILE)", message: "give both or neither" });
  }
  let caPem: string | null = null;
  if (cfg.caFile !== null) {
    try {
      caPem = (options.readFile ?? ((p: string) => readFileSync(p, "utf8")))(cfg.caFile);
      if (!caPem.includes("BEGIN CERTIFICATE"))
        errors.push({ path: "caFile (JA_CA_FILE)", message: "is not a PEM certificate" });
    } catch {
      errors.push({ path: "caFile (JA_CA_FILE)", message: `cannot read ${cfg.caFile}` });
    }
  }
  if (cfg.paneDist !== null && !cfg.paneOrigin?.startsWith("https://")) {
    errors.push({
      path: "paneOrigin (JA_PANE_ORIGIN)",
      message:
        cfg.paneOrigin === null
          ? "is required when the pane is served (JA_PANE_DIST): the public https:// origin users open, e.g. https://journaling.contoso.example"
          : "must be https:// when the pane is served (JA_PANE_DIST): Teams and Outlook load only https pages",
    });
  }
  if (errors.length) throw new ConfigError(errors);
  const authorityHostname = new URL(cfg.authorityHost).host;
  const knownAuthorities = MICROSOFT_AUTHORITY_HOSTS.includes(authorityHostname.toLowerCase())
    ? []
    : [authorityHostname];
  const pane: PaneServing | null =
    cfg.paneDist === null || cfg.paneOrigin === null
      ? null
      : {
          distDir: cfg.paneDist,
          runtime: {
            authority: `${cfg.authorityHost}/${cfg.allowedTenants?.length === 1 ? cfg.allowedTenants[0] : DEFAULTS.paneAuthorityTenant}`,
            // Production uses one Entra app: the pane's client is the API's own registration.
            clientId: cfg.paneClientId ?? cfg.clientId,
            knownAuthorities,
            graphBaseUrl: cfg.graphUrl,
            // The API is served on the pane's own origin (no CORS, no proxy hop).
            backendUrl: cfg.paneOrigin,
            apiScope: `${cfg.apiAudience.replace(/\/+$/, "")}/${cfg.apiScope}`,
          },
        };
  return { ...cfg, knownAuthorities, caPem, pane };
}

/** The audiences a token for this API may carry: the client id (v2 tokens) and the App ID URI (v1). */
export function acceptedAudiences(cfg: Pick<ServerConfig, "clientId" | "apiAudience">): string[] {
  return [...new Set([cfg.clientId, cfg.apiAudience])];
}
