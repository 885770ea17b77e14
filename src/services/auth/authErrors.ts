import { InteractionRequiredAuthError } from "@azure/msal-browser";
import { PaneError } from "../errors";

/** Consent is missing: Entra's AADSTS65001 / `consent_required`, whatever layer reports it. */
const CONSENT = /consent|65001/i;

/** MSAL's errors (redirect, popup, nested app auth) as the pane's codes. */
export function msalSignInError(err: unknown): PaneError {
  if (err instanceof PaneError) return err;
  const code = (err as { errorCode?: unknown }).errorCode;
  const message = err instanceof Error ? err.message : String(err);
  const remote = typeof code === "string" ? { remoteCode: code } : {};
  if (CONSENT.test(`${typeof code === "string" ? code : ""} ${message}`)) {
    return new PaneError("consent_required", message, remote);
  }
  if (code === "popup_window_error" || code === "empty_window_error") {
    return new PaneError("popup_blocked", message, remote);
  }
  // "user_cancelled": MSAL's own popup; "user_canceled": the host's window (nested app auth bridge).
  if (code === "user_cancelled" || code === "user_canceled")
    return new PaneError("interaction_required", message, remote);
  if (err instanceof InteractionRequiredAuthError) return new PaneError("interaction_required", message, remote);
  return new PaneError("sign_in_failed", message, remote);
}

/** Teams SSO (`authentication.getAuthToken`) failure reasons as the pane's codes. */
export function teamsSsoError(err: unknown): PaneError {
  if (err instanceof PaneError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  if (CONSENT.test(reason)) return new PaneError("consent_required", reason, { remoteCode: reason });
  if (/CancelledByUser|interaction_required|FailedToOpenWindow/i.test(reason)) {
    return new PaneError("interaction_required", reason, { remoteCode: reason });
  }
  return new PaneError("sign_in_failed", reason, { remoteCode: reason });
}
