import type { StatusResponse } from "./status";

/**
 * Issue 14: the monitor (a scheduled status check per watched tenant, run by the backend with its
 * own app-only identity), its alerts (raised once, updated, resolved) and the status snapshot (the
 * last status computed, served from the store without an Exchange read).
 */

/** Who computed a snapshot: the monitor's scheduled check, a live GET /api/status from the pane, or the CLI. */
export type SnapshotSource = "monitor" | "pane" | "cli";

/** GET /api/status/snapshot (access "read"). All fields null when no status was computed yet. */
export interface StatusSnapshotResponse {
  readonly snapshot: StatusResponse | null;
  readonly checkedAt: string | null;
  readonly ageSeconds: number | null;
  readonly checkedBy: SnapshotSource | null;
}

/** The states of the monitor's app-only identity (the backend's own Entra app in the tenant). */
export type MonitorIdentityState = "ready" | "needsConsent" | "needsExchangeRole" | "unavailable";

export interface MonitorIdentity {
  /** The backend's Entra app id (JA_CLIENT_ID); empty when the backend has none configured. */
  readonly clientId: string;
  readonly state: MonitorIdentityState;
  /** One sentence for the admin: what is ready or what is missing. */
  readonly text: string;
  /** needsConsent: the admin consent URL ({login}/{tenant}/adminconsent?client_id=…&redirect_uri=…&state=…). */
  readonly consentUrl?: string;
  /** needsConsent: the application permissions the token lacks, e.g. "Exchange.ManageAsApp", "TeamsActivity.Send". */
  readonly missingPermissions?: readonly string[];
  /** needsExchangeRole: how to give the app's service principal an Exchange role. */
  readonly exchangeRoleHelp?: string;
}

export interface MonitorRecipient {
  readonly upn: string;
  readonly displayName?: string;
}

export interface MonitorChannel {
  readonly teamId: string;
  readonly channelId: string;
  readonly name?: string;
}

/** GET /api/monitor (access "read"); also the answer of PUT /api/monitor. */
export interface MonitorSettings {
  readonly watching: boolean;
  /** Minutes between two checks (1..1440, default 15). */
  readonly intervalMinutes: number;
  readonly recipients: readonly MonitorRecipient[];
  readonly channel: MonitorChannel | null;
  readonly identity: MonitorIdentity;
  /** Who turned watching on last, and when (ISO 8601). */
  readonly enabledBy?: string;
  readonly enabledAt?: string;
  readonly lastCheckedAt?: string;
  readonly nextCheckAt?: string;
}

export const MONITOR_INTERVAL_MIN = 1;
export const MONITOR_INTERVAL_MAX = 1440;
export const MONITOR_INTERVAL_DEFAULT = 15;

/**
 * PUT /api/monitor (access "admin") body. 400 invalid_request (fieldErrors: which field, why) for
 * bad input; 409 monitor_identity_not_ready (message: what is missing, plus `consentUrl` when
 * consent is missing) when turning watching on while the app-only identity is not ready.
 */
export interface MonitorSettingsRequest {
  readonly watching: boolean;
  readonly intervalMinutes?: number;
  /** UPNs of users in the tenant (the admins to notify). */
  readonly recipients?: readonly string[];
  readonly channel?: { readonly teamId: string; readonly channelId: string } | null;
}

/**
 * The `error.code` of PUT /api/monitor's 409. The contract draft spelled it `monitorIdentityNotReady`;
 * the API's codes are snake_case (./codes), so it is this value. The error body also carries
 * `consentUrl` when consent is missing.
 */
export const MONITOR_IDENTITY_NOT_READY = "monitor_identity_not_ready" as const;

/** POST /api/monitor/check (access "admin"): 202, the check is queued. */
export interface MonitorCheckStartedResponse {
  readonly queued: true;
}

export type AlertState = "open" | "resolved";
export type AlertNotificationKind = "raised" | "updated" | "resolved";

export interface AlertNotification {
  /** The admin's UPN, or "channel:<teamId>/<channelId>" for a channel notification. */
  readonly upn: string;
  readonly at: string;
  readonly kind: AlertNotificationKind;
}

/**
 * Codes of the problems the monitor raises. One alert per (code, subject): e.g. one per disabled
 * rule, one per journaling address whose reports are queued.
 */
export type AlertCode =
  | "rule-disabled"
  | "reports-queued"
  | "reports-failed"
  | "undeliverable-reports"
  | "resource-drift"
  | "connector-tls"
  | "region-coverage"
  | "check-failed";

export interface Alert {
  readonly id: string;
  /** An AlertCode; typed as string so an older pane tolerates codes added later. */
  readonly code: string;
  readonly state: AlertState;
  /** What is wrong, in a few words. */
  readonly title: string;
  /** What is wrong, in a sentence or two, with numbers. */
  readonly text: string;
  /** The one action that fixes it. */
  readonly action: string;
  /** When the problem was first seen (ISO 8601). */
  readonly since: string;
  readonly updatedAt: string;
  readonly resolvedAt: string | null;
  /** Teams deep link to the tab's Status view (subEntityId "status"). */
  readonly deepLink: string;
  readonly notified: readonly AlertNotification[];
}

/** GET /api/alerts (access "read"): newest first. */
export interface AlertsResponse {
  readonly alerts: readonly Alert[];
}

/** The tab's sub-page the pane opens when the host context carries it (deep links, activity notifications). */
export const STATUS_SUB_PAGE_ID = "status";
