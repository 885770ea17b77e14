import type { ObservedStateInput } from "../../core/observed/types";
import type { Plan, ResourceStatus } from "../../core/plan/types";
import type { DesiredStateInput } from "../../core/desired/schema";

/** The backend API's JSON shapes (issue 4 contract, BRIEF "Cross-part contracts"). */

export interface MeResponse {
  readonly user: { readonly oid: string; readonly upn: string; readonly name: string };
  readonly tenant: { readonly id: string; readonly name: string };
  readonly roles: readonly string[];
  readonly canChange: boolean;
  readonly requiredRoles: readonly string[];
}

export type TenantStateResponse = ObservedStateInput & { readonly readAt: string };

export interface PlanResponse {
  readonly plan: Plan;
  readonly planHash: string;
  readonly status: readonly ResourceStatus[];
  readonly script: string;
}

export type ActionState = "pending" | "running" | "succeeded" | "failed" | "skipped";
export type RunState = "running" | "succeeded" | "failed";

export interface RunAction {
  readonly id: string;
  readonly cmdlet: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly reason: string;
  readonly state: ActionState;
  readonly attempts: number;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface Run {
  readonly id: string;
  readonly state: RunState;
  readonly startedBy: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly actions: readonly RunAction[];
}

export type RunEventType = "action-started" | "action-retried" | "action-succeeded" | "action-failed" | "run-finished";

export interface RunEvent {
  readonly type: RunEventType;
  /** The stream's event id (the server's sequence number), sent back as Last-Event-ID to resume. */
  readonly id?: string;
  readonly runId: string;
  readonly actionId?: string;
  readonly attempt?: number;
  readonly error?: { readonly code: string; readonly message: string };
  readonly state?: RunState;
  readonly at: string;
}

export interface ConnectorValidationResult {
  readonly host: string;
  readonly ok: boolean;
  /** The test message's recipient (the journaling address) and the connector that was validated. */
  readonly recipient?: string;
  readonly connector?: string | null;
  /** Why it failed: a stable code (connector_missing, validation_failed, or an Exchange error code) and the text. */
  readonly error?: { readonly code: string; readonly message: string };
}

export interface ConnectorValidation {
  /** "running" until the test message is through, then "succeeded" or "failed". */
  readonly state: string;
  readonly requestedBy?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string | null;
  readonly results: readonly ConnectorValidationResult[];
}

export interface HourlyCount {
  readonly hour: string;
  readonly delivered: number;
  readonly failed: number;
}

export interface StatusResponse {
  readonly resources: readonly ResourceStatus[];
  readonly connectorValidation: ConnectorValidation | null;
  readonly messageTrace: {
    readonly asOf: string;
    readonly ageSeconds: number;
    readonly perAddress: readonly {
      readonly address: string;
      readonly delivered: number;
      readonly failed: number;
      readonly hourly: readonly HourlyCount[];
    }[];
    /** Set when fresh numbers could not be had (trace budget, Exchange error) and older ones are shown. */
    readonly stale?: { readonly code: string; readonly message: string };
  };
  readonly checkedAt: string;
  /** False when nothing was applied or drafted yet (resources is then empty). */
  readonly hasSetup?: boolean;
}

export type StepId = "check" | "address" | "where" | "ndr" | "review" | "apply" | "status";
export type StepState = "todo" | "done";

export interface ProgressHistoryEntry {
  readonly at: string;
  readonly by: string;
  readonly what: string;
}

export interface ProgressDocument<Draft = unknown> {
  readonly draft: Draft | null;
  readonly steps: Partial<Record<StepId, StepState>>;
  readonly version: number;
  readonly updatedBy?: string;
  readonly updatedAt?: string;
  readonly history: readonly ProgressHistoryEntry[];
}

export interface AuditEntry {
  readonly at: string;
  readonly by: string;
  readonly cmdlet: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly outcome: string;
  readonly runId: string;
}

export interface RunEventsOptions {
  /** Resume after this event (sent as Last-Event-ID): the server replays only what came later. */
  readonly lastEventId?: string;
  /** Called once the server accepted the stream (before any event), so callers know the connection is back. */
  readonly onOpen?: () => void;
}

/** What the pane needs from the backend; the HTTP implementation is backendClient.ts. */
export interface BackendApi {
  me(): Promise<MeResponse>;
  tenantState(): Promise<TenantStateResponse>;
  plan(desired: DesiredStateInput): Promise<PlanResponse>;
  startRun(desired: DesiredStateInput, planHash: string): Promise<{ runId: string }>;
  getRun(id: string): Promise<Run>;
  /** The tenant's running run, or null when none is running. */
  activeRun(): Promise<Run | null>;
  /** Streams the run's events until run-finished, the signal aborts, or the stream ends. */
  runEvents(
    id: string,
    onEvent: (event: RunEvent) => void,
    signal: AbortSignal,
    options?: RunEventsOptions,
  ): Promise<void>;
  validateConnector(host?: string): Promise<{ validationId: string }>;
  getConnectorValidation(id: string): Promise<ConnectorValidation>;
  status(): Promise<StatusResponse>;
  getProgress<Draft>(): Promise<ProgressDocument<Draft>>;
  putProgress<Draft>(update: {
    draft: Draft;
    steps: Partial<Record<StepId, StepState>>;
    version: number;
  }): Promise<ProgressDocument<Draft>>;
  audit(): Promise<{ entries: readonly AuditEntry[] }>;
}
