/**
 * The one error type the pane's services throw. Every failure (backend, Graph, sign-in, network)
 * becomes a PaneError with a stable `code`; components map codes to words in one place
 * (src/components/errors/describeError.ts), never by parsing messages.
 */
export type PaneErrorCode =
  // reaching things
  | "network_unreachable"
  | "config_unavailable"
  | "stream_interrupted"
  // sign-in
  | "sign_in_failed"
  | "interaction_required"
  | "consent_required"
  | "unauthorized"
  | "popup_blocked"
  | "host_sign_in_unsupported"
  | "dialog_closed"
  | "dialog_already_open"
  // backend contract codes
  | "forbidden_role"
  | "invalid_desired_state"
  | "run_in_progress"
  | "plan_changed"
  | "version_conflict"
  | "not_found"
  | "no_setup"
  | "server_error"
  // Graph
  | "graph_forbidden"
  | "graph_throttled"
  | "graph_error"
  // the pane's own checks
  | "group_as_ndr"
  | "clipboard_unavailable"
  | "unknown";

export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

export interface PaneErrorDetails {
  readonly status?: number;
  readonly fieldErrors?: readonly FieldProblem[];
  readonly startedBy?: string;
  readonly retryAfterSeconds?: number;
  /** The code the other side used, when it is not one of ours (kept for support). */
  readonly remoteCode?: string;
}

export class PaneError extends Error {
  override readonly name = "PaneError";
  readonly code: PaneErrorCode;
  readonly details: PaneErrorDetails;

  constructor(code: PaneErrorCode, message: string, details: PaneErrorDetails = {}) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

/** Wraps anything thrown into a PaneError, keeping PaneErrors as they are. */
export function toPaneError(err: unknown, fallback: PaneErrorCode = "unknown"): PaneError {
  if (err instanceof PaneError) return err;
  if (err instanceof TypeError) {
    // fetch() rejects with a TypeError when the server cannot be reached (DNS, TLS, CORS, offline).
    return new PaneError("network_unreachable", err.message);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new PaneError(fallback, message);
}
