import http from "node:http";
import https from "node:https";
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { canChange } from "./auth/principal";
import { createOboTokenProvider, type TokenProvider } from "./auth/obo";
import { createTokenValidator, type TokenValidator } from "./auth/tokens";
import type { ServerConfig } from "./config";
import { ConnectorValidator } from "./connector/validation";
import { EventBus } from "./executor/eventBus";
import { Executor } from "./executor/executor";
import { createExchangeRunnerFactory, type ExchangeRunnerFactory } from "./exchange/factory";
import { TenantLimiter } from "./exchange/limiter";
import type { RetryClock, RetryPolicy } from "./exchange/retryingRunner";
import { createPipeline } from "./http/pipeline";
import { buildRouter } from "./http/routes";
import { createLogger, type Logger } from "./log";
import { createHttpClient } from "./net/httpClient";
import { MessageTraceCache } from "./status/messageTrace";
import { StatusService } from "./status/status";
import { openDatabase } from "./store/db";
import { Store } from "./store/tenantStore";
import { createGraphRelay } from "./tenant/graphRelay";
import { createTenantDirectoryInfo } from "./tenant/tenantInfo";

/**
 * Wires the backend together and starts listening. Production and tests build it the same way;
 * tests and benchmarks only point the URLs at the emulator and may shorten retry waits.
 */
export interface BackendOptions {
  readonly log?: Logger;
  /** Overrides of the retry policy (benchmarks/tests shorten the replication poll). */
  readonly retryPolicy?: Partial<RetryPolicy>;
  readonly retryClock?: RetryClock;
  /** Longest wait for runs to reach a safe point on shutdown. */
  readonly shutdownTimeoutMs?: number;
  /**
   * Answers every request outside /api on the same origin: the pane (createPaneRequestHandler in
   * src/taskpane/server/paneServer.ts) when `serve` is given a pane build. Without it those paths are 404.
   */
  readonly site?: (req: IncomingMessage, res: ServerResponse) => void;
}

const API_PATH = /^\/api(\/|\?|$)/;
const HSTS = "max-age=31536000; includeSubDomains";

export interface RunningBackend {
  readonly url: string;
  readonly port: number;
  readonly store: Store;
  readonly executor: Executor;
  /** Waits until background runs and validations started so far have stopped (tests, benchmarks). */
  idle(): Promise<void>;
  /** Graceful shutdown: stop accepting, let runs reach a safe point, close the database. */
  close(): Promise<void>;
}

export async function startBackend(config: ServerConfig, options: BackendOptions = {}): Promise<RunningBackend> {
  const log = options.log ?? createLogger(config.logLevel);
  const client = createHttpClient({ extraCaPem: config.caPem });
  const store = new Store(openDatabase(config.dataDir));
  const validator: TokenValidator = createTokenValidator(config, client);
  const tokens: TokenProvider = createOboTokenProvider(config, client, log);
  const runners: ExchangeRunnerFactory = createExchangeRunnerFactory({
    config,
    send: client.send,
    tokens,
    limiter: new TenantLimiter(config.exchangeConcurrencyPerTenant),
    ...(options.retryPolicy ? { policy: options.retryPolicy } : {}),
    ...(options.retryClock ? { clock: options.retryClock } : {}),
  });
  const events = new EventBus();
  const executor = new Executor({ store, runners, events, log, parallelism: config.runParallelism });
  const traces = new MessageTraceCache(config.messageTraceTtlSeconds * 1000);
  const status = new StatusService(store, runners, traces);
  const connectorValidator = new ConnectorValidator(store, runners, log);
  const streams = new Set<ServerResponse>();
  const router = buildRouter({
    store,
    executor,
    events,
    status,
    validator: connectorValidator,
    tenantInfo: createTenantDirectoryInfo(config.graphUrl, client.send, tokens, log),
    graphRelay: createGraphRelay(config.graphUrl, client.send, tokens),
    streams,
  });
  let accepting = true;
  const useTls = config.tlsCertFile !== null && config.tlsKeyFile !== null;
  const api = createPipeline({
    router,
    validator,
    log,
    paneOrigin: config.paneOrigin,
    maxBodyBytes: config.maxBodyBytes,
    https: useTls,
    accepting: () => accepting,
    onAuthenticated: (principal) => {
      connectorValidator.recoverInterrupted(principal.tenantId);
      executor.resumeIfNeeded(principal, canChange(principal));
    },
  });
  const site = options.site;
  const handler = site
    ? (req: IncomingMessage, res: ServerResponse): void => {
        if (API_PATH.test(req.url ?? "")) return api(req, res);
        if (useTls) res.setHeader("strict-transport-security", HSTS);
        site(req, res);
      }
    : api;
  const server =
    useTls && config.tlsCertFile !== null && config.tlsKeyFile !== null
      ? https.createServer({ cert: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile) }, handler)
      : http.createServer(handler);
  server.headersTimeout = 30_000;
  server.requestTimeout = 5 * 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host === "0.0.0.0" || config.host === "127.0.0.1" ? "localhost" : config.host;
  const url = `${useTls ? "https" : "http"}://${host}:${port}`;
  log.info("backend listening", { url });

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    store,
    executor,
    idle: async () => {
      await executor.idle();
      await connectorValidator.idle();
    },
    close: () => {
      closing ??= (async () => {
        accepting = false;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await executor.shutdown(options.shutdownTimeoutMs ?? 20_000);
        await Promise.race([connectorValidator.idle(), new Promise((r) => setTimeout(r, 2_000).unref())]);
        for (const res of streams) res.end();
        server.closeAllConnections();
        await closed;
        store.close();
        client.close();
        log.info("backend stopped");
      })();
      return closing;
    },
  };
}
