import { PaneError, type PaneErrorCode } from "../../services/errors";

/** What the pane tells the admin about a failure: what happened, and what to do next. */
export interface ErrorText {
  readonly title: string;
  readonly detail: string;
  readonly next: string;
}

/**
 * The one place where error codes become words. Every code the services can produce has an entry
 * (the Record type makes a missing one a compile error).
 */
const TEXT: Record<PaneErrorCode, (e: PaneError) => ErrorText> = {
  network_unreachable: () => ({
    title: "Can't reach the service",
    detail: "The pane could not connect to the backend or to Microsoft 365.",
    next: "Check your network connection, then choose Try again.",
  }),
  config_unavailable: (e) => ({
    title: "The pane is not configured",
    detail: e.message,
    next: "Ask whoever deployed the app to check config.json on the pane's server, then reload.",
  }),
  stream_interrupted: () => ({
    title: "Live progress was interrupted",
    detail:
      "The pane could not reach the backend for over a minute and stopped reconnecting. The changes continue on the server.",
    next: "Check your network connection, then choose Try again to pick up the progress where it stopped.",
  }),
  sign_in_failed: (e) => ({
    title: "Sign-in didn't work",
    detail: e.message,
    next: "Choose Sign in to try again. If it keeps failing, ask your admin to check the app registration.",
  }),
  interaction_required: () => ({
    title: "Please sign in again",
    detail:
      "Your session has expired or needs another confirmation, or the sign-in window was closed before it finished.",
    next: "Choose Sign in.",
  }),
  consent_required: () => ({
    title: "The app needs an administrator's consent",
    detail:
      "Your organisation has not yet approved the permissions this app uses (signing in to the app, Exchange.Manage on Exchange Online and the Microsoft Graph directory reads).",
    next: "Ask a Global Administrator to grant admin consent for the Journaling Assistant app in the Entra admin center (App registrations > API permissions), then choose Try again.",
  }),
  popup_blocked: () => ({
    title: "The sign-in window didn't open",
    detail:
      "Microsoft 365 needs to ask you something (a consent or a second sign-in step), but its window was blocked or closed.",
    next: "If your browser blocked it, allow pop-ups for this site (Teams or Outlook on the web), then choose Try again and finish the steps in the window that opens.",
  }),
  host_sign_in_unsupported: (e) => ({
    title: "This Outlook can't sign you in here",
    detail: `${e.message}. Outlook on the web, new Outlook for Windows and current Microsoft 365 versions of Outlook can.`,
    next: "Open the Journaling Assistant in Teams or in a browser (Copy link), or update Outlook.",
  }),
  dialog_closed: () => ({
    title: "The sign-in window was closed",
    detail: "Outlook's sign-in window closed before you finished signing in, so the pane is not signed in yet.",
    next: "Choose Sign in to open it again and finish the steps in it.",
  }),
  dialog_already_open: (e) => ({
    title: "A sign-in window is already open",
    detail: e.message,
    next: "Finish signing in there, or close that window, then choose Sign in.",
  }),
  unauthorized: () => ({
    title: "Your session has expired",
    detail: "The backend did not accept your sign-in.",
    next: "Sign out and sign in again.",
  }),
  forbidden_role: (e) => ({
    title: "You can look, but not change",
    detail: e.message,
    next: "Ask an Exchange Administrator or Global Administrator to make the change, or to give you that role.",
  }),
  invalid_desired_state: (e) => ({
    title: "Some choices need fixing",
    detail: (e.details.fieldErrors ?? []).map((f) => f.message).join(" ") || e.message,
    next: "Go back to the step named in the message, correct it, then review again.",
  }),
  run_in_progress: (e) => ({
    title: "A setup is already running",
    detail: `${e.details.startedBy ?? "A colleague"} started a run for this tenant.`,
    next: "Follow its progress on the Apply step; start again when it has finished.",
  }),
  plan_changed: () => ({
    title: "The tenant changed since you reviewed the plan",
    detail: "Someone changed Exchange settings after the plan was made, so it may no longer be right.",
    next: "Review the updated plan, then apply it.",
  }),
  version_conflict: () => ({
    title: "A colleague changed the setup at the same time",
    detail: "Your latest change was not saved because someone else saved first.",
    next: "The pane has loaded their version; check it and make your change again.",
  }),
  not_found: (e) => ({
    title: "Not found",
    detail: e.message,
    next: "Reload the pane; if the problem stays, start the step again.",
  }),
  no_setup: () => ({
    title: "Nothing to validate yet",
    detail: "No setup has been applied or drafted for this tenant, so there is no connector to test.",
    next: "Finish the setup steps and apply them, then validate the connector.",
  }),
  server_error: (e) => ({
    title: "The backend ran into a problem",
    detail: e.message,
    next: "Try again in a minute. If it keeps happening, send the time and this message to your support contact.",
  }),
  graph_forbidden: (e) =>
    // 401: the token was expired or invalid (signing in again fixes it); 403: the app lacks the permission.
    e.details.status === 401
      ? {
          title: "Please sign in again",
          detail: "Microsoft Graph did not accept your sign-in for the directory search; it may have expired.",
          next: "Sign out and sign in again, then search again. Until then you can type the full email address.",
        }
      : {
          title: "The directory can't be searched",
          detail: "Microsoft Graph refused the search; the app may lack the User.ReadBasic.All permission.",
          next: "Type the full email address instead, or ask a Global Administrator to grant the app's permissions.",
        },
  graph_throttled: () => ({
    title: "Microsoft 365 asked us to slow down",
    detail: "Too many directory searches in a short time.",
    next: "Wait a few seconds, then search again.",
  }),
  graph_error: (e) => ({
    title: "The directory search failed",
    detail: e.message,
    next: "Try again, or type the full email address.",
  }),
  group_as_ndr: (e) => ({
    title: "A group can't receive undeliverable reports",
    detail: e.message,
    next: "Choose a user account, ideally a mailbox used only for these reports.",
  }),
  clipboard_unavailable: () => ({
    title: "Couldn't copy",
    detail: "The browser did not allow the pane to use the clipboard.",
    next: "Select the text and copy it with Ctrl+C (Cmd+C on a Mac).",
  }),
  unknown: (e) => ({
    title: "Something went wrong",
    detail: e.message,
    next: "Try again. If it keeps happening, reload the pane.",
  }),
};

