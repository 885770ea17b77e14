import type { ActionErrorCode, CodedError, ExchangeErrorCode, RunFinishedErrorCode } from "./codes";

/**
 * Runs: POST /api/runs starts one, GET /api/runs/{id} and /api/runs/active show it, GET
 * /api/runs/{id}/events streams what happens (server-sent events), GET /api/audit lists every
 * cmdlet call.
 */
export type RunState = "running" | "succeeded" | "failed";
export type ActionState = "pending" | "running" | "succeeded" | "failed" | "skipped";

export type ActionError = CodedError<ActionErrorCode>;

/** One Exchange cmdlet call of a run, as GET /api/runs/{id} shows it. */
export interface RunAction {
  readonly id: string;
  readonly cmdlet: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly reason: string;
  readonly dependsOn: readonly string[];
  readonly state: ActionState;
  readonly attempts: number;
  readonly error?: ActionError;
  readonly startedAt?: string;
  readonly finishedAt?: string;
}

/** GET /api/runs/{id}, GET /api/runs/active. */
export interface Run {
  readonly id: string;
  readonly state: RunState;
  readonly startedBy: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  /** The hash of the plan the user reviewed. */
  readonly planHash: string;
  /** How often the run was resumed after the server stopped mid-run. */
  readonly resumes: number;
  readonly actions: readonly RunAction[];
}

/** POST /api/runs (202, Location: /api/runs/{runId}). */
export interface RunStartedResponse {
  readonly runId: string;
}

/** The run events, in the order they may come (the SSE `event:` name). */
export const RUN_EVENT_TYPES = [
  "action-started",
  "action-retried",
  "action-succeeded",
  "action-failed",
  "run-finished",
] as const;
export type RunEventType = (typeof RUN_EVENT_TYPES)[number];

/** What each event type carries in its `data:` JSON, besides runId and at. */
export interface RunEventPayloads {
  readonly "action-started": { readonly actionId: string; readonly cmdlet: string; readonly attempt: number };
  readonly "action-retried": {
    readonly actionId: string;
    readonly cmdlet: string;
    readonly attempt: number;
    /** Why the attempt failed. */
    readonly error: CodedError<ExchangeErrorCode>;
    /** How long the server waits before the next attempt. */
    readonly delayMs: number;
  };
  readonly "action-succeeded": { readonly actionId: string; readonly cmdlet: string; readonly attempt: number };
  readonly "action-failed": {
    readonly actionId: string;
    readonly cmdlet: string;
    readonly attempt: number;
    readonly error: ActionError;
  };
  readonly "run-finished": {
    readonly state: "succeeded" | "failed";
    readonly error?: CodedError<RunFinishedErrorCode>;
  };
}

/** An event's `data:` JSON as the server stores and sends it. */
export type RunEventData<T extends RunEventType = RunEventType> = {
  readonly runId: string;
  /** When it happened (ISO 8601). */
  readonly at: string;
} & RunEventPayloads[T];

/**
 * One run event as the pane reads it from the stream: the `event:` name as `type`, the `id:` (the
 * server's sequence number, sent back as Last-Event-ID to resume) as `id`, and the `data:` JSON's fields.
 */
export type RunEvent = {
  readonly [T in RunEventType]: { readonly type: T; readonly id?: string } & RunEventData<T>;
}[RunEventType];

/** One cmdlet call attempt (GET /api/audit), newest first; runId is null for calls outside a run (connector validation). */
export interface AuditEntry {
  readonly at: string;
  /** The user the call ran as (UPN). */
  readonly by: string;
  readonly cmdlet: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  /** succeeded, "succeeded (already done)", retried or failed. */
  readonly outcome: string;
  readonly runId: string | null;
  readonly attempt: number;
  readonly error?: CodedError<ExchangeErrorCode>;
}

/** GET /api/audit?limit=&runId= */
export interface AuditResponse {
  readonly entries: readonly AuditEntry[];
}

/**
 * GET /api/setup/applied: the desired state of the last successful run (undo runs aside), which is
 * what the tenant was set up from. Pause, resume and remove start from it rather than from the
 * shared draft, which a colleague may be editing without having applied it.
 */
export interface AppliedSetupResponse {
  /** null when nothing was applied through the product yet. */
  readonly desired: unknown;
  readonly runId: string | null;
  readonly appliedAt: string | null;
  readonly appliedBy: string | null;
}
