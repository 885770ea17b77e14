import { app, authentication } from "@microsoft/teams-js";
import type { PaneConfig } from "../config";
import { PaneError } from "../errors";
import type { HostContext } from "../host";
import { teamsSsoError } from "./authErrors";
import { readTokenClaims } from "./tokenClaims";
import type { AuthService, SignedInAccount } from "./authService";

/**
 * Teams SSO (`authentication.getAuthToken`) for hosts that don't recommend nested app auth. The
 * token is for the pane's own API scope only, so the backend does everything else on behalf of the
 * user (Exchange, and the Graph reads of the people pickers through /api/graph).
 */

/**
 * Whether Teams SSO can be asked here: teams-js initialized with the host. Every host that runs
 * teams-js apps (Teams, Outlook, the Microsoft 365 app) answers `getAuthToken`; teams-js 2.58 has no
 * `authentication.isSupported()` to ask more precisely.
 */
export function teamsSsoSupported(): boolean {
  return app.isInitialized();
}

export function createTeamsSsoAuth(config: PaneConfig, context: HostContext | undefined): AuthService {
  const token = async (): Promise<string> => {
    try {
      return await authentication.getAuthToken(context?.tenantId ? { tenantId: context.tenantId } : undefined);
    } catch (err) {
      throw teamsSsoError(err);
    }
  };
  return {
    async initialize(): Promise<SignedInAccount | null> {
      return readTokenClaims(await token());
    },
    async signIn(): Promise<void> {
      await token();
    },
    signOut(): Promise<void> {
      return Promise.resolve();
    },
    async getToken(scopes: readonly string[]): Promise<string> {
      if (scopes.length !== 1 || scopes[0] !== config.apiScope) {
        // Only the API token exists on this path; callers reach Graph through the backend.
        throw new PaneError("sign_in_failed", `Teams SSO gives no token for ${scopes.join(" ")}`);
      }
      return token();
    },
  };
}
