import type { SignInMode } from "../host";

/**
 * How the pane signs in. One interface, one implementation per operating context: the browser
 * redirect flow now (browserRedirectAuth.ts); nested app auth and Teams SSO inside the hosts
 * later (issue 6). Components never see MSAL: they get an AuthService through context.
 */
export interface SignedInAccount {
  readonly username: string;
  readonly name: string;
  readonly tenantId: string;
}

/** The account as the pane shows it, from MSAL's AccountInfo (structurally, so MSAL stays out of this module). */
export function signedInAccount(a: {
  readonly username: string;
  readonly name?: string;
  readonly tenantId: string;
}): SignedInAccount {
  return { username: a.username, name: a.name ?? a.username, tenantId: a.tenantId };
}

export interface AuthService {
  /** Finishes a sign-in that is coming back from the authority, then returns the account (or null). */
  initialize(): Promise<SignedInAccount | null>;
  /** Starts an interactive sign-in (the browser leaves the page for the authority's sign-in page). */
  signIn(loginHint?: string): Promise<void>;
  signOut(): Promise<void>;
  /** An access token for the scopes; re-prompts by redirect when the authority requires it. */
  getToken(scopes: readonly string[]): Promise<string>;
  /**
   * How it actually signs in, when that can differ from the host's `signInMode` (nested app auth
   * that fell back to Teams SSO). Absent = the host's mode.
   */
  signInMode?(): SignInMode;
}

/** Graph scopes as fully qualified names, so the authority never has to guess the resource. */
export function graphScopes(names: readonly string[]): string[] {
  return names.map((n) => (n.includes("://") ? n : `https://graph.microsoft.com/${n}`));
}
