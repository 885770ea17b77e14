import type { ResourceStatus } from "../plan/types";
import type { PauseRecord } from "../resources/types";
import type { CodedError, TraceStaleCode, ValidationErrorCode } from "./codes";

/**
 * Verification: POST /api/connector/validate starts a connector validation (a test message through
 * each journaling host's connector), GET /api/connector/validations/{id} shows it, and GET
 * /api/status reports the tenant against the applied setup, with the last validation and the
 * message trace.
 */

/** POST /api/connector/validate (202, Location: /api/connector/validations/{validationId}). */
export interface ValidationStartedResponse {
  readonly validationId: string;
}

export interface ConnectorValidationResult {
  /** The journaling host whose connector was validated. */
  readonly host: string;
  /** The connector that sends to it (null when there is none). */
  readonly connector: string | null;
  /** The test message's recipient: the journaling address. */
  readonly recipient: string;
  readonly ok: boolean;
  readonly error?: CodedError<ValidationErrorCode>;
}

/** GET /api/connector/validations/{id}; also the last finished one in the status report. */
export interface ConnectorValidation {
  readonly id: string;
  /** "running" until every test message is through. */
  readonly state: "running" | "succeeded" | "failed";
  readonly requestedBy: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly results: readonly ConnectorValidationResult[];
}

/** Journal reports delivered and failed in one hour (`hour` is the hour's start, ISO 8601). */
export interface HourlyCount {
  readonly hour: string;
  readonly delivered: number;
  readonly failed: number;
  /** Still queued (message trace status Pending). */
  readonly pending?: number;
}

/** Journal reports to one journaling address over the last 24 hours. */
export interface AddressTrace {
  readonly address: string;
  readonly delivered: number;
  readonly failed: number;
  /**
   * Reports the destination has not accepted yet (status Pending): Exchange keeps a deferred report
   * (TLS failure, 4xx) queued and retries it for a day before it fails and bounces to the
   * undeliverable-reports mailbox.
   */
  readonly pending?: number;
  /** When the oldest report still queued was sent (ISO 8601); null when none is queued. */
  readonly queuedSince?: string | null;
  readonly hourly: readonly HourlyCount[];
}

/**
 * Where the numbers come from: Microsoft Graph (`GET /admin/exchange/tracing/messageTraces`, when
 * the app holds ExchangeMessageTrace.Read.All) or Exchange Online's Get-MessageTraceV2.
 */
export type TraceSource = "graph" | "exchange";

/**
 * Something about journal report delivery the admin should act on, cause first:
 * - `reports-queued`: reports to the address are Pending since `since` (the destination refuses them);
 * - `rule-disabled-undeliverable`: the rule is disabled and its reports were undeliverable: Microsoft
 *   disables such a rule two days after contacting the organization;
 * - `rule-disabled`: the rule is disabled and the trace shows no cause (someone, or Microsoft earlier).
 */
export interface DeliveryFinding {
  readonly code: "reports-queued" | "rule-disabled-undeliverable" | "rule-disabled";
  readonly address: string;
  /** The rule's Exchange identity (rule findings). */
  readonly rule?: string;
  readonly since?: string;
  readonly pending: number;
  readonly failed: number;
}

export interface MessageTraceSummary {
  /** When the numbers were read from Exchange, and how long ago that was. */
  readonly asOf: string;
  readonly ageSeconds: number;
  readonly perAddress: readonly AddressTrace[];
  /** Set when fresh numbers could not be had (trace budget, Exchange error) and older ones (or none) are shown. */
  readonly stale?: CodedError<TraceStaleCode>;
  /** Which message trace the numbers come from. */
  readonly source?: TraceSource;
  /** Why Graph was not used, when it was tried and refused (permission or service principal missing). */
  readonly sourceNote?: string;
}

/** GET /api/status. */
export interface StatusResponse {
  /** Each resource of the applied (or drafted) setup against the tenant. */
  readonly resources: readonly ResourceStatus[];
  readonly connectorValidation: ConnectorValidation | null;
  readonly messageTrace: MessageTraceSummary;
  readonly checkedAt: string;
  /** False when nothing was applied or drafted yet: resources is then empty. */
  readonly hasSetup: boolean;
  /** Delivery problems found in the trace and the rules (queued reports, a rule Microsoft disabled). */
  readonly findings?: readonly DeliveryFinding[];
  /** The setup's state ("active" when the desired state names none). */
  readonly setupState?: "active" | "paused" | "removed";
  /** A paused setup: when and by whom, from the audit's last Disable-JournalRule (absent when paused by hand in Exchange). */
  readonly paused?: PauseRecord;
  /**
   * The monitor's last check (issue 14): journal reports per address over the interval since its
   * previous check, and undeliverable reports that arrived at the NDR mailbox. Set in the snapshot the
   * monitor stores (GET /api/status/snapshot); a live GET /api/status has none.
   */
  readonly sinceLastCheck?: IntervalTrace;
}

/** Journal reports to one journaling address that Exchange received within the interval. */
export interface IntervalCount {
  readonly address: string;
  readonly delivered: number;
  readonly pending: number;
  readonly failed: number;
}

/** What the monitor's check saw over its interval (ISO 8601 bounds: `from` inclusive, `to` exclusive). */
export interface IntervalTrace {
  readonly from: string;
  readonly to: string;
  readonly perAddress: readonly IntervalCount[];
  /**
   * Undeliverable reports (NDRs, each with a journal report attached) that arrived at the tenant's
   * JournalingReportNdrTo mailbox: `count` new since the previous check, `recent` within the last hour
   * or interval (whichever is longer). Absent when the setup names no NDR mailbox.
   */
  readonly undeliverable?: {
    readonly address: string;
    readonly count: number;
    readonly recent: number;
  };
  /**
   * Message trace ids of the NDRs seen within the trace's last 24 hours: a row that shows up in trace
   * later than the check after it arrived (trace lags mail flow) is counted once, by the check that sees it.
   */
  readonly seenNdrIds?: readonly string[];
}
