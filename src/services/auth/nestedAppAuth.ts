import {
  createNestablePublicClientApplication,
  InteractionRequiredAuthError,
  PublicClientApplication,
  type AccountInfo,
  type AuthenticationResult,
  type IPublicClientApplication,
} from "@azure/msal-browser";
import type { PaneConfig } from "../config";
import type { HostContext } from "../host";
import { msalSignInError } from "./authErrors";
import { signedInAccount, type AuthService, type SignedInAccount } from "./authService";
import { isNestedAppAuthUnavailable, NestedAppAuthUnavailableError } from "./hostFallback";

/**
 * Sign-in inside Teams, Outlook and the Microsoft 365 app with MSAL's nested app authentication:
 * the host signs the user in and hands out tokens for the pane's client id, so there is no sign-in
 * page and normally no prompt. Start-up is silent only: when Entra needs the user (consent, MFA),
 * `initialize` reports nobody signed in and the pane asks for a click, because the host's popup
 * should open only from a user gesture. teams-js (or office.js) must have initialized first: that
 * installs the bridge. Without a bridge MSAL would quietly hand back a standard client that can't
 * sign in inside a frame; this reports NestedAppAuthUnavailableError instead (see hostFallback.ts).
 */
export function tenantAuthority(authority: string, tenantId: string | undefined): string {
  // The host knows the tenant: asking that tenant directly saves the "organizations" lookup.
  return tenantId ? `${new URL(authority).origin}/${tenantId}` : authority;
}

export function createNestedAppAuth(config: PaneConfig, context: HostContext | undefined): AuthService {
  let client: Promise<IPublicClientApplication> | undefined;
  let account: AccountInfo | null = null;
  const loginHint = context?.loginHint;
  const create = async (): Promise<IPublicClientApplication> => {
    let nested = false;
    const app = await createNestablePublicClientApplication(
      {
        auth: {
          clientId: config.clientId,
          authority: tenantAuthority(config.authority, context?.tenantId),
          knownAuthorities: [...config.knownAuthorities],
        },
      },
      undefined,
      // MSAL calls the factory only when the host's bridge answered; otherwise it builds a standard client.
      (configuration, controller) => {
        nested = true;
        return new PublicClientApplication(configuration, controller);
      },
    );
    if (!nested) throw new NestedAppAuthUnavailableError("the host offers no nested app authentication bridge");
    return app;
  };
  const pca = (): Promise<IPublicClientApplication> => (client ??= create());
  const signInError = (err: unknown): Error =>
    isNestedAppAuthUnavailable(err) ? (err as Error) : msalSignInError(err);

  const remember = (result: AuthenticationResult): string => {
    account = result.account;
    return result.accessToken;
  };

  const popup = async (scopes: readonly string[]): Promise<string> => {
    const app = await pca();
    return remember(await app.acquireTokenPopup({ scopes: [...scopes], ...(loginHint ? { loginHint } : {}) }));
  };

  const silent = async (scopes: readonly string[]): Promise<string> => {
    const app = await pca();
    const known = account ?? app.getAllAccounts()[0] ?? null;
    return remember(await app.acquireTokenSilent({ scopes: [...scopes], ...(known ? { account: known } : {}) }));
  };

  /** Later token requests come from what the user is doing, so the host's popup may open for them. */
  const acquire = async (scopes: readonly string[]): Promise<string> => {
    try {
      try {
        return await silent(scopes);
      } catch (err) {
        if (!(err instanceof InteractionRequiredAuthError)) throw err;
        return await popup(scopes);
      }
    } catch (err) {
      throw signInError(err);
    }
  };

  return {
    async initialize(): Promise<SignedInAccount | null> {
      try {
        await silent([config.apiScope]);
      } catch (err) {
        // Consent or another sign-in step is needed: the pane's Sign in button opens the popup.
        if (err instanceof InteractionRequiredAuthError) return null;
        throw signInError(err);
      }
      return account ? signedInAccount(account) : null;
    },
    async signIn(): Promise<void> {
      try {
        await popup([config.apiScope]);
      } catch (err) {
        throw signInError(err);
      }
    },
    signOut(): Promise<void> {
      // The host owns the account (nested app auth has no sign-out); the pane offers none in hosts.
      return Promise.resolve();
    },
    getToken: (scopes) => acquire(scopes),
  };
}
