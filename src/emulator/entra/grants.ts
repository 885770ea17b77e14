import { randomBytes } from "node:crypto";
import type { ScopeRequest } from "./scopes";

/**
 * Short-lived Entra artefacts kept in memory: authorization codes, refresh tokens and sign-in
 * sessions. They are not part of the saved state (a restart signs everyone out, as expiring
 * sessions would).
 */

export const AUTH_CODE_LIFETIME_MS = 10 * 60 * 1000;
export const REFRESH_TOKEN_LIFETIME_MS = 24 * 3600 * 1000;
export const SESSION_COOKIE = "ESTSAUTH";

export interface AuthCode {
  clientId: string;
  redirectUri: string;
  tenantId: string;
  userId: string;
  scopeParam: string;
  request: ScopeRequest;
  scp: string[];
  codeChallenge?: string;
  nonce?: string;
  expiresAt: number;
  redeemed: boolean;
}

export interface RefreshGrant {
  clientId: string;
  tenantId: string;
  userId: string;
  scopeParam: string;
  expiresAt: number;
}

export interface SignInSession {
  tenantId: string;
  userId: string;
}

function handle(prefix: string): string {
  return `${prefix}${randomBytes(48).toString("base64url")}`;
}

export class GrantStore {
  private readonly codes = new Map<string, AuthCode>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();
  private readonly sessions = new Map<string, SignInSession>();

  addCode(code: AuthCode): string {
    // Entra codes start with "1.A"/"0.A"; the prefix only helps humans reading logs.
    const value = handle("1.A");
    this.codes.set(value, code);
    return value;
  }

  getCode(value: string): AuthCode | undefined {
    return this.codes.get(value);
  }

  addRefreshToken(grant: RefreshGrant): string {
    const value = handle("1.A");
    this.refreshTokens.set(value, grant);
    return value;
  }

  getRefreshToken(value: string): RefreshGrant | undefined {
    return this.refreshTokens.get(value);
  }

  addSession(session: SignInSession): string {
    const value = randomBytes(32).toString("base64url");
    this.sessions.set(value, session);
    return value;
  }

  getSession(value: string | undefined): SignInSession | undefined {
    return value === undefined ? undefined : this.sessions.get(value);
  }

  clear(): void {
    this.codes.clear();
    this.refreshTokens.clear();
    this.sessions.clear();
  }
}
