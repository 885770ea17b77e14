import type { PaneConfig } from "../config";
import { PaneError } from "../errors";
import type { HostDialogOpener, HostService } from "../host";
import type { AuthService } from "./authService";
import { withSsoFallback } from "./hostFallback";

/**
 * The sign-in that fits the host (reference §2.1), each in its own chunk:
 * - nested app auth where the host recommends it (Teams, Outlook, Microsoft 365 app, Outlook add-in),
 *   switching to Teams SSO if the host turns out unable to do it (no bridge, bridge disabled);
 * - Teams SSO (`getAuthToken`) + the backend's on-behalf-of where it does not;
 * - the MSAL redirect flow in a plain browser tab.
 * - Office's dialog API in an Outlook task pane without nested app auth (MSAL's redirect flow in the
 *   dialog, the result handed back with messageParent: officeDialogAuth.ts).
 */
export async function createAuthFor(host: HostService, config: PaneConfig): Promise<AuthService> {
  switch (host.signInMode ?? "redirect") {
    case "naa": {
      const m = await import(/* webpackChunkName: "auth-naa" */ "./nestedAppAuth");
      // Outlook's task pane whose bridge turns out unusable signs in through Office's dialog instead.
      const dialog = host.kind === "outlook" ? host.openDialog : undefined;
      return withSsoFallback(
        m.createNestedAppAuth(config, host.context),
        () => (dialog ? officeDialogFallback(host, config, dialog) : teamsSsoFallback(host, config)),
        host.context?.hostName,
        dialog ? "office-dialog" : "teams-sso",
      );
    }
    case "teams-sso": {
      const m = await import(/* webpackChunkName: "auth-teams" */ "./teamsSsoAuth");
      return m.createTeamsSsoAuth(config, host.context);
    }
    case "office-dialog": {
      if (!host.openDialog) return unsupportedHostAuth(host);
      const m = await import(/* webpackChunkName: "auth-dialog" */ "./officeDialogAuth");
      return m.createOfficeDialogAuth(config, host.context, host.openDialog);
    }
    case "unsupported":
      return unsupportedHostAuth(host);
    case "redirect": {
      const m = await import(/* webpackChunkName: "auth" */ "./browserRedirectAuth");
      return m.createBrowserRedirectAuth(config);
    }
  }
}

/** Teams SSO where teams-js runs and the host supports `authentication`; null in the Outlook add-in. */
export async function teamsSsoFallback(host: HostService, config: PaneConfig): Promise<AuthService | null> {
  if (host.kind !== "teams") return null;
  const m = await import(/* webpackChunkName: "auth-teams" */ "./teamsSsoAuth");
  return m.teamsSsoSupported() ? m.createTeamsSsoAuth(config, host.context) : null;
}

async function officeDialogFallback(
  host: HostService,
  config: PaneConfig,
  openDialog: HostDialogOpener,
): Promise<AuthService> {
  const m = await import(/* webpackChunkName: "auth-dialog" */ "./officeDialogAuth");
  return m.createOfficeDialogAuth(config, host.context, openDialog);
}

function unsupportedHostAuth(host: HostService): AuthService {
  const fail = (): Promise<never> =>
    Promise.reject(
      new PaneError(
        "host_sign_in_unsupported",
        `${host.context?.hostName ?? "This host"} does not offer single sign-on to add-ins (NestedAppAuth 1.1)`,
      ),
    );
  return { initialize: fail, signIn: fail, signOut: () => Promise.resolve(), getToken: fail };
}