export function describeError(err: unknown): ErrorText {
  const e = err instanceof PaneError ? err : new PaneError("unknown", err instanceof Error ? err.message : String(err));
  return TEXT[e.code](e);
}

/** Names of the backend's action error codes (Exchange failures during a run), as sentences. */
export function describeActionError(code: string, message: string): { detail: string; next: string } {
  switch (code) {
    case "replication_timeout":
    case "not_found":
      return {
        detail: `Exchange didn't see a newly created object in time: ${message}`,
        next: "Wait a few minutes for Exchange to replicate, then choose Apply again; finished steps are not repeated.",
      };
    case "throttled":
      return {
        detail: `Exchange is throttling requests: ${message}`,
        next: "Wait a few minutes, then choose Apply again.",
      };
    case "forbidden":
    case "access_denied":
      // The message names the cmdlet, the Exchange role and its role groups (the backend adds them).
      return {
        detail: message,
        next: "The run stopped there. Ask an Exchange admin to add you to the role group named above (or to give you the Exchange Administrator role), or ask someone who has it to apply; finished steps are not repeated.",
      };
    default:
      return {
        detail: message,
        next: "Read the message, fix the cause in Exchange or in your choices, then review and apply again; finished steps are not repeated.",
      };
  }
}

/** A failed connector validation (backend result codes), as what happened and what to do next. */
export function describeValidationError(code: string, message: string, host: string): { detail: string; next: string } {
  switch (code) {
    case "connector_missing":
      return {
        detail: `There is no outbound connector that sends to ${host}.`,
        next: "Review and apply the setup (it creates the connector), then validate again.",
      };
    case "validation_failed":
      return {
        detail: `Exchange could not deliver a test message through the connector: ${message.replace(/\.$/, "")}.`,
        next: `Check that ${host} is the journaling host shown on the service's Support > Service Addresses page and that it accepts TLS from Exchange Online; then validate again. Until it passes, journal reports to this host fail and come back as undeliverable reports.`,
      };
    case "validation_unconfirmed":
      return {
        detail: `Could not confirm that the connector works: ${message.replace(/\.$/, "")}. The connector was not marked validated.`,
        next: `Validate again; if Exchange still gives no result, validate the connector in the Exchange admin center (Mail flow > Connectors) and check the message trace for journal reports to ${host}.`,
      };
    case "throttled":
      return {
        detail: `Exchange is throttling requests: ${message}`,
        next: "Wait a few minutes, then validate again.",
      };
    case "forbidden":
    case "access_denied":
      return {
        detail: `Exchange refused the test: ${message}`,
        next: "Validating needs the Exchange Administrator (or Global Administrator) role; ask someone with it.",
      };
    default:
      return {
        detail: message,
        next: "Validate again in a few minutes; if it keeps failing, check the connector in the Exchange admin center.",
      };
  }
}
