import type { DesiredStateInput } from "../../core/desired/schema";
import type {
  MailFlowTest,
  MailFlowTestRequest,
  MailFlowTestStartedResponse,
  MessageJournaling,
} from "../../core/contract/mailflow";
import type {
  AlertsResponse,
  AppliedSetupResponse,
  AuditResponse,
  ConnectorValidation,
  MeResponse,
  MonitorCheckStartedResponse,
  MonitorSettings,
  MonitorSettingsRequest,
  PlanResponse,
  ProgressDocument as ContractProgressDocument,
  Run,
  RunEvent,
  RunStartedResponse,
  StatusResponse,
  StatusSnapshotResponse,
  StepId,
  StepState,
  TenantStateResponse,
  UndoPlanResponse,
  ValidationStartedResponse,
} from "../../core/contract";

/** The backend API's JSON shapes are the contract's (src/core/contract); these are the pane's names for them. */
export type {
  ActionState,
  AppliedSetupResponse,
  Alert,
  AlertsResponse,
  MonitorChannel,
  MonitorCheckStartedResponse,
  MonitorIdentity,
  MonitorRecipient,
  MonitorSettings,
  MonitorSettingsRequest,
  StatusSnapshotResponse,
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
  /** The last status saved for the tenant (GET /api/status/snapshot): no Exchange read, so it is there at once. */
  statusSnapshot(): Promise<StatusSnapshotResponse>;
  /** Keep watching: the monitor's settings and its app-only identity (GET /api/monitor). */
  monitorSettings(): Promise<MonitorSettings>;
  /** Turns watching on or off, with its interval and recipients (PUT /api/monitor, admins). */
  putMonitorSettings(settings: MonitorSettingsRequest): Promise<MonitorSettings>;
  /** Queues a monitor check now (POST /api/monitor/check, admins; 409 when watching is off). */
  checkMonitorNow(): Promise<MonitorCheckStartedResponse>;
  /** The monitor's alerts, newest first (GET /api/alerts). */
  alerts(): Promise<AlertsResponse>;
  getProgress<Draft>(): Promise<ProgressDocument<Draft>>;
  putProgress<Draft>(update: {
    draft: Draft;
    steps: Partial<Record<StepId, StepState>>;
    version: number;
  }): Promise<ProgressDocument<Draft>>;
  audit(): Promise<AuditResponse>;
  /** The desired state the tenant was last set up from (GET /api/setup/applied). */
  appliedSetup(): Promise<AppliedSetupResponse>;
  /** The plan that restores what a finished run changed (GET /api/runs/{id}/undo). */
  undoPlan(runId: string): Promise<UndoPlanResponse>;
  /** Applies the reviewed undo plan of a finished run (POST /api/runs {undoOf, planHash}). */
  startUndo(runId: string, planHash: string): Promise<RunStartedResponse>;
  /** Was this message journaled? (GET /api/messages/journaling, the Outlook message-read view). */
  messageJournaling(internetMessageId: string): Promise<MessageJournaling>;
  /** Starts a mail-flow test (POST /api/mailflow-tests, admin). */
  startMailFlowTest(request: MailFlowTestRequest): Promise<MailFlowTestStartedResponse>;
  getMailFlowTest(id: string): Promise<MailFlowTest>;
  /** The tenant's latest mail-flow test, or null when there is none (404). */
  latestMailFlowTest(): Promise<MailFlowTest | null>;
}
