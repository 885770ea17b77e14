import { RUN_EVENT_TYPES, type ApiErrorCode } from "../../core/contract";
import type { DesiredStateInput } from "../../core/desired/schema";
import type {
  MailFlowTest,
  MailFlowTestRequest,
  MailFlowTestStartedResponse,
  MessageJournaling,
} from "../../core/contract/mailflow";
import { PaneError, toPaneError, type FieldProblem, type PaneErrorCode } from "../errors";
import { readEventStream } from "./sse";
import type {
  AlertsResponse,
  AppliedSetupResponse,
  AuditResponse,
  UndoPlanResponse,
  BackendApi,
  ConnectorValidation,
  MeResponse,
  MonitorCheckStartedResponse,
  MonitorSettings,
  MonitorSettingsRequest,
  PlanResponse,
  ProgressDocument,
  Run,
  RunEvent,
  RunEventsOptions,
  RunStartedResponse,
  StatusResponse,
  StatusSnapshotResponse,
  StepId,
  StepState,
  TenantStateResponse,
  ValidationStartedResponse,
} from "./types";

export interface BackendClientOptions {
  /** The backend's origin; the API lives under /api. */
  readonly baseUrl: string;
  readonly getToken: () => Promise<string>;
  readonly fetchImpl?: typeof fetch;
  /** Waits between retries of 429/503 (injectable so tests need no real waiting). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Codes the backend uses that the pane knows by name (each one both the API's and the pane's); anything else keeps its HTTP meaning. */
const KNOWN_CODES: ReadonlySet<string> = new Set<PaneErrorCode & ApiErrorCode>([
  "forbidden_role",
  "invalid_desired_state",
  "run_in_progress",
  "plan_changed",
  "version_conflict",
  "not_found",
  "no_setup",
]);

const MAX_RETRIES = 2;
const RUN_EVENTS: ReadonlySet<string> = new Set(RUN_EVENT_TYPES);

function codeForStatus(status: number): PaneErrorCode {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden_role";
  if (status === 404) return "not_found";
  if (status === 409) return "version_conflict";
  if (status === 412) return "plan_changed";
  if (status === 400) return "invalid_desired_state";
  // The pane server's proxy answers 502 when the backend is down; gateways answer 504.
  if (status === 502 || status === 504) return "network_unreachable";
  return "server_error";
}

/** Turns a non-2xx response into the one error type, keeping the fields the UI shows. */
export async function errorFromResponse(response: Response): Promise<PaneError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const err = (body as { error?: Record<string, unknown> } | null)?.error ?? {};
  const remote = typeof err.code === "string" ? err.code : undefined;
  const code: PaneErrorCode =
    remote !== undefined && KNOWN_CODES.has(remote) ? (remote as PaneErrorCode) : codeForStatus(response.status);
  const message = typeof err.message === "string" ? err.message : `the backend answered ${response.status}`;
  const fieldErrors = Array.isArray(err.fieldErrors) ? (err.fieldErrors as FieldProblem[]) : undefined;
  const retryAfter = Number(response.headers.get("retry-after"));
  return new PaneError(code, message, {
    status: response.status,
    ...(remote !== undefined ? { remoteCode: remote } : {}),
    ...(fieldErrors ? { fieldErrors } : {}),
    ...(typeof err.startedBy === "string" ? { startedBy: err.startedBy } : {}),
    ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
  });
}

