import type { Principal } from "../auth/principal";
import type { TokenProvider } from "../auth/obo";
import type { ServerConfig } from "../config";
import type { HttpSend } from "../net/httpClient";
import type { TenantLimiter } from "./limiter";
import { createPwshTransport } from "./pwshTransport";
import { createRestTransport } from "./restTransport";
import {
  createRetryingRunner,
  DEFAULT_RETRY_POLICY,
  realClock,
  type RetryClock,
  type RetryPolicy,
} from "./retryingRunner";
import { appOnlyAnchorMailbox, type ExchangeIdentity, type ExchangeRunner } from "./runner";

/** Builds the runner for a caller: the configured transport, OBO tokens, retries, the tenant's limiter. */
export interface ExchangeRunnerFactory {
  forPrincipal(principal: Principal): ExchangeRunner;
}

export function createExchangeRunnerFactory(deps: {
  readonly config: Pick<ServerConfig, "exchangeUrl" | "exchangeTransport" | "replicationWaitSeconds">;
  readonly send: HttpSend;
  readonly tokens: TokenProvider;
  readonly limiter: TenantLimiter;
  readonly policy?: Partial<RetryPolicy>;
  readonly clock?: RetryClock;
}): ExchangeRunnerFactory {
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    replicationWaitMs: deps.config.replicationWaitSeconds * 1000,
    ...deps.policy,
  };
  return {
    forPrincipal(principal: Principal): ExchangeRunner {
      const identity: ExchangeIdentity = {
        tenantId: principal.tenantId,
        upn: principal.upn,
        token: () => deps.tokens.tokenFor(principal, "exchange"),
        ...(principal.appOnly ? { anchorMailbox: appOnlyAnchorMailbox(principal.tenantId) } : {}),
      };
      const transport =
        deps.config.exchangeTransport === "pwsh"
          ? createPwshTransport({ identity, exchangeUrl: deps.config.exchangeUrl })
          : createRestTransport({ exchangeUrl: deps.config.exchangeUrl, send: deps.send, identity });
      return createRetryingRunner(
        transport,
        deps.limiter.forTenant(principal.tenantId),
        policy,
        deps.clock ?? realClock,
      );
    },
  };
}
