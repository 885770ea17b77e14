import { randomUUID } from "node:crypto";
import type {
  Alert,
  AlertNotification,
  MonitorChannel,
  MonitorRecipient,
  SnapshotSource,
  StatusResponse,
} from "../../core/contract";
import type { AlertContent } from "../../core/monitor/alerts";
import type { Db } from "./db";

/**
 * The monitor's tables (migration 3): watch settings and schedule, the last status snapshot, and
 * alerts. Like TenantStore, MonitorTenantStore binds its tenant id into every statement. The
 * schedule's claim (`MonitorSchedule.claimDue`) is the one cross-tenant statement: it hands each due
 * tenant to exactly one worker through a lease, and the worker then works through the tenant's own
 * MonitorTenantStore.
 */
export interface WatchSettings {
  readonly watching: boolean;
  readonly intervalMinutes: number;
  readonly recipients: readonly MonitorRecipient[];
  readonly channel: MonitorChannel | null;
  readonly enabledBy: string | null;
  readonly enabledAt: string | null;
  readonly nextCheckMs: number | null;
  readonly lastCheckedAt: string | null;
  readonly lastError: string | null;
}

export interface StoredSnapshot {
  readonly status: StatusResponse;
  readonly checkedAt: string;
  readonly checkedBy: SnapshotSource;
}

/** An open alert as the state machine needs it, plus what the notifier needs. */
export interface StoredAlert extends Alert {
  readonly key: string;
  readonly fingerprint: string;
}

interface SettingsRow {
  watching: number;
  interval_minutes: number;
  recipients_json: string;
  channel_json: string | null;
  enabled_by: string | null;
  enabled_at: string | null;
  next_check_ms: number | null;
  last_checked_at: string | null;
  last_error: string | null;
}

interface AlertRow {
  id: string;
  problem_key: string;
  code: string;
  state: "open" | "resolved";
  title: string;
  text: string;
  action: string;
  since: string;
  updated_at: string;
  resolved_at: string | null;
  deep_link: string;
  fingerprint: string;
  notified_json: string;
}

function toAlert(r: AlertRow): StoredAlert {
  return {
    id: r.id,
    key: r.problem_key,
    code: r.code,
    state: r.state,
    title: r.title,
    text: r.text,
    action: r.action,
    since: r.since,
    updatedAt: r.updated_at,
    resolvedAt: r.resolved_at,
    deepLink: r.deep_link,
    fingerprint: r.fingerprint,
    notified: JSON.parse(r.notified_json) as AlertNotification[],
  };
}

/** How many alerts a tenant keeps (resolved ones beyond this are deleted, oldest first). */
const ALERT_HISTORY = 500;

export class MonitorTenantStore {
  constructor(
    private readonly db: Db,
    readonly tenantId: string,
  ) {}

  // ---- settings ---------------------------------------------------------------------------

  getSettings(): WatchSettings | undefined {
    const r = this.db
      .prepare(
        `SELECT watching, interval_minutes, recipients_json, channel_json, enabled_by, enabled_at, next_check_ms,
                last_checked_at, last_error FROM monitor_settings WHERE tenant_id = ?`,
      )
      .get(this.tenantId) as SettingsRow | undefined;
    if (!r) return undefined;
    return {
      watching: r.watching === 1,
      intervalMinutes: r.interval_minutes,
      recipients: JSON.parse(r.recipients_json) as MonitorRecipient[],
      channel: r.channel_json === null ? null : (JSON.parse(r.channel_json) as MonitorChannel),
      enabledBy: r.enabled_by,
      enabledAt: r.enabled_at,
      nextCheckMs: r.next_check_ms,
      lastCheckedAt: r.last_checked_at,
      lastError: r.last_error,
    };
  }

  /** Saves the settings; turning watching on (or changing the interval) schedules the next check at `nextCheckMs`. */
  putSettings(s: {
    watching: boolean;
    intervalMinutes: number;
    recipients: readonly MonitorRecipient[];
    channel: MonitorChannel | null;
    enabledBy: string | null;
    enabledAt: string | null;
    nextCheckMs: number | null;
  }): void {
    this.db
      .prepare(
        `INSERT INTO monitor_settings (tenant_id, watching, interval_minutes, recipients_json, channel_json, enabled_by, enabled_at, next_check_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(tenant_id) DO UPDATE SET watching = excluded.watching, interval_minutes = excluded.interval_minutes,
           recipients_json = excluded.recipients_json, channel_json = excluded.channel_json,
           enabled_by = excluded.enabled_by, enabled_at = excluded.enabled_at, next_check_ms = excluded.next_check_ms`,
      )
      .run(
        this.tenantId,
        s.watching ? 1 : 0,
        s.intervalMinutes,
        JSON.stringify(s.recipients),
        s.channel === null ? null : JSON.stringify(s.channel),
        s.enabledBy,
        s.enabledAt,
        s.nextCheckMs,
      );
  }

