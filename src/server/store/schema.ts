import type { ColumnType, Generated } from "kysely";

/**
 * The tables as Kysely sees them (one description for SQLite and PostgreSQL; the DDL per dialect is
 * in migrations.ts). JSON documents are TEXT in both dialects, so the same code reads and writes
 * them; timestamps shown to people are ISO-8601 TEXT (compared as text: "C" collation on
 * PostgreSQL), times the schedulers compare are epoch milliseconds (INTEGER / BIGINT, read back as
 * JS numbers on both).
 */
export interface Database {
  runs: RunsTable;
  run_actions: RunActionsTable;
  events: EventsTable;
  audit: AuditTable;
  progress: ProgressTable;
  connector_validations: ConnectorValidationsTable;
  trace_cache: TraceCacheTable;
  flights: FlightsTable;
  monitor_settings: MonitorSettingsTable;
  status_snapshots: StatusSnapshotsTable;
  alerts: AlertsTable;
  mailflow_tests: MailflowTestsTable;
  schema_version: { version: number };
}

/** A column the database fills in when the INSERT leaves it out. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface RunsTable {
  tenant_id: string;
  id: string;
  state: "running" | "succeeded" | "failed";
  started_by: string;
  started_by_oid: string;
  started_at: string;
  finished_at: Defaulted<string | null>;
  desired_json: string;
  plan_hash: string;
  resumes: Defaulted<number>;
  undo_of: Defaulted<string | null>;
  /** Migration 6: the instance executing the run and until when (epoch ms); null when nobody holds it. */
  lease_owner: Defaulted<string | null>;
  lease_until_ms: Defaulted<number | null>;
}

export interface RunActionsTable {
  tenant_id: string;
  run_id: string;
  action_id: string;
  seq: number;
  cmdlet: string;
  parameters_json: string;
  depends_on_json: string;
  reason: string;
  state: "pending" | "running" | "succeeded" | "failed" | "skipped";
  attempts: Defaulted<number>;
  error_code: Defaulted<string | null>;
  error_message: Defaulted<string | null>;
  started_at: Defaulted<string | null>;
  finished_at: Defaulted<string | null>;
  before_json: Defaulted<string | null>;
}

export interface EventsTable {
  tenant_id: string;
  run_id: string;
  seq: number;
  type: string;
  data_json: string;
}

export interface AuditTable {
  id: Generated<number>;
  tenant_id: string;
  at: string;
  by_upn: string;
  cmdlet: string;
  parameters_json: string;
  outcome: string;
  run_id: string | null;
  attempt: Defaulted<number>;
  error_code: string | null;
  message: string | null;
  by_oid: string | null;
  client_address: string | null;
}

export interface ProgressTable {
  tenant_id: string;
  draft_json: string | null;
  steps_json: string;
  version: number;
  updated_by: string | null;
  updated_at: string | null;
  history_json: string;
}

export interface ConnectorValidationsTable {
  tenant_id: string;
  id: string;
  state: "running" | "succeeded" | "failed";
  requested_by: string;
  started_at: string;
  finished_at: Defaulted<string | null>;
  results_json: string;
}

export interface TraceCacheTable {
  tenant_id: string;
  key: string;
  as_of: string;
  data_json: string;
}

/** A read one instance does for all (SharedFlight): who does it, until when (epoch ms). */
export interface FlightsTable {
  tenant_id: string;
  key: string;
  owner: string;
  until_ms: number;
}

export interface MonitorSettingsTable {
  tenant_id: string;
  /** 0 or 1 in both dialects (one code path for reads and the partial index). */
  watching: Defaulted<number>;
  interval_minutes: number;
  recipients_json: string;
  channel_json: string | null;
  enabled_by: string | null;
  enabled_at: string | null;
  next_check_ms: number | null;
  lease_owner: Defaulted<string | null>;
  lease_until_ms: Defaulted<number | null>;
  last_checked_at: Defaulted<string | null>;
  last_error: Defaulted<string | null>;
}

export interface StatusSnapshotsTable {
  tenant_id: string;
  checked_at: string;
  checked_by: "monitor" | "pane" | "cli";
  data_json: string;
}

export interface AlertsTable {
  tenant_id: string;
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

export interface MailflowTestsTable {
  tenant_id: string;
  id: string;
  state: "running" | "passed" | "failed";
  started_by: string;
  started_at: string;
  finished_at: string | null;
  recipient: string;
  regions_json: string;
}
