import type { AuditResponse, Run, RunStartedResponse } from "./runs";
import type { AlertsResponse, MonitorCheckStartedResponse, MonitorSettings, StatusSnapshotResponse } from "./monitor";
import type { ProgressDocument } from "./progress";
import type { MeResponse, PlanResponse, TenantStateResponse, UndoPlanResponse } from "./session";
import type { ConnectorValidation, StatusResponse, ValidationStartedResponse } from "./status";

/**
 * Every API route and the JSON body of its success answer. A failure answers with ApiErrorBody
 * (./errors). GET /api/runs/{id}/events answers text/event-stream: one RunEvent per message
 * (`event:` its type, `id:` its sequence number, `data:` RunEventData). GET /api/graph/v1.0/users and
 * /groups relay Microsoft Graph's answer as it is.
 */
export interface ApiResponses {
  "GET /api/me": MeResponse;
  "GET /api/tenant/state": TenantStateResponse;
  "POST /api/plan": PlanResponse;
  /** 202, Location: /api/runs/{runId} */
  "POST /api/runs": RunStartedResponse;
  /** 404 no_active_run when none is running. */
  "GET /api/runs/active": Run;
  "GET /api/runs/:id": Run;
  /** The undo plan of a finished run; 409 run_in_progress while it runs. POST /api/runs {undoOf, planHash} applies it. */
  "GET /api/runs/:id/undo": UndoPlanResponse;
  /** 202, Location: /api/connector/validations/{validationId} */
  "POST /api/connector/validate": ValidationStartedResponse;
  "GET /api/connector/validations/:id": ConnectorValidation;
  "GET /api/status": StatusResponse;
  /** The last status computed (by the monitor, the pane or the CLI), from the store: no Exchange read. */
  "GET /api/status/snapshot": StatusSnapshotResponse;
  "GET /api/monitor": MonitorSettings;
  /** 409 monitor_identity_not_ready (with consentUrl) when turning watching on before the app may. */
  "PUT /api/monitor": MonitorSettings;
  /** 202: a check of the tenant is queued. */
  "POST /api/monitor/check": MonitorCheckStartedResponse;
  "GET /api/alerts": AlertsResponse;
  "GET /api/progress": ProgressDocument;
  /** 409 version_conflict (with `current`) when the version is stale. */
  "PUT /api/progress": ProgressDocument;
  "GET /api/audit": AuditResponse;
}

export type ApiRoute = keyof ApiResponses;
