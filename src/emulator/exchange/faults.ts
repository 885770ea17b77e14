import { Prng } from "./prng";
import type { ExchangeResponse, ExchangeState } from "./types";

/**
 * Fault injection and latency for the admin API, decided per tenant from its settings with the
 * seeded PRNG in its state (never Math.random), so a test replays the same faults.
 */
export function faultPrng(state: ExchangeState): Prng {
  return new Prng(
    () => state.runtime.prng,
    (s) => {
      state.runtime.prng = s;
    },
  );
}

/** Text seen in REST clients when a tenant has too many calls in flight (GreyCorbel/ExoHelper). */
export const CONCURRENT_REQUESTS_TEXT =
  "You have reached the maximum number of concurrent requests per tenant. Please wait and try again";

/** Counts this call; returns the 429 to send when the tenant is over its budget. */
export function throttle(state: ExchangeState, nowMs: number): ExchangeResponse | undefined {
  const t = state.settings.throttling;
  if (!t.enabled) return undefined;
  const windowMs = t.windowSeconds * 1000;
  const rt = state.runtime;
  rt.callTimes = rt.callTimes.filter((c) => c > nowMs - windowMs);
  if (rt.callTimes.length < t.maxCalls) {
    rt.callTimes.push(nowMs);
    return undefined;
  }
  if (t.style === "concurrent") {
    return { status: 429, headers: { "content-type": "text/plain; charset=utf-8" }, body: CONCURRENT_REQUESTS_TEXT };
  }
  const oldest = rt.callTimes[0] ?? nowMs;
  const retryAfter = Math.max(t.retryAfterSeconds, Math.ceil((oldest + windowMs - nowMs) / 1000));
  return {
    status: 429,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "retry-after": String(retryAfter),
      "rate-limit-remaining": "0",
      "rate-limit-reset": new Date(oldest + windowMs).toISOString(),
    },
    body: JSON.stringify({
      error: {
        code: "TooManyRequests",
        message: `The request was throttled. Retry after ${retryAfter} seconds.`,
        innererror: { message: "Too many requests", type: "Microsoft.Exchange.Admin.OData.Core.ODataServiceException" },
      },
    }),
  };
}

/** Informational headers clients see on calls that were not throttled. */
export function rateLimitHeaders(state: ExchangeState, nowMs: number): Record<string, string> {
  const t = state.settings.throttling;
  if (!t.enabled) return {};
  const oldest = state.runtime.callTimes[0] ?? nowMs;
  return {
    "rate-limit-remaining": String(Math.max(0, t.maxCalls - state.runtime.callTimes.length)),
    "rate-limit-reset": new Date(oldest + t.windowSeconds * 1000).toISOString(),
  };
}

/** Should this call fail with a transient 5xx? ("fail the next N" first, then the probability.) */
export function transientFailure(state: ExchangeState): ExchangeResponse | undefined {
  const tf = state.settings.transientFailures;
  let fail = false;
  if (state.runtime.failNextRemaining > 0) {
    state.runtime.failNextRemaining -= 1;
    fail = true;
  } else if (tf.probability > 0) {
    fail = faultPrng(state).draw() < tf.probability;
  }
  if (!fail) return undefined;
  return transientResponse(tf.status);
}

export function transientResponse(status: 500 | 502 | 503 | 504): ExchangeResponse {
  if (status === 502 || status === 504) {
    // Front-door failures come back as HTML/plain text, not JSON (clients must parse defensively).
    const text = status === 502 ? "502 Bad Gateway" : "504 Gateway Timeout";
    return {
      status,
      headers: { "content-type": "text/html; charset=utf-8" },
      body: `<html><body><h1>${text}</h1></body></html>`,
    };
  }
  const code = status === 503 ? "ServiceUnavailable" : "InternalServerError";
  const message =
    status === 503
      ? "The service is temporarily unavailable. Please try again later."
      : "An internal server error occurred. The operation failed.";
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...(status === 503 ? { "retry-after": "5" } : {}) },
    body: JSON.stringify({ error: { code, message } }),
  };
}

/** Latency of one cmdlet call in ms ("realistic": reads ~0.5–1.5 s, writes ~1–3 s, validation 10–20 s). */
export function latencyMs(state: ExchangeState, cmdlet: string): number {
  const override = state.settings.latencyOverridesMs[cmdlet];
  if (override !== undefined) return override;
  if (state.settings.latency === "none") return 0;
  const prng = faultPrng(state);
  if (cmdlet === "Validate-OutboundConnector") return prng.int(10_000, 20_000);
  if (cmdlet.startsWith("Get-MessageTrace")) return prng.int(1_000, 3_000);
  if (cmdlet.startsWith("Get-")) return prng.int(500, 1_500);
  return prng.int(1_000, 3_000);
}
