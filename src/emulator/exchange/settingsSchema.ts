import { z } from "zod";

/**
 * Per-tenant knobs of the Exchange emulator: latency, throttling, transient faults, replication
 * delay, connector-validation outcome per host, mail-flow rate. Set in the state file or through
 * the platform's /_emulator/tenants/{tenant}/exchange/settings endpoints.
 */
const hostOutcome = z.enum(["success", "tlsFailure"]);

export const exchangeSettingsSchema = z.strictObject({
  /** "realistic": ~0.5–3 s per cmdlet, Validate-OutboundConnector 10–20 s; "none": no delay. */
  latency: z.enum(["realistic", "none"]),
  /** Fixed delay per cmdlet name in ms, overriding the latency mode for that cmdlet. */
  latencyOverridesMs: z.record(z.string(), z.number().int().min(0).max(600_000)),
  throttling: z.strictObject({
    enabled: z.boolean(),
    /** Calls allowed per window per tenant before 429. */
    maxCalls: z.number().int().min(1),
    windowSeconds: z.number().int().min(1),
    retryAfterSeconds: z.number().int().min(0),
    /** "retryAfter": 429 + Retry-After + JSON; "concurrent": 429 with EXO's plain-text message. */
    style: z.enum(["retryAfter", "concurrent"]),
  }),
  transientFailures: z.strictObject({
    /** Chance per call (0–1) of a 5xx, drawn from the seeded PRNG. */
    probability: z.number().min(0).max(1),
    /** Fail exactly the next N calls (counts down; takes precedence over probability). */
    failNext: z.number().int().min(0),
    status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]),
    /** "before": the cmdlet does not run; "after": it runs, then the response is lost. */
    when: z.enum(["before", "after"]),
  }),
  /** Seconds a new or changed object stays invisible (or stale) to cmdlets. */
  replicationDelaySeconds: z.number().min(0).max(86_400),
  /** Outcome of TLS to a smart host (or MX host) in Validate-OutboundConnector and mail flow. */
  connectorValidation: z.record(z.string(), hostOutcome),
  /**
   * What Validate-OutboundConnector answers with. Microsoft documents no output type for it, so a
   * client must not read success into an answer it can't interpret: "taskRows" (default) = one row
   * per check with TaskName/IsTaskSuccessful/Details; "empty" = no rows at all; "unrecognised" = rows
   * the client can't read (each only a `_clixml` string, as the admin API returns rows in its CliXml
   * response format, reference §3).
   */
  validateOutboundConnectorOutput: z.enum(["taskRows", "empty", "unrecognised"]),
  /** Journal rule limit (the product's reference uses 10; the service description says 50 today). */
  maxJournalRules: z.number().int().min(1).max(1000),
  /** Message trace queries per 5 minutes per tenant. */
  messageTraceQueriesPer5Min: z.number().int().min(1),
  /**
   * Seconds before a message (and its journal reports) shows in message trace: trace data is posted
   * after the mail flow, so a query for "the last minutes" can miss events that appear later (the
   * "event delay" option of IBM's Office 365 Message Trace REST API FAQ,
   * ibm.com/docs/en/dsm?topic=to3mtrap-office-365-message-trace-rest-api-protocol-faq; the delay's
   * size is not documented by Microsoft). 0 = at once [emulator default].
   */
  messageTraceLagSeconds: z.number().min(0).max(86_400),
  mailFlow: z.strictObject({
    /** Simulated external messages per hour delivered to the tenant's mailboxes; 0 = off. */
    ratePerHour: z.number().min(0).max(100_000),
    seed: z.number().int(),
  }),
  /** Seed of the PRNG for fault and latency decisions. */
  seed: z.number().int(),
});

export type ExchangeSettings = z.output<typeof exchangeSettingsSchema>;
export type HostOutcome = z.output<typeof hostOutcome>;

export function defaultExchangeSettings(latency: "realistic" | "none" = "realistic"): ExchangeSettings {
  return {
    latency,
    latencyOverridesMs: {},
    throttling: { enabled: false, maxCalls: 60, windowSeconds: 60, retryAfterSeconds: 30, style: "retryAfter" },
    transientFailures: { probability: 0, failNext: 0, status: 503, when: "before" },
    replicationDelaySeconds: 0,
    connectorValidation: {},
    validateOutboundConnectorOutput: "taskRows",
    // Exchange Online limits (service description), "Journal, transport, and inbox rule limits": 50 journal rules per tenant (older journaling articles still say 10); shared/reference/exchange-online.md §1.3.
    maxJournalRules: 50,
    messageTraceQueriesPer5Min: 100,
    messageTraceLagSeconds: 0,
    mailFlow: { ratePerHour: 0, seed: 1 },
    seed: 1,
  };
}
