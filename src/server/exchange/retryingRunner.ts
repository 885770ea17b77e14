import type { Parameters } from "../../core/exchange/catalog";
import { ExchangeError } from "./errors";
import type { Semaphore } from "./limiter";
import type { ExchangeRunner, Row, RunOptions } from "./runner";

/**
 * Wraps a transport with the retry policy the reference recommends: throttling and transient
 * faults are retried with exponential backoff and full jitter, honouring Retry-After; "not found"
 * is retried for a bounded time when the caller says the object was just created (replication);
 * at most N calls per tenant are in flight. Clock, sleep and randomness are injected so tests run
 * without waiting.
 */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Longest Retry-After we accept; longer waits fail the call so the user hears about it. */
  readonly maxRetryAfterMs: number;
  /** Total time a call keeps retrying "not found" when retryNotFound is set. */
  readonly replicationWaitMs: number;
  readonly replicationPollMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 5 * 60_000,
  replicationWaitMs: 120_000,
  replicationPollMs: 2_000,
};

export interface RetryClock {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

export const realClock: RetryClock = {
  now: Date.now,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** Exponential backoff with full jitter, but never less than half the step (so retries spread yet progress). */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

export function createRetryingRunner(
  transport: ExchangeRunner,
  semaphore: Semaphore,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  clock: RetryClock = realClock,
): ExchangeRunner {
  return {
    async run(cmdlet: string, parameters: Parameters, options: RunOptions = {}): Promise<Row[]> {
      const started = clock.now();
      let uncertain = options.outcomeUnknown ?? false;
      for (let attempt = 1; ; attempt++) {
        if (uncertain && options.beforeRetry) {
          // The previous attempt may have taken effect: look before doing it again.
          if ((await options.beforeRetry()) === "done") {
            await options.onAttempt?.({
              cmdlet,
              attempt,
              outcome: "succeeded",
              message: "already done by an earlier attempt",
            });
            return [];
          }
        }
        try {
          const rows = await semaphore.use(() => transport.run(cmdlet, parameters));
          await options.onAttempt?.({ cmdlet, attempt, outcome: "succeeded" });
          return rows;
        } catch (err) {
          if (!(err instanceof ExchangeError)) throw err;
          if (uncertain && options.alreadyDoneWhen !== undefined && err.code === options.alreadyDoneWhen) {
            await options.onAttempt?.({
              cmdlet,
              attempt,
              outcome: "succeeded",
              message: `already done by an earlier attempt (${err.message})`,
            });
            return [];
          }
          const delay = retryDelay(err, attempt, started, options);
          if (delay === undefined) {
            await options.onAttempt?.({
              cmdlet,
              attempt,
              outcome: "failed",
              errorCode: err.code,
              message: err.message,
            });
            throw err;
          }
          uncertain = uncertain || err.code === "transient";
          await options.onAttempt?.({
            cmdlet,
            attempt,
            outcome: "retrying",
            errorCode: err.code,
            message: err.message,
            delayMs: delay,
          });
          await clock.sleep(delay);
        }
      }
    },
  };

  function retryDelay(err: ExchangeError, attempt: number, started: number, options: RunOptions): number | undefined {
    if (err.code === "not_found" && options.retryNotFound) {
      return clock.now() - started + policy.replicationPollMs <= policy.replicationWaitMs
        ? policy.replicationPollMs
        : undefined;
    }
    if (!err.retryable || attempt >= Math.min(policy.maxAttempts, options.maxAttempts ?? Infinity)) return undefined;
    const retryAfter = err.details.retryAfterMs;
    if (retryAfter !== undefined) {
      if (retryAfter > policy.maxRetryAfterMs) return undefined;
      // A little jitter on top, so callers that were throttled together don't return together.
      return retryAfter + Math.round(clock.random() * Math.min(1000, policy.baseDelayMs));
    }
    return backoffDelay(policy, attempt, clock.random);
  }
}
