/**
 * Every error code that crosses a process boundary, in one place. Codes are stable: tests assert
 * them and the pane maps them to words (src/components/errors/describeError.ts); messages are for
 * people and may change.
 */

/** How an Exchange cmdlet call failed (the server's cmdlet runner maps every transport's errors onto these). */
export const EXCHANGE_ERROR_CODES = [
  "not_found",
  "already_exists",
  "access_denied",
  "validation",
  "throttled",
  "transient",
  "unauthenticated",
] as const;
export type ExchangeErrorCode = (typeof EXCHANGE_ERROR_CODES)[number];

/** The `error.code` of a non-2xx API answer (`{ "error": { "code", "message", … } }`). */
export const API_ERROR_CODES = [
  // the request itself
  "invalid_request",
  "invalid_json",
  "unsupported_media_type",
  "payload_too_large",
  "not_found",
  "method_not_allowed",
  // who is asking
  "unauthorized",
  "auth_unavailable",
  "forbidden_role",
  "interaction_required",
  "token_exchange_failed",
  // the setup
  "invalid_desired_state",
  "plan_changed",
  "run_in_progress",
  "no_active_run",
  "version_conflict",
  "no_setup",
  "unknown_host",
  // the monitor (issue 14): its app-only identity lacks consent or an Exchange role
  "monitor_identity_not_ready",
  // the mail-flow test (issue 15): an internal recipient would not be journaled by External rules
  "recipient_internal",
  // Exchange and the server
  "observed_invalid",
  "exchange_access_denied",
  "exchange_throttled",
  /** 503 with Retry-After: too many of the tenant's requests are already waiting on Exchange. */
  "exchange_busy",
  /** 429 with Retry-After: a per-user, per-tenant or server-wide limit (open event streams). */
  "too_many_requests",
  "shutting_down",
  "internal_error",
] as const;
/** An API error code; Exchange failures not listed above answer as `exchange_<ExchangeErrorCode>` (502). */
export type ApiErrorCode = (typeof API_ERROR_CODES)[number] | `exchange_${ExchangeErrorCode}`;

/** Why a run's action failed or was skipped (`error.code` of a run action, an action event or an audit entry). */
export type ActionErrorCode = ExchangeErrorCode | "dependency_failed" | "internal_error" | "plan_changed";

/**
 * Why a run finished failed without running its actions: a resumed run whose desired state no longer
 * plans, or whose remaining steps are no longer the ones that were reviewed.
 */
export type RunFinishedErrorCode = "invalid_desired_state" | "plan_changed";

/** Why a connector validation failed for one journaling host. */
export type ValidationErrorCode =
  | ExchangeErrorCode
  | "connector_missing"
  | "validation_failed"
  /** Exchange answered without a result that says the test succeeded (none, or none readable). */
  | "validation_unconfirmed";

/** Why the status report's message trace numbers are not fresh. */
export type TraceStaleCode = ExchangeErrorCode | "trace_budget";

/** A failure as the API reports it inside a document: a stable code and a text to show. */
export interface CodedError<Code extends string = string> {
  readonly code: Code;
  readonly message: string;
}
