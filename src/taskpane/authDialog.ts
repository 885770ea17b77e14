import { PublicClientApplication, type AuthenticationResult } from "@azure/msal-browser";
import type { DialogSignInMessage } from "../services/auth/dialogMessage";
import { loadPaneConfig } from "../services/config";
import { officeOf } from "../services/office/officeTypes";

/**
 * auth-dialog.html: the page Outlook's dialog shows when the task pane can't use nested app auth
 * (services/auth/officeDialogAuth.ts). It runs MSAL's redirect flow in the dialog window (a top-level
 * window, where Entra's sign-in page may be shown) and hands the account and the API token to the
 * task pane with messageParent, restricted to the pane's own origin (DialogOrigin 1.1).
 * Microsoft's pattern: https://learn.microsoft.com/office/dev/add-ins/develop/auth-with-office-dialog-api
 */
function show(text: string): void {
  const el = document.getElementById("status");
  if (el) el.textContent = text;
}

function send(message: DialogSignInMessage): void {
  const office = officeOf(window);
  const ui = office?.context?.ui;
  if (!ui?.messageParent) {
    show("This page works only inside Outlook's sign-in window.");
    return;
  }
  ui.messageParent(JSON.stringify(message), { targetOrigin: window.location.origin });
}

function success(result: AuthenticationResult): DialogSignInMessage {
  return {
    kind: "ja-sign-in",
    status: "success",
    account: {
      username: result.account.username,
      name: result.account.name ?? result.account.username,
      tenantId: result.account.tenantId,
    },
    accessToken: result.accessToken,
    scopes: result.scopes,
    expiresOn: result.expiresOn?.getTime() ?? Date.now() + 3600_000,
  };
}

async function main(): Promise<void> {
  const office = officeOf(window);
  if (office === undefined) {
    show("This page works only inside Outlook's sign-in window.");
    return;
  }
  await office.onReady();
  try {
    const config = await loadPaneConfig();
    const redirectUri = `${window.location.origin}${window.location.pathname}`;
    const pca = new PublicClientApplication({
      auth: {
        clientId: config.clientId,
        authority: config.authority,
        knownAuthorities: [...config.knownAuthorities],
        redirectUri,
      },
      // The dialog is its own window: its session storage lives as long as the sign-in does.
      cache: { cacheLocation: "sessionStorage" },
    });
    await pca.initialize();
    const result = await pca.handleRedirectPromise();
    if (result !== null) {
      if (!result.scopes.some((s) => s.toLowerCase() === config.apiScope.toLowerCase())) {
        // Signed in, but the API token is asked for separately (a cached account, other scopes).
        const token = await pca.acquireTokenSilent({ scopes: [config.apiScope], account: result.account });
        send(success(token));
      } else {
        send(success(result));
      }
      show("Signed in. You can close this window.");
      return;
    }
    const loginHint = new URLSearchParams(window.location.search).get("loginHint") ?? undefined;
    await pca.loginRedirect({
      scopes: ["openid", "profile", config.apiScope],
      ...(loginHint ? { loginHint } : { prompt: "select_account" }),
    });
  } catch (err) {
    const code = (err as { errorCode?: unknown }).errorCode;
    send({
      kind: "ja-sign-in",
      status: "failure",
      code: typeof code === "string" ? code : "sign_in_failed",
      message: err instanceof Error ? err.message : String(err),
    });
    show("Sign-in didn't work. Close this window and try again from the pane.");
  }
}

void main();
