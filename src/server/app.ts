import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Fastify, { type FastifyInstance } from "fastify";
import { createAccessService, type AccessService } from "./auth/access";
import { createGraphDirectoryRoles } from "./auth/directoryRoles";
import { canChange } from "./auth/principal";
import { createOboTokenProvider, type TokenProvider } from "./auth/obo";
import { createTokenValidator, type TokenValidator } from "./auth/tokens";
import type { ServerConfig } from "./config";
import { ConnectorValidator } from "./connector/validation";
import { EventBus } from "./executor/eventBus";
import { SINGLE_INSTANCE, shareOf, startPostgresPresence } from "./cluster/presence";
import { LOCAL_ONLY_RELAY, startPostgresRelay } from "./executor/eventRelay";
import { Executor } from "./executor/executor";
import { createExchangeRunnerFactory, type ExchangeRunnerFactory } from "./exchange/factory";
import { TenantLimiter } from "./exchange/limiter";
import type { RetryClock, RetryPolicy } from "./exchange/retryingRunner";
import { requestIdOf, usePipeline, type PipelineOptions } from "./http/pipeline";
import { registerRoutes, type RouteDeps } from "./http/routes";
import { MAX_PARAM_LENGTH, routeMalformedPath } from "./http/urls";
import { createLogger, type Logger } from "./log";
import { createMonitor } from "./monitor/wire";
import { createMailflow } from "./mailflow/wire";
import type { MailFlowTestOptions } from "./mailflow/mailflowTest";
import { createHttpClient, type ConnectTo } from "./net/httpClient";
import type { PaneRequestHandler } from "./pane/site";
import { MessageTraceCache } from "./status/messageTrace";
import { createGraphTraceSource } from "./status/graphTrace";
import { SharedFlight } from "./status/sharedFlight";
import { StatusService } from "./status/status";
import type { ObservedRead } from "./tenant/observe";
import { openStore } from "./store/openStore";
import { startRetentionJob } from "./store/retention";
import type { Store } from "./store/tenantStore";
import { createGraphRelay } from "./tenant/graphRelay";
import { createTenantDirectoryInfo } from "./tenant/tenantInfo";
import { StreamLimits } from "./http/streamLimits";

/**
 * Wires the backend together and starts listening. Production and tests build it the same way;
 * tests and benchmarks only point the URLs at the emulator and may shorten retry waits.
 */
export interface BackendOptions {
  readonly log?: Logger;
  /** Development only: where outgoing connections go instead of DNS (the stack's public-hosts emulator). */
  readonly connectTo?: ConnectTo;
  /** Overrides of the retry policy (benchmarks/tests shorten the replication poll). */
  readonly retryPolicy?: Partial<RetryPolicy>;
  readonly retryClock?: RetryClock;
  /** Longest wait for runs to reach a safe point on shutdown. */
  readonly shutdownTimeoutMs?: number;
  /**
   * Answers every request outside /api on the same origin: the pane (a Fastify plugin from
   * createPaneRequestHandler in ./pane/site.ts) when `serve` is given a pane build. Without it
   * those paths are the API's 404.
   */
  readonly site?: PaneRequestHandler;
  /** Tests shorten the mail-flow test's trace polling and time-outs (issue 15). */
  readonly mailflowTest?: Partial<MailFlowTestOptions>;
}

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

/**
 * Message trace queries per tenant in 5 minutes, for all instances together: Microsoft allows 100
 * (reference: Get-MessageTraceV2 throttling); 80 leaves room for the admin's own searches.
 */
const TRACE_QUERIES_PER_5_MIN = 80;
/** A status read shared across instances is claimed this long: longer than a read takes. */
const STATUS_READ_LEASE_MS = 30_000;

