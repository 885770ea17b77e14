import { randomUUID } from "node:crypto";
import { sql, type Kysely, type Selectable } from "kysely";
import type {
  Alert,
  AlertNotification,
  MonitorChannel,
  MonitorRecipient,
  SnapshotSource,
  StatusResponse,
} from "../../core/contract";
import type { AlertContent } from "../../core/monitor/alerts";
import { changed, toStoreDb, type DbLike, type StoreDb } from "./connection";
import type { AlertsTable, Database } from "./schema";

/**
 * The monitor's tables (migration 3): watch settings and schedule, the last status snapshot, and
 * alerts. Like TenantStore, MonitorTenantStore binds its tenant id into every statement. The
 * schedule's claim (`MonitorSchedule.claimDue`) is the one cross-tenant statement: it hands each due
 * tenant to exactly one worker through a lease, and the worker then works through the tenant's own
 * MonitorTenantStore. One implementation for SQLite and PostgreSQL (Kysely: see connection.ts).
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

export type NewWatchSettings = {
  watching: boolean;
  intervalMinutes: number;
  recipients: readonly MonitorRecipient[];
  channel: MonitorChannel | null;
  enabledBy: string | null;
  enabledAt: string | null;
  nextCheckMs: number | null;
};

/** One tenant's watch settings and its side of the check lease. */
export interface MonitorSettingsStore {
  getSettings(): Promise<WatchSettings | undefined>;
  putSettings(s: NewWatchSettings): Promise<void>;
  requestCheck(nowMs: number): Promise<boolean>;
  finishCheck(owner: string, checkedAt: string | null, nextCheckMs: number, error: string | null): Promise<boolean>;
  holdsLease(owner: string, nowMs: number): Promise<boolean>;
}

export interface SnapshotStore {
  getSnapshot(): Promise<StoredSnapshot | undefined>;
  putSnapshot(status: StatusResponse, checkedBy: SnapshotSource): Promise<void>;
}

export interface AlertsStore {
  alerts(limit?: number): Promise<StoredAlert[]>;
  openAlerts(): Promise<StoredAlert[]>;
  getAlert(id: string): Promise<StoredAlert | undefined>;
  raise(content: AlertContent, at: string, deepLink: string): Promise<StoredAlert | undefined>;
  update(id: string, content: AlertContent, at: string): Promise<void>;
  resolve(id: string, at: string): Promise<boolean>;
  addNotified(id: string, entries: readonly AlertNotification[]): Promise<void>;
}

/** The schedule across tenants. */
export interface MonitorScheduleStore {
  claimDue(
    owner: string,
    nowMs: number,
    leaseMs: number,
    limit: number,
  ): Promise<{ tenantId: string; intervalMinutes: number }[]>;
  releaseAll(owner: string, nowMs: number): Promise<void>;
  nextDueMs(): Promise<number | null>;
}

