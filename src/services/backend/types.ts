import type { DesiredStateInput } from "../../core/desired/schema";
import type {
  AuditResponse,
  ConnectorValidation,
  MeResponse,
  PlanResponse,
  ProgressDocument as ContractProgressDocument,
  Run,
  RunEvent,
  RunStartedResponse,
  StatusResponse,
  StepId,
  StepState,
  TenantStateResponse,
  UndoPlanResponse,
  ValidationStartedResponse,
} from "../../core/contract";

/** The backend API's JSON shapes are the contract's (src/core/contract); these are the pane's names for them. */
export type {
  ActionState,
  AuditEntry,
  AuditResponse,
  ConnectorValidation,
  ConnectorValidationResult,
  HourlyCount,
  MeResponse,
  PlanResponse,
  ProgressHistoryEntry,
  Run,
  RunAction,
  RunEvent,
  RunEventType,
  RunStartedResponse,
  RunState,
  StatusResponse,
  StepId,
  StepState,
  TenantStateResponse,
  UndoPlanResponse,
  ValidationStartedResponse,
} from "../../core/contract";

/** The shared progress with the pane's wizard steps. */
export type ProgressDocument<Draft = unknown> = ContractProgressDocument<Draft, StepId>;

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
  startRun(desired: DesiredStateInput, planHash: string): Promise<RunStartedResponse>;
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
  validateConnector(host?: string): Promise<ValidationStartedResponse>;
  getConnectorValidation(id: string): Promise<ConnectorValidation>;
  status(): Promise<StatusResponse>;
  getProgress<Draft>(): Promise<ProgressDocument<Draft>>;
  putProgress<Draft>(update: {
    draft: Draft;
    steps: Partial<Record<StepId, StepState>>;
    version: number;
  }): Promise<ProgressDocument<Draft>>;
  audit(): Promise<AuditResponse>;
  /** The plan that restores what a finished run changed (GET /api/runs/{id}/undo). */
  undoPlan(runId: string): Promise<UndoPlanResponse>;
  /** Applies the reviewed undo plan of a finished run (POST /api/runs {undoOf, planHash}). */
  startUndo(runId: string, planHash: string): Promise<RunStartedResponse>;
}
