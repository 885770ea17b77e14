/**
 * What the sign-in dialog page (auth-dialog.html) sends to the task pane with
 * `Office.context.ui.messageParent`: the account and the API access token on success, an error
 * code otherwise. This is the pattern of Microsoft's "Authenticate and authorize with the Office
 * dialog API" (https://learn.microsoft.com/office/dev/add-ins/develop/auth-with-office-dialog-api):
 * the dialog runs MSAL's redirect flow and passes the token to the task pane, which can't run it
 * itself (Office refuses to show the sign-in page in the task pane's frame). No MSAL here: the
 * task pane's chunk stays small.
 */
export const DIALOG_PAGE = "auth-dialog.html";

export interface DialogSignInSuccess {
  readonly kind: "ja-sign-in";
  readonly status: "success";
  readonly account: { readonly username: string; readonly name: string; readonly tenantId: string };
  readonly accessToken: string;
  /** The scopes the token carries. */
  readonly scopes: readonly string[];
  /** Expiry, epoch milliseconds. */
  readonly expiresOn: number;
}

export interface DialogSignInFailure {
  readonly kind: "ja-sign-in";
  readonly status: "failure";
  /** MSAL's or Entra's error code (consent_required, user_cancelled, ...). */
  readonly code: string;
  readonly message: string;
}

export type DialogSignInMessage = DialogSignInSuccess | DialogSignInFailure;

/** Parses a dialog message; null for anything that is not ours. */
export function parseDialogMessage(raw: string): DialogSignInMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (value === null || typeof value !== "object") return null;
  const m = value as Record<string, unknown>;
  if (m.kind !== "ja-sign-in") return null;
  if (m.status === "failure") {
    return {
      kind: "ja-sign-in",
      status: "failure",
      code: typeof m.code === "string" ? m.code : "sign_in_failed",
      message: typeof m.message === "string" ? m.message : "",
    };
  }
  const account = m.account as Record<string, unknown> | undefined;
  if (
    m.status !== "success" ||
    typeof m.accessToken !== "string" ||
    typeof m.expiresOn !== "number" ||
    !Array.isArray(m.scopes) ||
    account === undefined ||
    typeof account.username !== "string" ||
    typeof account.tenantId !== "string"
  ) {
    return null;
  }
  return {
    kind: "ja-sign-in",
    status: "success",
    account: {
      username: account.username,
      name: typeof account.name === "string" ? account.name : account.username,
      tenantId: account.tenantId,
    },
    accessToken: m.accessToken,
    scopes: m.scopes.filter((s): s is string => typeof s === "string"),
    expiresOn: m.expiresOn,
  };
}

/** The dialog page's address, with the user Outlook says is signed in as the login hint. */
export function dialogPageUrl(origin: string, loginHint: string | undefined): string {
  return `${origin}/${DIALOG_PAGE}${loginHint ? `?loginHint=${encodeURIComponent(loginHint)}` : ""}`;
}
