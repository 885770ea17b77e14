import type { PaneConfig } from "../config";
import { PaneError } from "../errors";
import type { HostContext, HostDialogOpener } from "../host";
import { DIALOG_ERRORS, OfficeDialogError } from "../office/officeDialog";
import type { AuthService, SignedInAccount } from "./authService";
import { dialogPageUrl, parseDialogMessage, type DialogSignInSuccess } from "./dialogMessage";

/**
 * Sign-in in an Outlook without nested app auth (older Outlook on Windows and Mac): the standard
 * Office add-in fallback. The task pane opens Office's dialog on auth-dialog.html (same origin),
 * which runs MSAL's redirect flow and hands the account and the API token back with messageParent
 * (./dialogMessage.ts). The token lives in memory only; Graph goes through the backend's
 * on-behalf-of (/api/graph), so one token is all the pane needs. When it expires the next call
 * opens the dialog again. Every failure becomes a PaneError the pane explains with a retry.
 */

/** Renew this long before expiry, so a request never leaves with a token about to lapse. */
const EXPIRY_MARGIN_MS = 5 * 60 * 1000;
/** Dialog size in percent of the screen: room for Entra's sign-in page. */
const DIALOG_SIZE = { height: 60, width: 30 };

export function dialogOpenError(err: unknown): PaneError {
  if (!(err instanceof OfficeDialogError)) {
    return new PaneError("sign_in_failed", err instanceof Error ? err.message : String(err));
  }
  const remote = { remoteCode: String(err.code) };
  switch (err.code) {
    case DIALOG_ERRORS.ignoredByUser:
    case DIALOG_ERRORS.popupsBlocked:
      return new PaneError("popup_blocked", err.message, remote);
    case DIALOG_ERRORS.alreadyOpen:
      return new PaneError(
        "dialog_already_open",
        "A sign-in window of this add-in is already open: finish or close it first.",
        remote,
      );
    default:
      return new PaneError("sign_in_failed", `Outlook could not open the sign-in window (${err.code}).`, remote);
  }
}

function dialogFailure(code: string, message: string): PaneError {
  if (/consent|65001/i.test(`${code} ${message}`))
    return new PaneError("consent_required", message, { remoteCode: code });
  if (code === "user_cancelled") return new PaneError("dialog_closed", message, { remoteCode: code });
  return new PaneError("sign_in_failed", message || code, { remoteCode: code });
}

export function createOfficeDialogAuth(
  config: PaneConfig,
  context: HostContext | undefined,
  openDialog: HostDialogOpener,
  paneOrigin?: string,
  now: () => number = Date.now,
): AuthService {
  const ownOrigin = (): string => paneOrigin ?? window.location.origin;
  let signedIn: DialogSignInSuccess | null = null;
  let running: Promise<DialogSignInSuccess> | null = null;

  const runDialog = async (): Promise<DialogSignInSuccess> => {
    const origin = ownOrigin();
    let dialog;
    try {
      dialog = await openDialog(dialogPageUrl(origin, context?.loginHint), DIALOG_SIZE);
    } catch (err) {
      throw dialogOpenError(err);
    }
    const opened = dialog;
    return new Promise<DialogSignInSuccess>((resolve, reject) => {
      opened.onMessage((raw, from) => {
        // Only our own page may hand us a token (DialogOrigin: the sender's origin).
        if (from !== undefined && from !== origin) return;
        const message = parseDialogMessage(raw);
        if (message === null) return;
        opened.close();
        if (message.status === "success") resolve(message);
        else reject(dialogFailure(message.code, message.message));
      });
      opened.onEvent((code) => {
        if (code === DIALOG_ERRORS.closedByUser) {
          reject(new PaneError("dialog_closed", "The sign-in window was closed before the sign-in finished."));
        } else {
          opened.close();
          reject(new PaneError("sign_in_failed", `The sign-in window could not show its page (${code}).`));
        }
      });
    });
  };

  const signInOnce = (): Promise<DialogSignInSuccess> =>
    (running ??= runDialog()
      .then((result) => {
        signedIn = result;
        return result;
      })
      .finally(() => {
        running = null;
      }));

  const valid = (scopes: readonly string[]): DialogSignInSuccess | null =>
    signedIn !== null &&
    signedIn.expiresOn - EXPIRY_MARGIN_MS > now() &&
    scopes.every((s) => signedIn?.scopes.some((have) => have.toLowerCase() === s.toLowerCase()))
      ? signedIn
      : null;

  return {
    // Nothing survives a reload (the token is kept in memory): the pane shows its Sign in button,
    // because Office opens a dialog only from the user's click without asking first.
    initialize: () => Promise.resolve(signedIn ? { ...signedIn.account } : null),
    async signIn(): Promise<void> {
      await signInOnce();
    },
    signOut(): Promise<void> {
      signedIn = null;
      return Promise.resolve();
    },
    async getToken(scopes: readonly string[]): Promise<string> {
      const cached = valid(scopes);
      if (cached) return cached.accessToken;
      if (scopes.some((s) => s !== config.apiScope)) {
        // The dialog signs in for the backend only; Graph goes through the backend in this mode.
        throw new PaneError("sign_in_failed", `the Outlook sign-in window gets no token for ${scopes.join(" ")}`);
      }
      const renewed = await signInOnce();
      return renewed.accessToken;
    },
    signInMode: () => "office-dialog",
  };
}

export type { SignedInAccount };
