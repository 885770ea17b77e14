import { randomBytes, randomInt } from "node:crypto";
import type { EntraError } from "./errors";
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

/**
 * Device authorization grant (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code):
 * "the user has 15 minutes to sign in. This is the default value for expires_in"; Entra answers
 * `interval: 5` (observed responses, e.g. learn.microsoft.com/answers/questions/981553).
 */
export const DEVICE_CODE_LIFETIME_S = 900;
export const DEVICE_CODE_INTERVAL_S = 5;

export type DeviceCodeStatus = "pending" | "approved" | "declined" | "failed";

export interface DeviceCodeGrant {
  clientId: string;
  /** The tenant the client asked (`/{tenant}/oauth2/v2.0/devicecode`): its id, or common/organizations. */
  tenantSegment: string;
  scopeParam: string;
  request: ScopeRequest;
  expiresAt: number;
  status: DeviceCodeStatus;
  /** Set on approval. */
  tenantId?: string;
  userId?: string;
  scp?: string[];
  /** Set when the sign-in ended in an error that the poll must report (e.g. no consent). */
  failure?: EntraError;
}

/** Entra's user codes: nine characters, capital letters and digits (e.g. "BPPVYQZMA", "EX8P8NWNJ"). */
const USER_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

function userCode(): string {
  let out = "";
  for (let i = 0; i < 9; i++) out += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return out;
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
  private readonly deviceCodes = new Map<string, DeviceCodeGrant>();
  /** user code -> device code. */
  private readonly userCodes = new Map<string, string>();

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

  addDeviceCode(grant: DeviceCodeGrant): { deviceCode: string; userCode: string } {
    const deviceCode = handle("DAQABIQEAAAD");
    let code = userCode();
    while (this.userCodes.has(code)) code = userCode();
    this.deviceCodes.set(deviceCode, grant);
    this.userCodes.set(code, deviceCode);
    return { deviceCode, userCode: code };
  }

  getDeviceCode(deviceCode: string): DeviceCodeGrant | undefined {
    return this.deviceCodes.get(deviceCode);
  }

  /** The grant a user code names (case and spaces ignored, as people type them). */
  getDeviceCodeByUserCode(code: string): DeviceCodeGrant | undefined {
    const deviceCode = this.userCodes.get(code.replace(/\s+/g, "").toUpperCase());
    return deviceCode === undefined ? undefined : this.deviceCodes.get(deviceCode);
  }

  /** A device code is redeemed once. */
  removeDeviceCode(deviceCode: string): void {
    this.deviceCodes.delete(deviceCode);
    for (const [code, dc] of this.userCodes) if (dc === deviceCode) this.userCodes.delete(code);
  }

  clear(): void {
    this.deviceCodes.clear();
    this.userCodes.clear();
    this.codes.clear();
    this.refreshTokens.clear();
    this.sessions.clear();
  }
}
