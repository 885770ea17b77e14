import { sql, type Kysely, type Selectable, type Transaction, type Updateable } from "kysely";
import type {
  ActionError,
  ActionState,
  AuditEntry,
  ConnectorValidation,
  ConnectorValidationResult,
  ExchangeErrorCode,
  ProgressDocument,
  RunEventData,
  RunEventType,
  RunState,
} from "../../core/contract";
import { recordProgressChange } from "../tenant/progressChange";
import {
  changed,
  insertionOrder,
  isUniqueViolation,
  toStoreDb,
  type DbLike,
  type Dialect,
  type StoreDb,
} from "./connection";
import { pruneExpired, type PruneCounts, type RetentionCutoffs } from "./prune";
import type { Database, RunActionsTable, RunsTable } from "./schema";

/**
 * Data access for ONE tenant. The only way to reach the tables is `store.forTenant(tenantId)`
 * with the tenant id of a validated token, and every statement here binds that id in its WHERE
 * clause (or its INSERT), so one tenant's caller cannot read or change another tenant's rows even
 * by guessing ids. What the API shows (audit entries, progress, validations, run events) is stored
 * in the contract's shapes (src/core/contract); runs and actions keep a few server-only fields more.
 *
 * One implementation for SQLite and PostgreSQL, written with Kysely (why: connection.ts). Writes
 * that read first (progress, event numbers) are safe with several instances on one database:
 * they write only if what they read is still there (a version, a free sequence number) and retry.
 */
export interface RunRecord {
  readonly id: string;
  readonly state: RunState;
  readonly startedBy: string;
  readonly startedByOid: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly desired: unknown;
  readonly planHash: string;
  readonly resumes: number;
  /** An undo run: the id of the run it undoes (its plan is re-computed from that run on resume). */
  readonly undoOf?: string | null;
  /** The instance executing the run and until when (epoch ms): see claimRun. Null when nobody holds it. */
  readonly leaseOwner?: string | null;
  readonly leaseUntilMs?: number | null;
}

export interface ActionRecord {
  readonly id: string;
  readonly seq: number;
  readonly cmdlet: string;
  readonly parameters: Record<string, unknown>;
  readonly dependsOn: string[];
  readonly reason: string;
  readonly state: ActionState;
  readonly attempts: number;
  readonly error: ActionError | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** What the action found before it ran (the observed values it changes), for undo; null when unknown. */
  readonly before: Record<string, unknown> | null;
}

export type NewAction = Pick<ActionRecord, "id" | "cmdlet" | "parameters" | "dependsOn" | "reason"> & {
  readonly before?: Record<string, unknown> | null;
};

/** A new run: its record, and optionally the lease its creator takes at once (no other instance can take it). */
export type NewRun = Omit<RunRecord, "state" | "finishedAt" | "resumes" | "leaseOwner" | "leaseUntilMs"> & {
  readonly lease?: { readonly owner: string; readonly untilMs: number };
};

/** A stored run event: its sequence number in the run (the SSE id), its type and its data. */
export type EventRecord = {
  readonly [T in RunEventType]: { readonly seq: number; readonly type: T; readonly data: RunEventData<T> };
}[RunEventType];

/** Another run of this tenant is running (the unique index on running runs refused the insert). */
export class RunInProgressError extends Error {
  readonly code = "run_in_progress";
  constructor() {
    super("a run is already in progress for this tenant");
    this.name = "RunInProgressError";
  }
}

// ---- the store's concerns, one interface each (TenantStore implements them all) ---------------

export type ActionPatch = {
  state: ActionState;
  attempts?: number;
  error?: ActionError | null;
  startedAt?: string;
  finishedAt?: string;
  parameters?: Record<string, unknown>;
  dependsOn?: readonly string[];
  before?: Record<string, unknown> | null;
};