function toAlert(r: Selectable<AlertsTable>): StoredAlert {
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
/** Concurrent writers of one alert's notification list: tries before giving up. */
const WRITE_ATTEMPTS = 20;

export class MonitorTenantStore implements MonitorSettingsStore, SnapshotStore, AlertsStore {
  private readonly k: Kysely<Database>;

  constructor(
    db: DbLike,
    readonly tenantId: string,
  ) {
    this.k = toStoreDb(db).kysely;
  }

  // ---- settings ---------------------------------------------------------------------------

  async getSettings(): Promise<WatchSettings | undefined> {
    const r = await this.k
      .selectFrom("monitor_settings")
      .select([
        "watching",
        "interval_minutes",
        "recipients_json",
        "channel_json",
        "enabled_by",
        "enabled_at",
        "next_check_ms",
        "last_checked_at",
        "last_error",
      ])
      .where("tenant_id", "=", this.tenantId)
      .executeTakeFirst();
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
  async putSettings(s: NewWatchSettings): Promise<void> {
    await this.k
      .insertInto("monitor_settings")
      .values({
        tenant_id: this.tenantId,
        watching: s.watching ? 1 : 0,
        interval_minutes: s.intervalMinutes,
        recipients_json: JSON.stringify(s.recipients),
        channel_json: s.channel === null ? null : JSON.stringify(s.channel),
        enabled_by: s.enabledBy,
        enabled_at: s.enabledAt,
        next_check_ms: s.nextCheckMs,
      })
      .onConflict((oc) =>
        oc.column("tenant_id").doUpdateSet((eb) => ({
          watching: eb.ref("excluded.watching"),
          interval_minutes: eb.ref("excluded.interval_minutes"),
          recipients_json: eb.ref("excluded.recipients_json"),
          channel_json: eb.ref("excluded.channel_json"),
          enabled_by: eb.ref("excluded.enabled_by"),
          enabled_at: eb.ref("excluded.enabled_at"),
          next_check_ms: eb.ref("excluded.next_check_ms"),
        })),
      )
      .execute();
  }

  /** Asks for a check as soon as a worker is free ("Check now"). */
  async requestCheck(nowMs: number): Promise<boolean> {
    const r = await this.k
      .updateTable("monitor_settings")
      .set({ next_check_ms: nowMs })
      .where("tenant_id", "=", this.tenantId)
      .where("watching", "=", 1)
      .executeTakeFirst();
    return changed(r) === 1;
  }

  /**
   * Ends the lease `owner` holds: records the check and the next one. A worker whose lease was taken
   * over (it ran past it) changes nothing.
   */
  async finishCheck(
    owner: string,
    checkedAt: string | null,
    nextCheckMs: number,
    error: string | null,
  ): Promise<boolean> {
    const r = await this.k
      .updateTable("monitor_settings")
      .set({
        // The claim set next_check_ms to the lease's end; an earlier value means someone asked for a
        // check (or changed the settings) meanwhile, and that request stands.
        next_check_ms: sql<number>`CASE WHEN next_check_ms IS NOT NULL AND next_check_ms < lease_until_ms THEN next_check_ms ELSE ${nextCheckMs} END`,
        lease_owner: null,
        lease_until_ms: null,
        last_checked_at: (eb) => eb.fn.coalesce(eb.val(checkedAt), eb.ref("last_checked_at")),
        last_error: error,
      })
      .where("tenant_id", "=", this.tenantId)
      .where("lease_owner", "=", owner)
      .executeTakeFirst();
    return changed(r) === 1;
  }

  /** Whether `owner` still holds the tenant's lease (checked before alerts are written). */
  async holdsLease(owner: string, nowMs: number): Promise<boolean> {
    const r = await this.k
      .selectFrom("monitor_settings")
      .select("tenant_id")
      .where("tenant_id", "=", this.tenantId)
      .where("lease_owner", "=", owner)
      .where("lease_until_ms", ">", nowMs)
      .executeTakeFirst();
    return r !== undefined;
  }

  // ---- snapshot ---------------------------------------------------------------------------

  async getSnapshot(): Promise<StoredSnapshot | undefined> {
    const r = await this.k
      .selectFrom("status_snapshots")
      .select(["checked_at", "checked_by", "data_json"])
      .where("tenant_id", "=", this.tenantId)
      .executeTakeFirst();
    if (!r) return undefined;
    return { status: JSON.parse(r.data_json) as StatusResponse, checkedAt: r.checked_at, checkedBy: r.checked_by };
  }

  /** Keeps the newer snapshot: a slow read finishing after a newer one doesn't replace it. */
  async putSnapshot(status: StatusResponse, checkedBy: SnapshotSource): Promise<void> {
    await this.k
      .insertInto("status_snapshots")
      .values({
        tenant_id: this.tenantId,
        checked_at: status.checkedAt,
        checked_by: checkedBy,
        data_json: JSON.stringify(status),
      })
      .onConflict((oc) =>
        oc
          .column("tenant_id")
          .doUpdateSet((eb) => ({
            checked_at: eb.ref("excluded.checked_at"),
            checked_by: eb.ref("excluded.checked_by"),
            data_json: eb.ref("excluded.data_json"),
          }))
          .where((eb) => eb("excluded.checked_at", ">=", eb.ref("status_snapshots.checked_at"))),
      )
      .execute();
  }

  // ---- alerts -----------------------------------------------------------------------------

  /** Newest first. */
  async alerts(limit = 200): Promise<StoredAlert[]> {
    const rows = await this.k
      .selectFrom("alerts")
      .selectAll()
      .where("tenant_id", "=", this.tenantId)
      .orderBy(sql`CASE state WHEN 'open' THEN 0 ELSE 1 END`)
      .orderBy("updated_at", "desc")
      .orderBy("since", "desc")
      .limit(limit)
      .execute();
    return rows.map(toAlert);
  }

  async openAlerts(): Promise<StoredAlert[]> {
    const rows = await this.k
      .selectFrom("alerts")
      .selectAll()
      .where("tenant_id", "=", this.tenantId)
      .where("state", "=", "open")
      .execute();
    return rows.map(toAlert);
  }

  async getAlert(id: string): Promise<StoredAlert | undefined> {
    const r = await this.k
      .selectFrom("alerts")
      .selectAll()
      .where("tenant_id", "=", this.tenantId)
      .where("id", "=", id)
      .executeTakeFirst();
    return r ? toAlert(r) : undefined;
  }

  /** A new open alert; undefined when one is already open for the problem (the partial unique index). */
  async raise(content: AlertContent, at: string, deepLink: string): Promise<StoredAlert | undefined> {
    const id = randomUUID();
    const r = await this.k
      .insertInto("alerts")
      .values({
        tenant_id: this.tenantId,
        id,
        problem_key: content.key,
        code: content.code,
        state: "open",
        title: content.title,
        text: content.text,
        action: content.action,
        since: content.since,
        updated_at: at,
        resolved_at: null,
        deep_link: deepLink,
        fingerprint: content.fingerprint,
        notified_json: "[]",
      })
      // No conflict target: the one that can refuse is the partial index of open alerts, and both
      // dialects skip a row any unique index refuses.
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    await this.pruneHistory();
    return changed(r) === 1 ? this.getAlert(id) : undefined;
  }

  /** Updates an open alert's words (its `since` stays the first sighting's). */
  async update(id: string, content: AlertContent, at: string): Promise<void> {
    await this.k
      .updateTable("alerts")
      .set({
        title: content.title,
        text: content.text,
        action: content.action,
        fingerprint: content.fingerprint,
        updated_at: at,
      })
      .where("tenant_id", "=", this.tenantId)
      .where("id", "=", id)
      .where("state", "=", "open")
      .execute();
  }

  async resolve(id: string, at: string): Promise<boolean> {
    const r = await this.k
      .updateTable("alerts")
      .set({ state: "resolved", resolved_at: at, updated_at: at })
      .where("tenant_id", "=", this.tenantId)
      .where("id", "=", id)
      .where("state", "=", "open")
      .executeTakeFirst();
    return changed(r) === 1;
  }

  /**
   * Records who was told: the list is rewritten only if it is still the one read (another
   * instance's notifier may add to it at the same time), else read again.
   */
  async addNotified(id: string, entries: readonly AlertNotification[]): Promise<void> {
    if (entries.length === 0) return;
    for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
      const r = await this.k
        .selectFrom("alerts")
        .select("notified_json")
        .where("tenant_id", "=", this.tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      if (!r) return;
      const list = [...(JSON.parse(r.notified_json) as AlertNotification[]), ...entries];
      const u = await this.k
        .updateTable("alerts")
        .set({ notified_json: JSON.stringify(list) })
        .where("tenant_id", "=", this.tenantId)
        .where("id", "=", id)
        .where("notified_json", "=", r.notified_json)
        .executeTakeFirst();
      if (changed(u) === 1) return;
    }
    throw new Error("the alert's notification list kept changing: notifications not recorded");
  }

  private async pruneHistory(): Promise<void> {
    await this.k
      .deleteFrom("alerts")
      .where("tenant_id", "=", this.tenantId)
      .where("state", "=", "resolved")
      .where("id", "not in", (eb) =>
        eb
          .selectFrom("alerts")
          .select("id")
          .where("tenant_id", "=", this.tenantId)
          .orderBy("updated_at", "desc")
          .limit(ALERT_HISTORY),
      )
      .execute();
  }
}

/** The scheduler's view across tenants: which watched tenants are due, each claimed by one worker. */
export class MonitorSchedule implements MonitorScheduleStore {
  private readonly db: StoreDb;

  constructor(db: DbLike) {
    this.db = toStoreDb(db);
  }

  forTenant(tenantId: string): MonitorTenantStore {
    if (!/^[0-9a-f-]{36}$/.test(tenantId)) throw new Error("forTenant needs a tenant id (lower-case GUID)");
    return new MonitorTenantStore(this.db, tenantId);
  }

  /**
   * Leases up to `limit` watched tenants whose check is due and whose lease (if any) ran out, in one
   * statement, so two workers never get the same tenant: atomic in SQLite; in PostgreSQL the
   * candidates are row-locked (SKIP LOCKED: another worker's candidates are left to it) and the
   * outer WHERE repeats the conditions, which PostgreSQL re-checks on a row another claim changed.
   * Returns the tenant ids with their interval.
   */
  async claimDue(
    owner: string,
    nowMs: number,
    leaseMs: number,
    limit: number,
  ): Promise<{ tenantId: string; intervalMinutes: number }[]> {
    if (limit <= 0) return [];
    const k = this.db.kysely;
    const postgres = this.db.dialect === "postgres";
    return (
      k
        .updateTable("monitor_settings")
        // next_check_ms moves to the lease's end too: if this worker dies, the tenant is due again then.
        .set({ lease_owner: owner, lease_until_ms: nowMs + leaseMs, next_check_ms: nowMs + leaseMs })
        .where("tenant_id", "in", (eb) =>
          eb
            .selectFrom("monitor_settings")
            .select("tenant_id")
            .where("watching", "=", 1)
            .where("next_check_ms", "is not", null)
            .where("next_check_ms", "<=", nowMs)
            .where((w) => w.or([w("lease_until_ms", "is", null), w("lease_until_ms", "<=", nowMs)]))
            .orderBy("next_check_ms")
            .limit(limit)
            .$if(postgres, (qb) => qb.forUpdate().skipLocked()),
        )
        .where("watching", "=", 1)
        .where("next_check_ms", "<=", nowMs)
        .where((w) => w.or([w("lease_until_ms", "is", null), w("lease_until_ms", "<=", nowMs)]))
        .returning(["tenant_id as tenantId", "interval_minutes as intervalMinutes"])
        .execute()
    );
  }

  /** Gives back the leases `owner` holds (graceful shutdown: another instance may check them at once). */
  async releaseAll(owner: string, nowMs: number): Promise<void> {
    await this.db.kysely
      .updateTable("monitor_settings")
      .set({ lease_owner: null, lease_until_ms: null, next_check_ms: nowMs })
      .where("lease_owner", "=", owner)
      .execute();
  }

  /** When the next watched tenant is due (null: none is watched). */
  async nextDueMs(): Promise<number | null> {
    const r = await this.db.kysely
      .selectFrom("monitor_settings")
      .select((eb) => eb.fn.min<number | null>("next_check_ms").as("next"))
      .where("watching", "=", 1)
      .executeTakeFirst();
    return r?.next ?? null;
  }
}
