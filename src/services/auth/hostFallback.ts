import { PaneError } from "../errors";
import type { SignInMode } from "../host";
import type { AuthService, SignedInAccount } from "./authService";

/**
 * Nested app auth can't work in this host: the host installed no bridge (teams-js adds it only where
 * the host lists `nestedAppAuth` in its runtime), or the bridge says it is disabled / unsupported.
 * That is not a sign-in failure the user can fix, so it never reaches the UI: the pane switches to
 * Teams SSO where the host offers it. This module stays free of MSAL so the switch costs nothing.
 */
export class NestedAppAuthUnavailableError extends Error {
  override readonly name = "NestedAppAuthUnavailableError";
  readonly code = "nested_app_auth_unavailable";
}

/**
 * MSAL's codes for a bridge that is there but can't serve: `nested_app_auth_bridge_disabled`
 * (BridgeStatusCode DISABLED / NESTED_APP_AUTH_UNAVAILABLE), and a host that doesn't know the request.
 */
const UNAVAILABLE_CODES = new Set([
  "nested_app_auth_unavailable",
  "nested_app_auth_bridge_disabled",
  "unsupported_method",
]);

export function isNestedAppAuthUnavailable(err: unknown): boolean {
  if (err instanceof NestedAppAuthUnavailableError) return true;
  const code = (err as { errorCode?: unknown } | null)?.errorCode;
  return typeof code === "string" && UNAVAILABLE_CODES.has(code);
}

/** An AuthService that also says how it ended up signing in (the composition root routes Graph by it). */
export interface ModalAuthService extends AuthService {
  signInMode(): SignInMode;
}

/**
 * Nested app auth first; when the host turns out unable to do it, Teams SSO (`loadFallback`) for
 * this and every later call. `loadFallback` resolves null where the host has no SSO either (the
 * Outlook add-in): then the pane explains that this host can't sign in here.
 */
export function withSsoFallback(
  primary: AuthService,
  loadFallback: () => Promise<AuthService | null>,
  hostName: string | undefined,
  /** What the fallback is: Teams SSO, or Office's sign-in dialog in the Outlook task pane. */
  fallbackMode: SignInMode = "teams-sso",
): ModalAuthService {
  let current: AuthService = primary;
  let mode: SignInMode = "naa";
  let switching: Promise<AuthService> | undefined;

  const switchToSso = (): Promise<AuthService> =>
    (switching ??= loadFallback().then((fallback) => {
      if (!fallback) {
        throw new PaneError(
          "host_sign_in_unsupported",
          `${hostName ?? "This host"} offers neither nested app authentication nor single sign-on to this app`,
        );
      }
      current = fallback;
      mode = fallbackMode;
      return fallback;
    }));

  const run = async <T>(call: (auth: AuthService) => Promise<T>): Promise<T> => {
    if (current === primary) {
      try {
        return await call(primary);
      } catch (err) {
        if (!isNestedAppAuthUnavailable(err)) throw err;
      }
    }
    return call(await switchToSso());
  };

  return {
    initialize: (): Promise<SignedInAccount | null> => run((a) => a.initialize()),
    signIn: (loginHint?: string): Promise<void> => run((a) => a.signIn(loginHint)),
    signOut: (): Promise<void> => current.signOut(),
    getToken: (scopes: readonly string[]): Promise<string> => run((a) => a.getToken(scopes)),
    signInMode: () => mode,
  };
}