export async function startBackend(config: ServerConfig, options: BackendOptions = {}): Promise<RunningBackend> {
  const log = options.log ?? createLogger(config.logLevel);
  // SQLite in dataDir, or PostgreSQL with databaseUrl; opened (and migrated) first, so a database
  // that cannot be reached stops the start before anything else is set up.
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const client = createHttpClient({
    extraCaPem: config.caPem,
    ...(options.connectTo ? { connectTo: options.connectTo } : {}),
  });
  // Instances sharing PostgreSQL: who is live (per-tenant limits are shared), run leases, run events
  // relayed to the others' event streams, and status reads shared across them.
  const instanceId = randomUUID();
  const shared = store.dialect === "postgres" && config.databaseUrl ? config.databaseUrl : null;
  const presence = shared ? await startPostgresPresence({ url: shared, instanceId, log }) : SINGLE_INSTANCE;
  const limiter = new TenantLimiter(() => shareOf(config.exchangeConcurrencyPerTenant, presence));
  const validator: TokenValidator = createTokenValidator(config, client);
  const tokens: TokenProvider = createOboTokenProvider(config, client, log);
  const runners: ExchangeRunnerFactory = createExchangeRunnerFactory({
    config,
    send: client.send,
    tokens,
    limiter,
    ...(options.retryPolicy ? { policy: options.retryPolicy } : {}),
    ...(options.retryClock ? { clock: options.retryClock } : {}),
  });
  const access: AccessService = createAccessService({
    roles: createGraphDirectoryRoles(config.graphUrl, client.send, tokens, log),
    runners,
    log,
  });
  const events = new EventBus();
  const relay = shared
    ? await startPostgresRelay({ url: shared, instanceId, bus: events, store, log })
    : LOCAL_ONLY_RELAY;
  const statusFlight = shared
    ? new SharedFlight<ObservedRead>({ store, owner: instanceId, leaseMs: STATUS_READ_LEASE_MS })
    : undefined;
  const executor = new Executor({
    ...{ store, runners, events, log, relay, parallelism: config.runParallelism },
    ...(shared ? { lease: { owner: instanceId, ms: config.runLeaseSeconds * 1000 } } : {}),
  });
  const traces = new MessageTraceCache(config.messageTraceTtlSeconds * 1000, () =>
    shareOf(TRACE_QUERIES_PER_5_MIN, presence),
  );
  const status = new StatusService(
    store,
    runners,
    traces,
    createGraphTraceSource(config.graphUrl, client.send, tokens),
    statusFlight,
  );
  const connectorValidator = new ConnectorValidator(store, runners, log);
  const monitor = createMonitor({
    ...{ config, client, db: store.db, store, limiter, traces, log, statusFlight },
    ...(options.retryPolicy ? { retryPolicy: options.retryPolicy } : {}),
    ...(options.retryClock ? { retryClock: options.retryClock } : {}),
  });
  // Runs a dead instance left behind resume as the app where it may act; elsewhere on an admin's call.
  executor.startTakeover(monitor.appOnly, Math.max(1000, (config.runLeaseSeconds * 1000) / 2));
  const retention = startRetentionJob({
    store,
    days: {
      runs: config.retentionRunsDays,
      audit: config.retentionAuditDays,
      mailflowTests: config.retentionMailflowTestsDays,
      alerts: config.retentionAlertsDays,
    },
    log,
  });
  const mailflow = createMailflow({
    ...{ config, client, store, runners, status, tokens, log },
    ...(options.mailflowTest ? { options: options.mailflowTest } : {}),
  });
  const streams = new Set<ServerResponse>();
  const streamLimits = new StreamLimits({
    perUser: config.streamsPerUser,
    perTenant: config.streamsPerTenant,
    total: config.streamsMax,
    maxSeconds: config.streamMaxSeconds,
  });
  const routes: RouteDeps = {
    store,
    executor,
    events,
    status,
    validator: connectorValidator,
    tenantInfo: createTenantDirectoryInfo(config.graphUrl, client.send, tokens, log),
    graphRelay: createGraphRelay(config.graphUrl, client.send, tokens),
    streams,
    streamLimits,
    access,
    monitor: monitor.routes,
    mailflow: mailflow.routes,
  };
  let accepting = true;
  const tls =
    config.tlsCertFile !== null && config.tlsKeyFile !== null
      ? { cert: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile) }
      : null;
  const useTls = tls !== null;
  const pipeline: PipelineOptions = {
    validator,
    access,
    log,
    paneOrigin: config.paneOrigin,
    maxBodyBytes: config.maxBodyBytes,
    https: useTls,
    rateLimits: { perUser: config.rateLimitPerUser, perTenant: config.rateLimitPerTenant },
    exchangeQueuePerTenant: config.exchangeQueuePerTenant,
    accepting: () => accepting,
    onAuthenticated: (principal) => {
      connectorValidator.recoverInterrupted(principal.tenantId).catch((err: unknown) => {
        log.error("could not recover interrupted validations", { tenantId: principal.tenantId, error: String(err) });
      });
      // Only an Entra admin resumes someone's interrupted run: it runs with the caller's token, and an
      // account that only Exchange's role groups admit might not be allowed every remaining step.
      executor.resumeIfNeeded(principal, canChange(principal)).catch((err: unknown) => {
        log.error("could not look for an unfinished run", { tenantId: principal.tenantId, error: String(err) });
      });
    },
  };
  const app = createServer(config, tls);
  await app.register(
    async (api) => {
      await usePipeline(api, pipeline, "There is no such API route.");
      registerRoutes(api, routes);
    },
    { prefix: "/api" },
  );
  const site = options.site;
  if (site) {
    // The pane on the same origin (production): its own headers, plus HSTS over TLS.
    await app.register(async (pane) => {
      if (useTls) {
        pane.addHook("onRequest", (_request, reply, done) => {
          reply.header("strict-transport-security", HSTS);
          done();
        });
      }
      await pane.register(site);
    });
  } else {
    await app.register(async (rest) => usePipeline(rest, pipeline, "There is nothing here."));
  }
  await app.listen({ port: config.port, host: config.host });
  const port = (app.server.address() as AddressInfo).port;
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
      await mailflow.idle();
    },
    close: () => {
      closing ??= (async () => {
        accepting = false;
        // Stops listening and closes idle connections; requests still arriving get 503 shutting_down.
        const closed = app.close();
        await Promise.all([executor.shutdown(options.shutdownTimeoutMs ?? 20_000), monitor.stop(), retention.stop()]);
        mailflow.stop();
        await Promise.race([
          Promise.all([connectorValidator.idle(), mailflow.idle()]),
          new Promise((r) => setTimeout(r, 2_000).unref()),
        ]);
        for (const res of streams) res.end();
        app.server.closeAllConnections();
        await closed;
        await relay.close();
        await presence.close();
        await store.close();
        client.close();
        log.info("backend stopped");
      })();
      return closing;
    },
  };
}

/** Fastify over https (a certificate is configured) or plain http (behind a TLS-terminating proxy). */
function createServer(config: ServerConfig, tls: { cert: Buffer; key: Buffer } | null): FastifyInstance {
  const app = Fastify({
    ...(tls ? { https: tls } : {}),
    // One structured line per request comes from the pipeline (src/server/log.ts), never Fastify's.
    logger: false,
    genReqId: requestIdOf,
    bodyLimit: config.maxBodyBytes,
    // HEAD of an API route is 405 like any other method it does not have.
    exposeHeadRoutes: false,
    // The pipeline answers 503 shutting_down itself, as JSON.
    return503OnClosing: false,
    requestTimeout: 5 * 60_000,
    keepAliveTimeout: 5_000,
    rewriteUrl: routeMalformedPath,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
  });
  app.server.headersTimeout = 30_000;
  return app;
}
