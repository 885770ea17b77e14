import { createAppOnlyTokenProvider } from "../auth/appOnly";
import type { ServerConfig } from "../config";
import { createExchangeRunnerFactory } from "../exchange/factory";
import type { TenantLimiter } from "../exchange/limiter";
import type { RetryClock, RetryPolicy } from "../exchange/retryingRunner";
import type { MonitorRouteDeps } from "../http/monitorRoutes";
import type { AppOnlyTakeover } from "../executor/executor";
import type { Logger } from "../log";
import type { HttpClient } from "../net/httpClient";
import { createGraphTraceSource } from "../status/graphTrace";
import type { MessageTraceCache } from "../status/messageTrace";
import type { SharedFlight } from "../status/sharedFlight";
import { StatusService } from "../status/status";
import type { ObservedRead } from "../tenant/observe";
import type { DbLike } from "../store/connection";
import { MonitorSchedule } from "../store/monitorStore";
import type { Store } from "../store/tenantStore";
import { MonitorIdentityService } from "./identity";
import { createGraphNotifier } from "./notifier";
import { MonitorScheduler } from "./scheduler";
import { MonitorService } from "./service";

/**
 * Builds the monitor from the backend's parts: its own app-only token provider and Exchange runners
 * (sharing the backend's per-tenant limiter), a StatusService over them (the same class and the same
 * message-trace cache as GET /api/status), the identity check, the Graph notifier and, when
 * JA_MONITOR is on, the scheduler.
 */
export interface MonitorParts {
  readonly routes: MonitorRouteDeps;
  readonly scheduler?: MonitorScheduler;
  /** The app-only identity, for runs another instance left behind (Executor.startTakeover). */
  readonly appOnly: AppOnlyTakeover;
  stop(): Promise<void>;
}

export function createMonitor(deps: {
  readonly config: ServerConfig;
  readonly client: HttpClient;
  readonly db: DbLike;
  readonly store: Store;
  readonly limiter: TenantLimiter;
  readonly traces: MessageTraceCache;
  readonly log: Logger;
  readonly retryPolicy?: Partial<RetryPolicy>;
  readonly retryClock?: RetryClock;
  readonly statusFlight?: SharedFlight<ObservedRead> | undefined;
}): MonitorParts {
  const { config, client, log } = deps;
  const tokens = createAppOnlyTokenProvider(config, client, log);
  const runners = createExchangeRunnerFactory({
    config,
    send: client.send,
    tokens,
    limiter: deps.limiter,
    ...(deps.retryPolicy ? { policy: deps.retryPolicy } : {}),
    ...(deps.retryClock ? { clock: deps.retryClock } : {}),
  });
  const status = new StatusService(
    deps.store,
    runners,
    deps.traces,
    createGraphTraceSource(config.graphUrl, client.send, tokens),
    deps.statusFlight,
  );
  const identity = new MonitorIdentityService({
    tokens,
    runners,
    clientId: config.clientId,
    authorityHost: config.authorityHost,
    // The pane's origin is a redirect URI of the app (single-origin production serving); Entra
    // sends the admin back there after consent.
    consentRedirectUri: `${config.paneOrigin ?? "https://localhost"}/`,
  });
  const schedule = new MonitorSchedule(deps.db);
  const service = new MonitorService({
    schedule,
    status,
    runners,
    identity,
    notifier: createGraphNotifier({
      graphUrl: config.graphUrl,
      send: client.send,
      tokens,
      log,
    }),
    // Deep links open a tab by the Teams app id (manifest "id"); JA_TEAMS_APP_ID must name it for the
    // link to open the tab. Without it the link carries the Entra app id, which Teams does not resolve.
    teamsAppId: config.teamsAppId ?? config.clientId,
    log,
  });
  const scheduler = config.monitor
    ? new MonitorScheduler({ schedule, service, concurrency: config.monitorConcurrency, log })
    : undefined;
  scheduler?.start();
  return {
    routes: { service, ...(scheduler ? { scheduler } : {}) },
    appOnly: {
      runners,
      principalFor: async (tenantId) => {
        try {
          return (await identity.check(tenantId)).principal;
        } catch {
          return undefined;
        }
      },
    },
    ...(scheduler ? { scheduler } : {}),
    stop: async () => {
      await scheduler?.stop();
    },
  };
}