/** Runs and their actions, and the lease that says which instance executes a running run. */
export interface RunsStore {
  createRun(run: NewRun, actions: readonly NewAction[]): Promise<void>;
  getRun(id: string): Promise<RunRecord | undefined>;
  activeRun(): Promise<RunRecord | undefined>;
  lastSucceededRun(): Promise<RunRecord | undefined>;
  finishRun(id: string, state: "succeeded" | "failed", at: string): Promise<void>;
  markResumed(id: string): Promise<void>;
  actions(runId: string): Promise<ActionRecord[]>;
  updateAction(runId: string, actionId: string, patch: ActionPatch): Promise<void>;
  claimRun(runId: string, owner: string, untilMs: number, nowMs?: number): Promise<boolean>;
  renewRunLease(runId: string, owner: string, untilMs: number): Promise<boolean>;
  releaseRunLease(runId: string, owner: string): Promise<void>;
}

export interface EventsStore {
  appendEvent<T extends RunEventType>(runId: string, type: T, data: RunEventData<T>): Promise<EventRecord>;
  events(runId: string, afterSeq?: number): Promise<EventRecord[]>;
}

export type AuditInput = AuditEntry & { readonly byOid?: string; readonly clientAddress?: string };

export interface AuditStore {
  addAudit(entry: AuditInput): Promise<void>;
  audit(limit?: number, runId?: string): Promise<AuditEntry[]>;
}

export type ProgressInput = { draft: unknown; steps: ProgressDocument["steps"]; by: string; at: string; what: string };

export interface ProgressStore {
  getProgress(): Promise<ProgressDocument>;
  putProgress(expectedVersion: number, next: ProgressInput): Promise<ProgressDocument | undefined>;
  addProgressHistory(entry: { at: string; by: string; what: string }): Promise<void>;
}

export interface ValidationsStore {
  createValidation(v: Pick<ConnectorValidation, "id" | "requestedBy" | "startedAt">): Promise<void>;
  finishValidation(
    id: string,
    state: "succeeded" | "failed",
    results: readonly ConnectorValidationResult[],
    at: string,
  ): Promise<void>;
  getValidation(id: string): Promise<ConnectorValidation | undefined>;
  lastFinishedValidation(): Promise<ConnectorValidation | undefined>;
  failStaleValidations(at: string): Promise<void>;
}

export interface TraceCacheStore {
  getTrace(key: string): Promise<{ asOf: string; data: unknown } | undefined>;
  putTrace(key: string, asOf: string, data: unknown): Promise<void>;
  /** Takes the read named `key` for `owner` until `untilMs` unless another owner holds it (one wins). */
  claimFlight(key: string, owner: string, untilMs: number, nowMs: number): Promise<boolean>;
  /** Ends `owner`'s read (its result is in the trace cache, or it failed). */
  endFlight(key: string, owner: string): Promise<void>;
  /** Whether another owner's read of `key` is still under way at `nowMs`. */
  flightUnderWay(key: string, nowMs: number): Promise<boolean>;
}

/** Across tenants (the one place without a tenant id): the takeover sweep and retention. */
export interface StoreMaintenance {
  expiredRunningRuns(nowMs: number, limit: number): Promise<{ tenantId: string; runId: string }[]>;
  prune(cutoffs: RetentionCutoffs): Promise<PruneCounts>;
}

const HISTORY_LIMIT = 200;
/** Concurrent writers of one row (other instances, parallel actions): tries before giving up. */
const WRITE_ATTEMPTS = 20;

type RunRow = Selectable<RunsTable>;
type ActionRow = Selectable<RunActionsTable>;

function toRun(r: RunRow): RunRecord {
  return {
    id: r.id,
    state: r.state,
    startedBy: r.started_by,
    startedByOid: r.started_by_oid,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    desired: JSON.parse(r.desired_json) as unknown,
    planHash: r.plan_hash,
    resumes: r.resumes,
    undoOf: r.undo_of ?? null,
    leaseOwner: r.lease_owner ?? null,
    leaseUntilMs: r.lease_until_ms ?? null,
  };
}