  /** Asks for a check as soon as a worker is free ("Check now"). */
  requestCheck(nowMs: number): boolean {
    const r = this.db
      .prepare("UPDATE monitor_settings SET next_check_ms = ? WHERE tenant_id = ? AND watching = 1")
      .run(nowMs, this.tenantId);
    return r.changes === 1;
  }

  /**
   * Ends the lease `owner` holds: records the check and the next one. A worker whose lease was taken
   * over (it ran past it) changes nothing.
   */
  finishCheck(owner: string, checkedAt: string | null, nextCheckMs: number, error: string | null): boolean {
    const r = this.db
      .prepare(
        // The claim set next_check_ms to the lease's end; an earlier value means someone asked for a
        // check (or changed the settings) meanwhile, and that request stands.
        `UPDATE monitor_settings SET next_check_ms =
           CASE WHEN next_check_ms IS NOT NULL AND next_check_ms < lease_until_ms THEN next_check_ms ELSE ? END,
           lease_owner = NULL, lease_until_ms = NULL,
           last_checked_at = COALESCE(?, last_checked_at), last_error = ?
         WHERE tenant_id = ? AND lease_owner = ?`,
      )
      .run(nextCheckMs, checkedAt, error, this.tenantId, owner);
    return r.changes === 1;
  }

  /** Whether `owner` still holds the tenant's lease (checked before alerts are written). */
  holdsLease(owner: string, nowMs: number): boolean {
    const r = this.db
      .prepare("SELECT 1 FROM monitor_settings WHERE tenant_id = ? AND lease_owner = ? AND lease_until_ms > ?")
      .get(this.tenantId, owner, nowMs);
    return r !== undefined;
  }

  // ---- snapshot ---------------------------------------------------------------------------

  getSnapshot(): StoredSnapshot | undefined {
    const r = this.db
      .prepare("SELECT checked_at, checked_by, data_json FROM status_snapshots WHERE tenant_id = ?")
      .get(this.tenantId) as { checked_at: string; checked_by: SnapshotSource; data_json: string } | undefined;
    if (!r) return undefined;
    return { status: JSON.parse(r.data_json) as StatusResponse, checkedAt: r.checked_at, checkedBy: r.checked_by };
  }

  /** Keeps the newer snapshot: a slow read finishing after a newer one doesn't replace it. */
  putSnapshot(status: StatusResponse, checkedBy: SnapshotSource): void {
    this.db
      .prepare(
        `INSERT INTO status_snapshots (tenant_id, checked_at, checked_by, data_json) VALUES (?, ?, ?, ?)
         ON CONFLICT(tenant_id) DO UPDATE SET checked_at = excluded.checked_at, checked_by = excluded.checked_by,
           data_json = excluded.data_json WHERE excluded.checked_at >= status_snapshots.checked_at`,
      )
      .run(this.tenantId, status.checkedAt, checkedBy, JSON.stringify(status));
  }

  // ---- alerts -----------------------------------------------------------------------------

  /** Newest first. */
  alerts(limit = 200): StoredAlert[] {
    return (
      this.db
        .prepare(
          `SELECT * FROM alerts WHERE tenant_id = ? ORDER BY CASE state WHEN 'open' THEN 0 ELSE 1 END, updated_at DESC, since DESC LIMIT ?`,
        )
        .all(this.tenantId, limit) as AlertRow[]
    ).map(toAlert);
  }

  openAlerts(): StoredAlert[] {
    return (
      this.db.prepare("SELECT * FROM alerts WHERE tenant_id = ? AND state = 'open'").all(this.tenantId) as AlertRow[]
    ).map(toAlert);
  }

  getAlert(id: string): StoredAlert | undefined {
    const r = this.db.prepare("SELECT * FROM alerts WHERE tenant_id = ? AND id = ?").get(this.tenantId, id) as
      AlertRow | undefined;
    return r ? toAlert(r) : undefined;
  }

  /** A new open alert; undefined when one is already open for the problem (the unique index). */
  raise(content: AlertContent, at: string, deepLink: string): StoredAlert | undefined {
    const id = randomUUID();
    const r = this.db
      .prepare(
        `INSERT INTO alerts (tenant_id, id, problem_key, code, state, title, text, action, since, updated_at, resolved_at, deep_link, fingerprint, notified_json)
         VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, NULL, ?, ?, '[]')
         ON CONFLICT DO NOTHING`,
      )
      .run(
        this.tenantId,
        id,
        content.key,
        content.code,
        content.title,
        content.text,
        content.action,
        content.since,
        at,
        deepLink,
        content.fingerprint,
      );
    this.prune();
    return r.changes === 1 ? this.getAlert(id) : undefined;
  }

