import type { PaneConfig } from "../config";
import { PaneError } from "../errors";
import type { HostService } from "../host";
import type { AuthService } from "./authService";
import { withSsoFallback } from "./hostFallback";

/**
 * The sign-in that fits the host (reference §2.1), each in its own chunk:
 * - nested app auth where the host recommends it (Teams, Outlook, Microsoft 365 app, Outlook add-in),
 *   switching to Teams SSO if the host turns out unable to do it (no bridge, bridge disabled);
 * - Teams SSO (`getAuthToken`) + the backend's on-behalf-of where it does not;
 * - the MSAL redirect flow in a plain browser tab.
 * The Outlook task pane without nested app auth gets an explanation instead of a sign-in page that
 * Outlook would refuse to show.
 */
export async function createAuthFor(host: HostService, config: PaneConfig): Promise<AuthService> {
  switch (host.signInMode ?? "redirect") {
    case "naa": {
      const m = await import(/* webpackChunkName: "auth-naa" */ "./nestedAppAuth");
      return withSsoFallback(
        m.createNestedAppAuth(config, host.context),
        () => teamsSsoFallback(host, config),
        host.context?.hostName,
      );
    }
    case "teams-sso": {
      const m = await import(/* webpackChunkName: "auth-teams" */ "./teamsSsoAuth");
      return m.createTeamsSsoAuth(config, host.context);
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