function toAction(r: ActionRow): ActionRecord {
  return {
    id: r.action_id,
    seq: r.seq,
    cmdlet: r.cmdlet,
    parameters: JSON.parse(r.parameters_json) as Record<string, unknown>,
    dependsOn: JSON.parse(r.depends_on_json) as string[],
    reason: r.reason,
    state: r.state,
    attempts: r.attempts,
    error: r.error_code === null ? null : { code: r.error_code as ActionError["code"], message: r.error_message ?? "" },
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    before: r.before_json ? (JSON.parse(r.before_json) as Record<string, unknown>) : null,
  };
}

const TENANT_ID = /^[0-9a-f-]{36}$/;

export class Store implements StoreMaintenance {
  readonly db: StoreDb;

  /** An open SQLite file (openDatabase) or a StoreDb (openStore: SQLite or PostgreSQL). */
  constructor(db: DbLike) {
    this.db = toStoreDb(db);
  }

  get dialect(): Dialect {
    return this.db.dialect;
  }

  forTenant(tenantId: string): TenantStore {
    if (!TENANT_ID.test(tenantId)) throw new Error("forTenant needs a tenant id (lower-case GUID)");
    return new TenantStore(this.db, tenantId);
  }

  /**
   * Running runs nobody holds (no lease, or it ran out at `nowMs`): the takeover sweep's work list,
   * across tenants (each is then claimed and resumed through its tenant's own store). Runs without a
   * lease are runs of a version before leases or handed over on shutdown. In random order: runs the
   * sweep cannot take (their tenant has no app-only identity) must not hide the others behind them.
   */
  async expiredRunningRuns(nowMs: number, limit: number): Promise<{ tenantId: string; runId: string }[]> {
    if (limit <= 0) return [];
    return this.db.kysely
      .selectFrom("runs")
      .select(["tenant_id as tenantId", "id as runId"])
      .where("state", "=", "running")
      .where((eb) => eb.or([eb("lease_owner", "is", null), eb("lease_until_ms", "<=", nowMs)]))
      .orderBy(sql`random()`)
      .limit(limit)
      .execute();
  }

