import type { FieldError } from "../errors";
import type { ApiErrorCode } from "./codes";
import type { ProgressDocument } from "./progress";
import type { RoleName } from "./roles";

/**
 * What a non-2xx API answer carries besides its code and message; which fields appear depends on
 * the code.
 */
export interface ApiErrorExtra {
  /** invalid_request, invalid_desired_state: what is wrong, per field. */
  readonly fieldErrors?: readonly FieldError[];
  /** forbidden_role: the roles that would be allowed. */
  readonly requiredRoles?: readonly RoleName[];
  /** run_in_progress: who started the running run, and its id. */
  readonly startedBy?: string;
  readonly runId?: string;
  /** plan_changed: the hash of the plan the tenant gives now. */
  readonly planHash?: string;
  /** unknown_host: the journaling hosts the setup has. */
  readonly hosts?: readonly string[];
  /** monitor_identity_not_ready: the admin consent URL, when consent is what is missing. */
  readonly consentUrl?: string;
  /** version_conflict: the progress as it is now. */
  readonly current?: ProgressDocument;
  /** internal_error: quote it when reporting the problem. */
  readonly requestId?: string;
}

export interface ApiErrorDetail extends ApiErrorExtra {
  readonly code: ApiErrorCode;
  readonly message: string;
}

/** The body of every non-2xx API answer. */
export interface ApiErrorBody {
  readonly error: ApiErrorDetail;
}