  /** Updates an open alert's words (its `since` stays the first sighting's). */
  update(id: string, content: AlertContent, at: string): void {
    this.db
      .prepare(
        `UPDATE alerts SET title = ?, text = ?, action = ?, fingerprint = ?, updated_at = ?
         WHERE tenant_id = ? AND id = ? AND state = 'open'`,
      )
      .run(content.title, content.text, content.action, content.fingerprint, at, this.tenantId, id);
  }

  resolve(id: string, at: string): boolean {
    const r = this.db
      .prepare(
        "UPDATE alerts SET state = 'resolved', resolved_at = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND state = 'open'",
      )
      .run(at, at, this.tenantId, id);
    return r.changes === 1;
  }

  /** Records who was told; read-modify-write in one transaction (SQLite serialises writers). */
  addNotified(id: string, entries: readonly AlertNotification[]): void {
    if (entries.length === 0) return;
    const tx = this.db.transaction(() => {
      const r = this.db
        .prepare("SELECT notified_json FROM alerts WHERE tenant_id = ? AND id = ?")
        .get(this.tenantId, id) as { notified_json: string } | undefined;
      if (!r) return;
      const list = [...(JSON.parse(r.notified_json) as AlertNotification[]), ...entries];
      this.db
        .prepare("UPDATE alerts SET notified_json = ? WHERE tenant_id = ? AND id = ?")
        .run(JSON.stringify(list), this.tenantId, id);
    });
    tx();
  }

  private prune(): void {
    this.db
      .prepare(
        `DELETE FROM alerts WHERE tenant_id = ? AND state = 'resolved' AND id NOT IN
           (SELECT id FROM alerts WHERE tenant_id = ? ORDER BY updated_at DESC LIMIT ?)`,
      )
      .run(this.tenantId, this.tenantId, ALERT_HISTORY);
  }
}

/** The scheduler's view across tenants: which watched tenants are due, each claimed by one worker. */
export class MonitorSchedule {
  constructor(private readonly db: Db) {}

  forTenant(tenantId: string): MonitorTenantStore {
    if (!/^[0-9a-f-]{36}$/.test(tenantId)) throw new Error("forTenant needs a tenant id (lower-case GUID)");
    return new MonitorTenantStore(this.db, tenantId);
  }

  /**
   * Leases up to `limit` watched tenants whose check is due and whose lease (if any) ran out, in one
   * statement (atomic in SQLite, and a row-locking UPDATE in PostgreSQL), so two workers never get
   * the same tenant. Returns the tenant ids with their interval.
   */
  claimDue(
    owner: string,
    nowMs: number,
    leaseMs: number,
    limit: number,
  ): { tenantId: string; intervalMinutes: number }[] {
    if (limit <= 0) return [];
    return this.db
      .prepare(
        // next_check_ms moves to the lease's end too: if this worker dies, the tenant is due again then.
        `UPDATE monitor_settings SET lease_owner = ?, lease_until_ms = ?, next_check_ms = ?
         WHERE tenant_id IN (
           SELECT tenant_id FROM monitor_settings
           WHERE watching = 1 AND next_check_ms IS NOT NULL AND next_check_ms <= ?
             AND (lease_until_ms IS NULL OR lease_until_ms <= ?)
           ORDER BY next_check_ms LIMIT ?)
         RETURNING tenant_id AS tenantId, interval_minutes AS intervalMinutes`,
      )
      .all(owner, nowMs + leaseMs, nowMs + leaseMs, nowMs, nowMs, limit) as {
      tenantId: string;
      intervalMinutes: number;
    }[];
  }

  /** Gives back the leases `owner` holds (graceful shutdown: another instance may check them at once). */
  releaseAll(owner: string, nowMs: number): void {
    this.db
      .prepare(
        "UPDATE monitor_settings SET lease_owner = NULL, lease_until_ms = NULL, next_check_ms = ? WHERE lease_owner = ?",
      )
      .run(nowMs, owner);
  }

  /** When the next watched tenant is due (null: none is watched). */
  nextDueMs(): number | null {
    const r = this.db.prepare("SELECT MIN(next_check_ms) AS next FROM monitor_settings WHERE watching = 1").get() as {
      next: number | null;
    };
    return r.next;
  }
}
