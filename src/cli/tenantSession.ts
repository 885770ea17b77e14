import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TokenProvider } from "../server/auth/obo";
import { networkModule } from "../server/auth/obo";
import { buildConfig, ConfigError, type ServerConfig } from "../server/config";
import { EventBus } from "../server/executor/eventBus";
import { Executor } from "../server/executor/executor";
import { createExchangeRunnerFactory, type ExchangeRunnerFactory } from "../server/exchange/factory";
import { TenantLimiter } from "../server/exchange/limiter";
import type { ExchangeRunner } from "../server/exchange/runner";
import { createLogger, type LogLevel } from "../server/log";
import { createHttpClient } from "../server/net/httpClient";
import type { Principal } from "../server/auth/principal";
import { openDatabase } from "../server/store/db";
import { Store, type TenantStore } from "../server/store/tenantStore";
import { UsageError, type CliIO } from "./command";
import { credentialsFrom, signIn, SignInError } from "./signIn";

/**
 * What `apply` and `status` share: the backend's own configuration (the same JA_* settings as
 * `serve`), a sign-in, and the backend's runner, store and executor (one code path with the
 * backend's runs). The store is the backend's when --data-dir / JA_DATA_DIR names its folder (the
 * CLI's runs then show in the tenant's audit and progress), else a temporary one removed on close.
 */
export interface TenantSession {
  readonly principal: Principal;
  readonly config: ServerConfig;
  readonly runner: ExchangeRunner;
  readonly runners: ExchangeRunnerFactory;
  readonly store: Store;
  readonly tenant: TenantStore;
  readonly events: EventBus;
  readonly executor: Executor;
  close(): Promise<void>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** --tenant: a tenant id or one of its domains (Entra's authority takes either). */
export function tenantOption(value: string | undefined): string {
  if (value === undefined) throw new UsageError("--tenant ID|DOMAIN is required");
  if (!GUID.test(value) && !DOMAIN.test(value)) {
    throw new UsageError(
      `--tenant must be a tenant id (GUID) or a domain such as contoso.onmicrosoft.com, got '${value}'`,
    );
  }
  return value;
}

/**
 * The backend's configuration for a command-line run. serve requires a client secret for
 * on-behalf-of; the CLI may sign in without one (certificate, device code), so only the settings it
 * uses are checked here: URLs, CA file, limits. Invalid settings are a usage error (exit 2).
 */
export function cliConfig(env: NodeJS.ProcessEnv, dataDir: string): ServerConfig {
  try {
    // clientSecret is not used by the CLI (signIn reads the credentials); a placeholder satisfies the check.
    return buildConfig(env, { overrides: { clientSecret: env.JA_CLIENT_SECRET?.trim() || "-", dataDir } });
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(`${err.message}\nSee the README's configuration table.`);
    throw err;
  }
}

export async function openTenantSession(options: {
  readonly env: NodeJS.ProcessEnv;
  readonly tenant: string;
  readonly dataDir: string | undefined;
  readonly io: CliIO;
}): Promise<TenantSession> {
  const { env, io } = options;
  const credentials = credentialsFrom(env);
  const givenDir = options.dataDir ?? (env.JA_DATA_DIR?.trim() || undefined);
  const dataDir = givenDir ?? mkdtempSync(join(tmpdir(), "journaling-assistant-"));
  const removeDir = (): void => {
    if (givenDir === undefined) rmSync(dataDir, { recursive: true, force: true });
  };
  let config: ServerConfig;
  try {
    config = cliConfig({ ...env, JA_CLIENT_ID: credentials.clientId }, dataDir);
  } catch (err) {
    removeDir();
    throw err;
  }
  // The executor's own log lines (run started/finished) would mix with the output; warnings and errors go to stderr.
  const level: LogLevel = config.logLevel === "info" ? "warn" : config.logLevel;
  const log = createLogger(level, (line) => io.stderr(`${line}\n`));
  const http = createHttpClient({ extraCaPem: config.caPem });
  let store: Store | undefined;
  try {
    const session = await signIn(credentials, options.tenant, {
      authorityHost: config.authorityHost,
      knownAuthorities: config.knownAuthorities,
      exchangeResource: config.exchangeResource,
      network: networkModule(http),
      tell: io.stderr,
    });
    const tokens: TokenProvider = { tokenFor: () => session.exchangeToken() };
    const runners = createExchangeRunnerFactory({
      // The REST transport: it carries the app-only anchor mailbox; pwsh signs in as a user only.
      config: { ...config, exchangeTransport: "rest" },
      send: http.send,
      tokens,
      limiter: new TenantLimiter(config.exchangeConcurrencyPerTenant),
    });
    store = new Store(openDatabase(dataDir));
    const events = new EventBus();
    const executor = new Executor({ store, runners, events, log, parallelism: config.runParallelism });
    const opened = store;
    return {
      principal: session.principal,
      config,
      runner: runners.forPrincipal(session.principal),
      runners,
      store: opened,
      tenant: opened.forTenant(session.principal.tenantId),
      events,
      executor,
      async close() {
        await executor.shutdown(5_000);
        await opened.close();
        http.close();
        removeDir();
      },
    };
  } catch (err) {
    await store?.close();
    http.close();
    removeDir();
    throw err;
  }
}

/**
 * Signs in, runs `work` with the session and closes it: `apply` and `status` alike. A failed sign-in
 * is exit code 1 with "<command>: could not sign in to <tenant>: <why>".
 */
export async function withTenantSession(
  command: string,
  options: Parameters<typeof openTenantSession>[0],
  work: (session: TenantSession) => Promise<number>,
): Promise<number> {
  let session: TenantSession;
  try {
    session = await openTenantSession(options);
  } catch (err) {
    if (err instanceof SignInError) {
      options.io.stderr(`${command}: could not sign in to ${options.tenant}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}
