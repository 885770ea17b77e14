import { chmodSync, closeSync, mkdirSync, openSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";

/**
 * The backend's SQLite database (better-sqlite3 12, WAL) in the data folder. Schema changes are
 * numbered migrations applied in order inside a transaction; schema_version records the last one.
 * Every table has tenant_id, and every query in TenantStore filters by it.
 *
 * Why a numbered migrator of our own and not Kysely's Migrator: databases in use are at
 * schema_version 1..5 already and migrate forward with nothing to bridge; opening the SQLite file
 * stays synchronous (the CLI and tests open it in one call); and the DDL differs per dialect anyway
 * (AUTOINCREMENT vs identity, INTEGER vs BIGINT), so each migration is plain SQL per dialect:
 * MIGRATIONS here, PG_MIGRATIONS in postgres.ts, same numbers, same schema_version table. Kysely's
 * Migrator would add its own two tables and lock next to schema_version.
 */
export type Db = Database.Database;

/** The schema changes in order (exported so tests can build an older database). */
export const MIGRATIONS: readonly string[] = [
  // 1: the initial schema
  `
  CREATE TABLE runs (
    tenant_id TEXT NOT NULL,
    id TEXT NOT NULL PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('running','succeeded','failed')),
    started_by TEXT NOT NULL,
    started_by_oid TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    desired_json TEXT NOT NULL,
    plan_hash TEXT NOT NULL,
    resumes INTEGER NOT NULL DEFAULT 0
  );
  CREATE UNIQUE INDEX runs_one_active_per_tenant ON runs(tenant_id) WHERE state = 'running';
  CREATE INDEX runs_by_tenant ON runs(tenant_id, started_at);

  CREATE TABLE run_actions (
    tenant_id TEXT NOT NULL,
    run_id TEXT NOT NULL REFERENCES runs(id),
    action_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    cmdlet TEXT NOT NULL,
    parameters_json TEXT NOT NULL,
    depends_on_json TEXT NOT NULL,
    reason TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending','running','succeeded','failed','skipped')),
    attempts INTEGER NOT NULL DEFAULT 0,
    error_code TEXT,
    error_message TEXT,
    started_at TEXT,
    finished_at TEXT,
    PRIMARY KEY (run_id, action_id)
  );
  CREATE INDEX run_actions_by_tenant ON run_actions(tenant_id, run_id);

  CREATE TABLE events (
    tenant_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    type TEXT NOT NULL,
    data_json TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
  );
  CREATE INDEX events_by_tenant ON events(tenant_id, run_id);

  CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id TEXT NOT NULL,
    at TEXT NOT NULL,
    by_upn TEXT NOT NULL,
    cmdlet TEXT NOT NULL,
    parameters_json TEXT NOT NULL,
    outcome TEXT NOT NULL,
    run_id TEXT,
    attempt INTEGER NOT NULL DEFAULT 1,
    error_code TEXT,
    message TEXT
  );
  CREATE INDEX audit_by_tenant ON audit(tenant_id, id);

  CREATE TABLE progress (
    tenant_id TEXT NOT NULL PRIMARY KEY,
    draft_json TEXT,
    steps_json TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_by TEXT,
    updated_at TEXT,
    history_json TEXT NOT NULL
  );

  CREATE TABLE connector_validations (
    tenant_id TEXT NOT NULL,
    id TEXT NOT NULL PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('running','succeeded','failed')),
    requested_by TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    results_json TEXT NOT NULL
  );
  CREATE INDEX connector_validations_by_tenant ON connector_validations(tenant_id, started_at);

  CREATE TABLE trace_cache (
    tenant_id TEXT NOT NULL,
    key TEXT NOT NULL,
    as_of TEXT NOT NULL,
    data_json TEXT NOT NULL,
    PRIMARY KEY (tenant_id, key)
  );
  `,
  // 2: undo. Each action keeps the values it found before it ran (null in rows written before this
  // migration: those runs' value changes cannot be undone, and the undo plan says so); an undo run
  // names the run it undoes (null for desired-state runs).
  `
  ALTER TABLE run_actions ADD COLUMN before_json TEXT;
  ALTER TABLE runs ADD COLUMN undo_of TEXT;
  `,
  // 3: the monitor (issue 14). Times the scheduler compares are epoch milliseconds. A check is
  // claimed by a lease (owner + until) taken in one UPDATE, so no tenant is checked twice at once,
  // by this process or another instance sharing the database, and a crash only delays it until the
  // lease runs out. At most one open alert per problem (the partial unique index). New tables only
  // (IF NOT EXISTS), so a database rebuilt from a newer schema's tables still migrates.
  `
  CREATE TABLE IF NOT EXISTS monitor_settings (
    tenant_id TEXT NOT NULL PRIMARY KEY,
    watching INTEGER NOT NULL DEFAULT 0,
    interval_minutes INTEGER NOT NULL,
    recipients_json TEXT NOT NULL,
    channel_json TEXT,
    enabled_by TEXT,
    enabled_at TEXT,
    next_check_ms INTEGER,
    lease_owner TEXT,
    lease_until_ms INTEGER,
    last_checked_at TEXT,
    last_error TEXT
  );
  CREATE INDEX IF NOT EXISTS monitor_settings_due ON monitor_settings(next_check_ms) WHERE watching = 1;

  CREATE TABLE IF NOT EXISTS status_snapshots (
    tenant_id TEXT NOT NULL PRIMARY KEY,
    checked_at TEXT NOT NULL,
    checked_by TEXT NOT NULL CHECK (checked_by IN ('monitor','pane','cli')),
    data_json TEXT NOT NULL
  );

  CREATE TABLE IF NOT EXISTS alerts (
    tenant_id TEXT NOT NULL,
    id TEXT NOT NULL PRIMARY KEY,
    problem_key TEXT NOT NULL,
    code TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open','resolved')),
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    action TEXT NOT NULL,
    since TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    resolved_at TEXT,
    deep_link TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    notified_json TEXT NOT NULL
  );
  CREATE UNIQUE INDEX IF NOT EXISTS alerts_one_open_per_problem ON alerts(tenant_id, problem_key) WHERE state = 'open';
  CREATE INDEX IF NOT EXISTS alerts_by_tenant ON alerts(tenant_id, updated_at);
  `,
  // 4: mail-flow tests (issue 15): one row per test, its per-region results as JSON.
  `
  CREATE TABLE mailflow_tests (
    tenant_id TEXT NOT NULL,
    id TEXT NOT NULL PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('running','passed','failed')),
    started_by TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    recipient TEXT NOT NULL,
    regions_json TEXT NOT NULL
  );
  CREATE INDEX mailflow_tests_by_tenant ON mailflow_tests(tenant_id, started_at);
  `,
  // 5: who exactly, from where: the caller's object id and client address on each audit row (null
  // on rows written before, and for app-only runs of the command line, which have no client).
  `
  ALTER TABLE audit ADD COLUMN by_oid TEXT;
  ALTER TABLE audit ADD COLUMN client_address TEXT;
  `,
  // 6: run leases (issue 16): the instance executing a running run and until when (epoch ms). It is
  // taken and renewed by conditional UPDATEs (TenantStore.claimRun / renewRunLease); when its owner
  // stops renewing, another instance's takeover sweep (Store.expiredRunningRuns) claims the run.
  `
  ALTER TABLE runs ADD COLUMN lease_owner TEXT;
  ALTER TABLE runs ADD COLUMN lease_until_ms INTEGER;
  CREATE INDEX runs_running_by_lease ON runs(lease_until_ms) WHERE state = 'running';
  `,
  // 7: retention (issue 16 §3): the prune job finds expired rows by age across tenants.
  `
  CREATE INDEX runs_finished ON runs(finished_at) WHERE state <> 'running';
  CREATE INDEX audit_by_at ON audit(at);
  CREATE INDEX mailflow_tests_finished ON mailflow_tests(finished_at) WHERE state <> 'running';
  CREATE INDEX alerts_resolved ON alerts(resolved_at) WHERE state = 'resolved';
  CREATE INDEX connector_validations_finished ON connector_validations(finished_at) WHERE state <> 'running';
  `,
  // 8: shared reads across instances (issue 16 §2): one instance reads a tenant for everyone asking at
  // once; the row says which and until when (epoch ms), its result goes to trace_cache.
  `
  CREATE TABLE flights (
    tenant_id TEXT NOT NULL,
    key TEXT NOT NULL,
    owner TEXT NOT NULL,
    until_ms INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, key)
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function openDatabase(dataDir: string, fileName = "journaling-assistant.sqlite"): Db {
  const dir = resolve(dataDir);
  // Runs, the audit and cached traces name a tenant's people: only the backend's own user reads them.
  // SQLite gives its -wal and -shm files the database file's permissions.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = join(dir, fileName);
  closeSync(openSync(file, "a", 0o600));
  chmodSync(file, 0o600);
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  migrate(db);
  return db;
}

export function migrate(db: Db): number {
  db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  const row = db.prepare("SELECT version FROM schema_version").get() as { version: number } | undefined;
  let version = row?.version ?? 0;
  if (version > MIGRATIONS.length) {
    throw new Error(
      `the database schema is version ${version}, newer than this program knows (${MIGRATIONS.length}); upgrade the backend`,
    );
  }
  const apply = db.transaction((from: number) => {
    for (let v = from; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v] as string);
    db.prepare("DELETE FROM schema_version").run();
    db.prepare("INSERT INTO schema_version (version) VALUES (?)").run(MIGRATIONS.length);
  });
  if (version < MIGRATIONS.length) {
    apply(version);
    version = MIGRATIONS.length;
  }
  return version;
}