export function createBackendClient(options: BackendClientOptions): BackendApi {
  const fetchImpl = options.fetchImpl ?? ((input, init) => fetch(input, init));
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const base = options.baseUrl.replace(/\/+$/, "");

  async function send(
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
    extraHeaders: Readonly<Record<string, string>> = {},
  ): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const token = await options.getToken();
      let response: Response;
      try {
        response = await fetchImpl(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: "application/json",
            ...extraHeaders,
            ...(body !== undefined ? { "content-type": "application/json" } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          ...(signal ? { signal } : {}),
        });
      } catch (err) {
        throw toPaneError(err, "network_unreachable");
      }
      // Throttling and "busy": retry reads after Retry-After (the server says how long), a bounded number of times.
      if ((response.status === 429 || response.status === 503) && method === "GET" && attempt < MAX_RETRIES) {
        const seconds = Number(response.headers.get("retry-after")) || 1;
        await sleep(Math.min(seconds, 10) * 1000);
        continue;
      }
      if (!response.ok) throw await errorFromResponse(response);
      return response;
    }
  }

  async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await send(method, path, body);
    return (await response.json()) as T;
  }

  return {
    me: () => json<MeResponse>("GET", "/api/me"),
    tenantState: () => json<TenantStateResponse>("GET", "/api/tenant/state"),
    plan: (desired: DesiredStateInput) => json<PlanResponse>("POST", "/api/plan", { desired }),
    startRun: (desired: DesiredStateInput, planHash: string) =>
      json<RunStartedResponse>("POST", "/api/runs", { desired, planHash }),
    getRun: (id: string) => json<Run>("GET", `/api/runs/${encodeURIComponent(id)}`),
    async activeRun(): Promise<Run | null> {
      try {
        return await json<Run>("GET", "/api/runs/active");
      } catch (err) {
        if (err instanceof PaneError && err.code === "not_found") return null;
        throw err;
      }
    },
    async runEvents(
      id: string,
      onEvent: (event: RunEvent) => void,
      signal: AbortSignal,
      options: RunEventsOptions = {},
    ): Promise<void> {
      const headers: Record<string, string> = { accept: "text/event-stream" };
      if (options.lastEventId !== undefined) headers["last-event-id"] = options.lastEventId;
      const response = await send("GET", `/api/runs/${encodeURIComponent(id)}/events`, undefined, signal, headers);
      if (!response.body) throw new PaneError("stream_interrupted", "the backend sent no event stream");
      options.onOpen?.();
      try {
        await readEventStream(
          response.body,
          (e) => {
            if (!RUN_EVENTS.has(e.event)) return;
            let data: object;
            try {
              data = JSON.parse(e.data) as object;
            } catch {
              return; // a malformed event is skipped; the run's state is re-read when the stream ends
            }
            // The event name is the type and the data its RunEventData (the server's contract, not checked here).
            onEvent({ ...data, type: e.event, ...(e.id !== undefined ? { id: e.id } : {}) } as RunEvent);
          },
          signal,
        );
      } catch (err) {
        if (signal.aborted) return;
        throw toPaneError(err, "stream_interrupted");
      }
    },
    validateConnector: (host?: string) =>
      json<ValidationStartedResponse>("POST", "/api/connector/validate", host !== undefined ? { host } : {}),
    getConnectorValidation: (id: string) =>
      json<ConnectorValidation>("GET", `/api/connector/validations/${encodeURIComponent(id)}`),
    status: () => json<StatusResponse>("GET", "/api/status"),
    statusSnapshot: () => json<StatusSnapshotResponse>("GET", "/api/status/snapshot"),
    monitorSettings: () => json<MonitorSettings>("GET", "/api/monitor"),
    putMonitorSettings: (settings: MonitorSettingsRequest) => json<MonitorSettings>("PUT", "/api/monitor", settings),
    checkMonitorNow: () => json<MonitorCheckStartedResponse>("POST", "/api/monitor/check", {}),
    alerts: () => json<AlertsResponse>("GET", "/api/alerts"),
    getProgress: <Draft>() => json<ProgressDocument<Draft>>("GET", "/api/progress"),
    putProgress: <Draft>(update: { draft: Draft; steps: Partial<Record<StepId, StepState>>; version: number }) =>
      json<ProgressDocument<Draft>>("PUT", "/api/progress", update),
    audit: () => json<AuditResponse>("GET", "/api/audit"),
    appliedSetup: () => json<AppliedSetupResponse>("GET", "/api/setup/applied"),
    undoPlan: (runId: string) => json<UndoPlanResponse>("GET", `/api/runs/${encodeURIComponent(runId)}/undo`),
    startUndo: (runId: string, planHash: string) =>
      json<RunStartedResponse>("POST", "/api/runs", { undoOf: runId, planHash }),
    messageJournaling: (internetMessageId: string) =>
      json<MessageJournaling>(
        "GET",
        `/api/messages/journaling?internetMessageId=${encodeURIComponent(internetMessageId)}`,
      ),
    startMailFlowTest: (request: MailFlowTestRequest) =>
      json<MailFlowTestStartedResponse>("POST", "/api/mailflow-tests", request),
    getMailFlowTest: (id: string) => json<MailFlowTest>("GET", `/api/mailflow-tests/${encodeURIComponent(id)}`),
    latestMailFlowTest: () =>
      json<MailFlowTest>("GET", "/api/mailflow-tests?latest=1").catch((err: unknown) => {
        // No test yet: 404 is an answer, not an error.
        if (err instanceof PaneError && err.details.status === 404) return null;
        throw err;
      }),
  };
}
