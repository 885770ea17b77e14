import { createAppOnlyTokenProvider } from "../auth/appOnly";
import type { TokenProvider } from "../auth/obo";
import type { ServerConfig } from "../config";
import type { ExchangeRunnerFactory } from "../exchange/factory";
import type { MailflowRouteDeps } from "../http/mailflowRoutes";
import type { Logger } from "../log";
import type { HttpClient } from "../net/httpClient";
import type { StatusService } from "../status/status";
import type { Store } from "../store/tenantStore";
import { MessageJournalingService } from "./journaling";
import { MailFlowTester, type MailFlowTestOptions } from "./mailflowTest";

/** Issue 15's services, built once per backend (app.ts wires the routes and waits for idle on close). */
export function createMailflow(deps: {
  readonly config: ServerConfig;
  readonly client: HttpClient;
  readonly store: Store;
  readonly runners: ExchangeRunnerFactory;
  readonly status: StatusService;
  readonly tokens: TokenProvider;
  readonly log: Logger;
  readonly options?: Partial<MailFlowTestOptions>;
}): { routes: MailflowRouteDeps; idle(): Promise<void>; stop(): void } {
  const journaling = new MessageJournalingService(
    deps.store,
    deps.runners,
    deps.status,
    deps.tokens,
    deps.config.graphUrl,
    deps.client.send,
  );
  const tester = new MailFlowTester({
    db: deps.store.db,
    store: deps.store,
    runners: deps.runners,
    status: deps.status,
    tokens: deps.tokens,
    // Sending as another member of a regional list: the backend's own app, application Mail.Send.
    appOnly: createAppOnlyTokenProvider(deps.config, deps.client, deps.log),
    graphUrl: deps.config.graphUrl,
    send: deps.client.send,
    log: deps.log,
    ...(deps.options ? { options: deps.options } : {}),
  });
  return { routes: { journaling, tester }, idle: () => tester.idle(), stop: () => tester.stop() };
}
