import {
  InteractionRequiredAuthError,
  PublicClientApplication,
  type AccountInfo,
  type IPublicClientApplication,
} from "@azure/msal-browser";
import type { PaneConfig } from "../config";
import { PaneError } from "../errors";
import { msalSignInError as signInError } from "./authErrors";
import { signedInAccount, type AuthService, type SignedInAccount } from "./authService";

/**
 * MSAL redirect flow for a plain browser tab (dev, demo, e2e). Loaded as its own chunk: MSAL is
 * ~67 KB gzipped and must not delay the first render. The redirect flow returns to the pane's own
 * page, so no redirect-bridge page is needed (that is only for popups and silent iframes).
 */
export function createBrowserRedirectAuth(config: PaneConfig, location: Location = window.location): AuthService {
  const redirectUri = `${location.origin}${location.pathname}`;
  const pca: IPublicClientApplication = new PublicClientApplication({
    auth: {
      clientId: config.clientId,
      authority: config.authority,
      knownAuthorities: [...config.knownAuthorities],
      redirectUri,
      postLogoutRedirectUri: redirectUri,
    },
    cache: { cacheLocation: "sessionStorage" },
  });
  let initialized: Promise<void> | undefined;
  const ready = (): Promise<void> => (initialized ??= pca.initialize());
  const loginScopes = ["openid", "profile", config.apiScope];

  const account = (): AccountInfo | null => pca.getActiveAccount() ?? pca.getAllAccounts()[0] ?? null;

  return {
    async initialize(): Promise<SignedInAccount | null> {
      try {
        await ready();
        const result = await pca.handleRedirectPromise();
        if (result?.account) pca.setActiveAccount(result.account);
        const current = account();
        return current ? signedInAccount(current) : null;
      } catch (err) {
        throw signInError(err);
      }
    },
    async signIn(loginHint?: string): Promise<void> {
      await ready();
      // The hash (e.g. #/progress) survives the round trip: MSAL restores it after sign-in.
      await pca.loginRedirect({ scopes: loginScopes, prompt: "select_account", ...(loginHint ? { loginHint } : {}) });
    },
    async signOut(): Promise<void> {
      await ready();
      const current = account();
      // Local sign-out: forget the tokens in this tab without signing out of every Microsoft app.
      await pca.clearCache(current ? { account: current } : undefined);
      location.reload();
    },
    async getToken(scopes: readonly string[]): Promise<string> {
      await ready();
      const current = account();
      if (!current) throw new PaneError("interaction_required", "nobody is signed in");
      try {
        const result = await pca.acquireTokenSilent({ scopes: [...scopes], account: current });
        return result.accessToken;
      } catch (err) {
        if (err instanceof InteractionRequiredAuthError) {
          await pca.acquireTokenRedirect({ scopes: [...scopes], account: current });
          throw new PaneError("interaction_required", "signing in again");
        }
        throw signInError(err);
      }
    },
  };
}
