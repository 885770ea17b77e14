import type { Parameters } from "../../core/exchange/catalog";
import type { ExchangeErrorCode } from "./errors";

/** One object an Exchange cmdlet returned, with Exchange's property names. */
export type Row = Record<string, unknown>;

/**
 * Runs Exchange cmdlets for one tenant as one user. Transports (REST, pwsh) implement it; the
 * RetryingRunner wraps a transport with retries, replication waits and per-tenant concurrency.
 */
export interface ExchangeRunner {
  run(cmdlet: string, parameters: Parameters, options?: RunOptions): Promise<Row[]>;
}

export interface RunOptions {
  /**
   * Retry "not found" for a bounded time: the call names an object that was just created and may
   * not have replicated yet.
   */
  readonly retryNotFound?: boolean;
  /**
   * Called before retrying a call whose first attempt may have taken effect (timeout, 5xx).
   * Answer "done" when the effect is already there (e.g. a Get- finds the object a New- created).
   */
  readonly beforeRetry?: () => Promise<"retry" | "done">;
  /**
   * The error that means "an earlier attempt of ours already did this" (already_exists for New-/Add-,
   * not_found for Remove-). Only honoured after an attempt whose outcome is unknown.
   */
  readonly alreadyDoneWhen?: ExchangeErrorCode;
  /** The call may already have run before (a run resumed after a crash mid-call). */
  readonly outcomeUnknown?: boolean;
  /**
   * At most this many attempts (capped by the policy's own limit). Calls whose every attempt
   * spends a service budget (message trace: 100 queries / 5 min) count and retry themselves.
   */
  readonly maxAttempts?: number;
  /** Notified of every attempt's outcome (for events and the audit log); awaited, so the record is written before the next attempt. */
  readonly onAttempt?: (attempt: AttemptReport) => void | Promise<void>;
}

/** One attempt's outcome: a success (message says when an earlier attempt had already done it), or why it failed. */
export type AttemptReport =
  | {
      readonly cmdlet: string;
      readonly attempt: number;
      readonly outcome: "succeeded";
      readonly message?: string;
    }
  | {
      readonly cmdlet: string;
      readonly attempt: number;
      readonly outcome: "retrying";
      readonly errorCode: ExchangeErrorCode;
      readonly message: string;
      /** How long the runner waits before the next attempt. */
      readonly delayMs: number;
    }
  | {
      readonly cmdlet: string;
      readonly attempt: number;
      readonly outcome: "failed";
      readonly errorCode: ExchangeErrorCode;
      readonly message: string;
    };

/** Who the calls run as and how to get a fresh token for them. */
export interface ExchangeIdentity {
  readonly tenantId: string;
  readonly upn: string;
  readonly token: () => Promise<string>;
  /**
   * X-AnchorMailbox as the EXO V3 module sends it: `UPN:<upn>` for a user (the default),
   * `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@<tenantId>` app-only (reference §3).
   */
  readonly anchorMailbox?: string;
}

/** The anchor mailbox the EXO V3 module sends for app-only calls (reference exchange-online.md §3). */
export function appOnlyAnchorMailbox(tenantId: string): string {
  return `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${tenantId}`;
}