  /** Deletes what is older than the retention cutoffs (never a running run): see prune.ts. */
  prune(cutoffs: RetentionCutoffs): Promise<PruneCounts> {
    return pruneExpired(this.db, cutoffs);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

export class TenantStore
  implements RunsStore, EventsStore, AuditStore, ProgressStore, ValidationsStore, TraceCacheStore
{
  private readonly k: Kysely<Database>;
  private readonly dialect: Dialect;

  constructor(
    db: DbLike,
    readonly tenantId: string,
  ) {
    const handle = toStoreDb(db);
    this.k = handle.kysely;
    this.dialect = handle.dialect;
  }

  // ---- runs -------------------------------------------------------------------------------

  /** Inserts a running run and its actions in one transaction; RunInProgressError if one is running. */
  async createRun(run: NewRun, actions: readonly NewAction[]): Promise<void> {
    try {
      await this.k.transaction().execute(async (trx) => {
        await trx
          .insertInto("runs")
          .values({
            tenant_id: this.tenantId,
            id: run.id,
            state: "running",
            started_by: run.startedBy,
            started_by_oid: run.startedByOid,
            started_at: run.startedAt,
            desired_json: JSON.stringify(run.desired),
            plan_hash: run.planHash,
            undo_of: run.undoOf ?? null,
            lease_owner: run.lease?.owner ?? null,
            lease_until_ms: run.lease?.untilMs ?? null,
          })
          .execute();
        await this.insertActions(trx, run.id, actions, 0);
      });
    } catch (err) {
      if (isUniqueViolation(err, "runs_one_active_per_tenant")) throw new RunInProgressError();
      throw err;
    }
  }

  private async insertActions(
    trx: Transaction<Database>,
    runId: string,
    actions: readonly NewAction[],
    firstSeq: number,
  ): Promise<void> {
    if (actions.length === 0) return;
    await trx
      .insertInto("run_actions")
      .values(
        actions.map((a, i) => ({
          tenant_id: this.tenantId,
          run_id: runId,
          action_id: a.id,
          seq: firstSeq + i,
          cmdlet: a.cmdlet,
          parameters_json: JSON.stringify(a.parameters),
          depends_on_json: JSON.stringify(a.dependsOn),
          reason: a.reason,
          state: "pending" as const,
          before_json: a.before ? JSON.stringify(a.before) : null,
        })),
      )
      .execute();
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const row = await this.k
      .selectFrom("runs")
      .selectAll()
      .where("tenant_id", "=", this.tenantId)
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? toRun(row) : undefined;
  }

  async activeRun(): Promise<RunRecord | undefined> {
    const row = await this.k
      .selectFrom("runs")
      .selectAll()
      .where("tenant_id", "=", this.tenantId)
      .where("state", "=", "running")
      .executeTakeFirst();
    return row ? toRun(row) : undefined;
  }

  async lastSucceededRun(): Promise<RunRecord | undefined> {
    const row = await this.k
      .selectFrom("runs")
      .selectAll()
      .where("tenant_id", "=", this.tenantId)
      .where("state", "=", "succeeded")
      // An undo run restores an earlier state; it is not the setup's desired state.
      .where("undo_of", "is", null)
      .orderBy("finished_at", (ob) => ob.desc().nullsLast())
      .orderBy(insertionOrder(this.dialect), "desc")
      .limit(1)
      .executeTakeFirst();
    return row ? toRun(row) : undefined;
  }

  async finishRun(id: string, state: "succeeded" | "failed", at: string): Promise<void> {
    await this.k
      .updateTable("runs")
      // A finished run is nobody's to execute any more.
      .set({ state, finished_at: at, lease_owner: null, lease_until_ms: null })
      .where("tenant_id", "=", this.tenantId)
      .where("id", "=", id)
      .where("state", "=", "running")
      .execute();
  }

  async markResumed(id: string): Promise<void> {
    await this.k
      .updateTable("runs")
      .set((eb) => ({ resumes: eb("resumes", "+", 1) }))
      .where("tenant_id", "=", this.tenantId)
      .where("id", "=", id)
      .execute();
  }

  async actions(runId: string): Promise<ActionRecord[]> {
    const rows = await this.k
      .selectFrom("run_actions")
      .selectAll()
      .where("tenant_id", "=", this.tenantId)
      .where("run_id", "=", runId)
      .orderBy("seq")
      .execute();
    return rows.map(toAction);
  }

  async updateAction(runId: string, actionId: string, patch: ActionPatch): Promise<void> {
    const set: Updateable<RunActionsTable> = { state: patch.state };
    if (patch.attempts !== undefined) set.attempts = patch.attempts;
    if (patch.error !== undefined) {
      set.error_code = patch.error?.code ?? null;
      set.error_message = patch.error?.message ?? null;
    }
    if (patch.startedAt !== undefined) set.started_at = patch.startedAt;
    if (patch.finishedAt !== undefined) set.finished_at = patch.finishedAt;
    if (patch.parameters !== undefined) set.parameters_json = JSON.stringify(patch.parameters);
    if (patch.before !== undefined) set.before_json = patch.before === null ? null : JSON.stringify(patch.before);
    if (patch.dependsOn !== undefined) set.depends_on_json = JSON.stringify(patch.dependsOn);
    await this.k
      .updateTable("run_actions")
      .set(set)
      .where("tenant_id", "=", this.tenantId)
      .where("run_id", "=", runId)
      .where("action_id", "=", actionId)
      .execute();
  }

  /**
   * Takes the run's lease for `owner` until `untilMs` if nobody holds it or its holder let it run
   * out by `nowMs` (or `owner` holds it already): one conditional UPDATE, so of two instances
   * claiming at once exactly one gets it. False: someone else executes the run.
   */
  async claimRun(runId: string, owner: string, untilMs: number, nowMs: number = Date.now()): Promise<boolean> {
    const r = await this.k
      .updateTable("runs")
      .set({ lease_owner: owner, lease_until_ms: untilMs })
      .where("tenant_id", "=", this.tenantId)
      .where("id", "=", runId)
      .where("state", "=", "running")
      .where((eb) =>
        eb.or([eb("lease_owner", "is", null), eb("lease_until_ms", "<=", nowMs), eb("lease_owner", "=", owner)]),
      )
      .executeTakeFirst();
    return changed(r) === 1;
  }

  /** The heartbeat: moves the lease's end while `owner` still holds it; false when it was taken over. */
  async renewRunLease(runId: string, owner: string, untilMs: number): Promise<boolean> {
    const r = await this.k
      .updateTable("runs")
      .set({ lease_until_ms: untilMs })
      .where("tenant_id", "=", this.tenantId)
      .where("id", "=", runId)
      .where("state", "=", "running")
      .where("lease_owner", "=", owner)
      .executeTakeFirst();
    return changed(r) === 1;
  }

  /** Hands the run over (graceful shutdown): any instance may claim it at once. */
  async releaseRunLease(runId: string, owner: string): Promise<void> {
    await this.k
      .updateTable("runs")
      .set({ lease_owner: null, lease_until_ms: null })
      .where("tenant_id", "=", this.tenantId)
      .where("id", "=", runId)
      .where("lease_owner", "=", owner)
      .execute();
  }

  // ---- events -----------------------------------------------------------------------------

  /**
   * Appends with the run's next sequence number. Two writers may pick the same number (parallel
   * actions, or two instances); the primary key refuses the second, which takes the next one.
   */
  async appendEvent<T extends RunEventType>(runId: string, type: T, data: RunEventData<T>): Promise<EventRecord> {
    const json = JSON.stringify(data);
    for (let attempt = 1; ; attempt++) {
      try {
        const seq = await this.k.transaction().execute(async (trx) => {
          const row = await trx
            .selectFrom("events")
            .select((eb) => eb.fn.max<number | null>("seq").as("m"))
            .where("tenant_id", "=", this.tenantId)
            .where("run_id", "=", runId)
            .executeTakeFirst();
          const next = (row?.m ?? 0) + 1;
          await trx
            .insertInto("events")
            .values({ tenant_id: this.tenantId, run_id: runId, seq: next, type, data_json: json })
            .execute();
          return next;
        });
        return { seq, type, data } as EventRecord;
      } catch (err) {
        if (!isUniqueViolation(err) && !isPrimaryKeyViolation(err)) throw err;
        if (attempt >= WRITE_ATTEMPTS) throw err;
      }
    }
  }

  async events(runId: string, afterSeq = 0): Promise<EventRecord[]> {
    const rows = await this.k
      .selectFrom("events")
      .select(["seq", "type", "data_json"])
      .where("tenant_id", "=", this.tenantId)
      .where("run_id", "=", runId)
      .where("seq", ">", afterSeq)
      .orderBy("seq")
      .execute();
    return rows.map(
      (r) => ({ seq: r.seq, type: r.type, data: JSON.parse(r.data_json) as RunEventData }) as EventRecord,
    );
  }

  // ---- audit ------------------------------------------------------------------------------

  /** `byOid` and `clientAddress` are kept for the record (security review), not shown in GET /api/audit. */
  async addAudit(entry: AuditInput): Promise<void> {
    await this.k
      .insertInto("audit")
      .values({
        tenant_id: this.tenantId,
        at: entry.at,
        by_upn: entry.by,
        cmdlet: entry.cmdlet,
        parameters_json: JSON.stringify(entry.parameters),
        outcome: entry.outcome,
        run_id: entry.runId,
        attempt: entry.attempt,
        error_code: entry.error?.code ?? null,
        message: entry.error?.message ?? null,
        by_oid: entry.byOid ?? null,
        client_address: entry.clientAddress ?? null,
      })
      .execute();
  }

  async audit(limit = 500, runId?: string): Promise<AuditEntry[]> {
    const rows = await this.k
      .selectFrom("audit")
      .select(["at", "by_upn", "cmdlet", "parameters_json", "outcome", "run_id", "attempt", "error_code", "message"])
      .where("tenant_id", "=", this.tenantId)
      .$if(runId !== undefined, (qb) => qb.where("run_id", "=", runId ?? null))
      .orderBy("id", "desc")
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      at: r.at,
      by: r.by_upn,
      cmdlet: r.cmdlet,
      parameters: JSON.parse(r.parameters_json) as Record<string, unknown>,
      outcome: r.outcome,
      runId: r.run_id,
      attempt: r.attempt,
      ...(r.error_code !== null
        ? { error: { code: r.error_code as ExchangeErrorCode, message: r.message ?? "" } }
        : {}),
    }));
  }

  // ---- progress ---------------------------------------------------------------------------

  async getProgress(): Promise<ProgressDocument> {
    const row = await this.k
      .selectFrom("progress")
      .selectAll()
      .where("tenant_id", "=", this.tenantId)
      .executeTakeFirst();
    if (!row) return { draft: null, steps: {}, version: 0, updatedBy: null, updatedAt: null, history: [] };
    return {
      draft: row.draft_json === null ? null : (JSON.parse(row.draft_json) as unknown),
      steps: JSON.parse(row.steps_json) as ProgressDocument["steps"],
      version: row.version,
      updatedBy: row.updated_by,
      updatedAt: row.updated_at,
      history: JSON.parse(row.history_json) as ProgressDocument["history"],
    };
  }

  /**
   * Writes `record` only if the stored version is still `expected` (0: no record yet), in one
   * statement: whoever wrote first wins, on any instance. False when someone else wrote meanwhile.
   */
  private async writeProgressIf(expected: number, record: ProgressDocument): Promise<boolean> {
    const values = {
      draft_json: record.draft === null || record.draft === undefined ? null : JSON.stringify(record.draft),
      steps_json: JSON.stringify(record.steps),
      version: record.version,
      updated_by: record.updatedBy,
      updated_at: record.updatedAt,
      history_json: JSON.stringify(record.history),
    };
    if (expected === 0) {
      const r = await this.k
        .insertInto("progress")
        .values({ tenant_id: this.tenantId, ...values })
        .onConflict((oc) => oc.column("tenant_id").doNothing())
        .executeTakeFirst();
      return changed(r) === 1;
    }
    const r = await this.k
      .updateTable("progress")
      .set(values)
      .where("tenant_id", "=", this.tenantId)
      .where("version", "=", expected)
      .executeTakeFirst();
    return changed(r) === 1;
  }

  /** Writes the record if its version is still `expectedVersion`; undefined on a version conflict. */
  async putProgress(expectedVersion: number, next: ProgressInput): Promise<ProgressDocument | undefined> {
    const current = await this.getProgress();
    if (current.version !== expectedVersion) return undefined;
    // One entry per meaningful step: a sitting of draft edits by one person folds into one entry.
    const entry = { at: next.at, by: next.by, what: next.what };
    const history = recordProgressChange(current.history, current, next, entry).slice(-HISTORY_LIMIT);
    const record: ProgressDocument = {
      draft: next.draft,
      steps: next.steps,
      version: current.version + 1,
      updatedBy: next.by,
      updatedAt: next.at,
      history,
    };
    return (await this.writeProgressIf(expectedVersion, record)) ? record : undefined;
  }

  /**
   * Adds one entry to the shared history without touching the draft or the steps (something done
   * outside the wizard's draft, e.g. a mail-flow test); the version moves on so open panes reload.
   * Retries when a save came in between: the entry is added to whatever is current.
   */
  async addProgressHistory(entry: { at: string; by: string; what: string }): Promise<void> {
    for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
      const current = await this.getProgress();
      const record: ProgressDocument = {
        ...current,
        version: current.version + 1,
        updatedBy: entry.by,
        updatedAt: entry.at,
        history: [...current.history, entry].slice(-HISTORY_LIMIT),
      };
      if (await this.writeProgressIf(current.version, record)) return;
    }
    throw new Error("the progress record kept changing: history entry not added");
  }

  // ---- connector validations --------------------------------------------------------------

  async createValidation(v: Pick<ConnectorValidation, "id" | "requestedBy" | "startedAt">): Promise<void> {
    await this.k
      .insertInto("connector_validations")
      .values({
        tenant_id: this.tenantId,
        id: v.id,
        state: "running",
        requested_by: v.requestedBy,
        started_at: v.startedAt,
        results_json: "[]",
      })
      .execute();
  }

  async finishValidation(
    id: string,
    state: "succeeded" | "failed",
    results: readonly ConnectorValidationResult[],
    at: string,
  ): Promise<void> {
    await this.k
      .updateTable("connector_validations")
      .set({ state, results_json: JSON.stringify(results), finished_at: at })
      .where("tenant_id", "=", this.tenantId)
      .where("id", "=", id)
      .execute();
  }

  async getValidation(id: string): Promise<ConnectorValidation | undefined> {
    const row = await this.k
      .selectFrom("connector_validations")
      .selectAll()
      .where("tenant_id", "=", this.tenantId)
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? toValidation(row) : undefined;
  }

  async lastFinishedValidation(): Promise<ConnectorValidation | undefined> {
    const row = await this.k
      .selectFrom("connector_validations")
      .selectAll()
      .where("tenant_id", "=", this.tenantId)
      .where("state", "!=", "running")
      .orderBy("finished_at", (ob) => ob.desc().nullsLast())
      .orderBy(insertionOrder(this.dialect), "desc")
      .limit(1)
      .executeTakeFirst();
    return row ? toValidation(row) : undefined;
  }

  /** Validations left running by a crash are failed on start-up of their tenant's next use. */
  async failStaleValidations(at: string): Promise<void> {
    await this.k
      .updateTable("connector_validations")
      .set({ state: "failed", finished_at: at })
      .where("tenant_id", "=", this.tenantId)
      .where("state", "=", "running")
      .execute();
  }

  // ---- message trace cache ----------------------------------------------------------------

  async getTrace(key: string): Promise<{ asOf: string; data: unknown } | undefined> {
    const row = await this.k
      .selectFrom("trace_cache")
      .select(["as_of", "data_json"])
      .where("tenant_id", "=", this.tenantId)
      .where("key", "=", key)
      .executeTakeFirst();
    return row ? { asOf: row.as_of, data: JSON.parse(row.data_json) as unknown } : undefined;
  }

  async putTrace(key: string, asOf: string, data: unknown): Promise<void> {
    await this.k
      .insertInto("trace_cache")
      .values({ tenant_id: this.tenantId, key, as_of: asOf, data_json: JSON.stringify(data) })
      .onConflict((oc) =>
        oc.columns(["tenant_id", "key"]).doUpdateSet((eb) => ({
          as_of: eb.ref("excluded.as_of"),
          data_json: eb.ref("excluded.data_json"),
        })),
      )
      .execute();
  }

  async claimFlight(key: string, owner: string, untilMs: number, nowMs: number): Promise<boolean> {
    // One statement: insert, or take over a row whose holder's time ran out; a live holder keeps it.
    const r = await this.k
      .insertInto("flights")
      .values({ tenant_id: this.tenantId, key, owner, until_ms: untilMs })
      .onConflict((oc) =>
        oc
          .columns(["tenant_id", "key"])
          .doUpdateSet((eb) => ({ owner: eb.ref("excluded.owner"), until_ms: eb.ref("excluded.until_ms") }))
          .where("flights.until_ms", "<=", nowMs),
      )
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  async endFlight(key: string, owner: string): Promise<void> {
    await this.k
      .deleteFrom("flights")
      .where("tenant_id", "=", this.tenantId)
      .where("key", "=", key)
      .where("owner", "=", owner)
      .execute();
  }

  async flightUnderWay(key: string, nowMs: number): Promise<boolean> {
    const row = await this.k
      .selectFrom("flights")
      .select("owner")
      .where("tenant_id", "=", this.tenantId)
      .where("key", "=", key)
      .where("until_ms", ">", nowMs)
      .executeTakeFirst();
    return row !== undefined;
  }
}

/** SQLite reports a primary key's refusal under its own code (the events' (run_id, seq)). */
function isPrimaryKeyViolation(err: unknown): boolean {
  return (err as { code?: unknown }).code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

function toValidation(r: Selectable<Database["connector_validations"]>): ConnectorValidation {
  return {
    id: r.id,
    state: r.state,
    requestedBy: r.requested_by,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    results: JSON.parse(r.results_json) as ConnectorValidationResult[],
  };
}
