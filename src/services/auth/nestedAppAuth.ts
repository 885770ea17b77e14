import {
  createNestablePublicClientApplication,
  InteractionRequiredAuthError,
  type AccountInfo,
  type AuthenticationResult,
  type IPublicClientApplication,
} from "@azure/msal-browser";
import type { PaneConfig } from "../config";
import type { HostContext } from "../host";
import { msalSignInError } from "./authErrors";
import type { AuthService, SignedInAccount } from "./authService";

/**
 * Sign-in inside Teams, Outlook and the Microsoft 365 app with MSAL's nested app authentication:
 * the host signs the user in and hands out tokens for the pane's client id, so there is no sign-in
 * page and normally no prompt. Silent first; only when Entra needs the user (consent, MFA) the
 * host's own popup. teams-js (or office.js) must have initialized first: that installs the bridge.
 */
export function tenantAuthority(authority: string, tenantId: string | undefined): string {
  // The host knows the tenant: asking that tenant directly saves the "organizations" lookup.
  return tenantId ? `${new URL(authority).origin}/${tenantId}` : authority;
}

export function createNestedAppAuth(config: PaneConfig, context: HostContext | undefined): AuthService {
  let client: Promise<IPublicClientApplication> | undefined;
  let account: AccountInfo | null = null;
  const loginHint = context?.loginHint;
  const pca = (): Promise<IPublicClientApplication> =>
    (client ??= createNestablePublicClientApplication({
      auth: {
        clientId: config.clientId,
        authority: tenantAuthority(config.authority, context?.tenantId),
        knownAuthorities: [...config.knownAuthorities],
      },
    }));

  const remember = (result: AuthenticationResult): string => {
    account = result.account;
    return result.accessToken;
  };

  const popup = async (scopes: readonly string[]): Promise<string> => {
    const app = await pca();
    return remember(await app.acquireTokenPopup({ scopes: [...scopes], ...(loginHint ? { loginHint } : {}) }));
  };

  const acquire = async (scopes: readonly string[]): Promise<string> => {
    try {
      const app = await pca();
      const known = account ?? app.getAllAccounts()[0] ?? null;
      try {
        return remember(await app.acquireTokenSilent({ scopes: [...scopes], ...(known ? { account: known } : {}) }));
      } catch (err) {
        if (!(err instanceof InteractionRequiredAuthError)) throw err;
        return await popup(scopes);
      }
    } catch (err) {
      throw msalSignInError(err);
    }
  };

  const describe = (a: AccountInfo): SignedInAccount => ({
    username: a.username,
    name: a.name ?? a.username,
    tenantId: a.tenantId,
  });

  return {
    async initialize(): Promise<SignedInAccount | null> {
      await acquire([config.apiScope]);
      return account ? describe(account) : null;
    },
    async signIn(): Promise<void> {
      try {
        await popup([config.apiScope]);
      } catch (err) {
        throw msalSignInError(err);
      }
    },
    signOut(): Promise<void> {
      // The host owns the account (nested app auth has no sign-out); the pane offers none in hosts.
      return Promise.resolve();
    },
    getToken: (scopes) => acquire(scopes),
  };
}
