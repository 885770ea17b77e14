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
import type { Db } from "./db";

/**
 * Data access for ONE tenant. The only way to reach the tables is `store.forTenant(tenantId)`
 * with the tenant id of a validated token, and every statement here binds that id in its WHERE
 * clause (or its INSERT), so one tenant's caller cannot read or change another tenant's rows even
 * by guessing ids. What the API shows (audit entries, progress, validations, run events) is stored
 * in the contract's shapes (src/core/contract); runs and actions keep a few server-only fields more.
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

const HISTORY_LIMIT = 200;

interface RunRow {
  id: string;
  state: RunState;
  started_by: string;
  started_by_oid: string;
  started_at: string;
  finished_at: string | null;
  desired_json: string;
  plan_hash: string;
  resumes: number;
  undo_of?: string | null;
}

interface ActionRow {
  action_id: string;
  seq: number;
  cmdlet: string;
  parameters_json: string;
  depends_on_json: string;
  reason: string;
  state: ActionState;
  attempts: number;
  error_code: string | null;
  error_message: string | null;
  started_at: string | null;
  finished_at: string | null;
  before_json?: string | null;
}

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

export class Store {
  constructor(readonly db: Db) {}

  forTenant(tenantId: string): TenantStore {
    if (!/^[0-9a-f-]{36}$/.test(tenantId)) throw new Error("forTenant needs a tenant id (lower-case GUID)");
    return new TenantStore(this.db, tenantId);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export class TenantStore {
  constructor(
    private readonly db: Db,
    readonly tenantId: string,
  ) {}

  // ---- runs -------------------------------------------------------------------------------

  /** Inserts a running run and its actions in one transaction; RunInProgressError if one is running. */
  createRun(run: Omit<RunRecord, "state" | "finishedAt" | "resumes">, actions: readonly NewAction[]): void {
    const insert = this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO runs (tenant_id, id, state, started_by, started_by_oid, started_at, desired_json, plan_hash, undo_of)
           VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          this.tenantId,
          run.id,
          run.startedBy,
          run.startedByOid,
          run.startedAt,
          JSON.stringify(run.desired),
          run.planHash,
          run.undoOf ?? null,
        );
      this.insertActions(run.id, actions, 0);
    });
    try {
      insert();
    } catch (err) {
      if ((err as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") throw new RunInProgressError();
      throw err;
    }
  }

  private insertActions(runId: string, actions: readonly NewAction[], firstSeq: number): void {
    const stmt = this.db.prepare(
      `INSERT INTO run_actions (tenant_id, run_id, action_id, seq, cmdlet, parameters_json, depends_on_json, reason, state, before_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
    );
    actions.forEach((a, i) =>
      stmt.run(
        this.tenantId,
        runId,
        a.id,
        firstSeq + i,
        a.cmdlet,
        JSON.stringify(a.parameters),
        JSON.stringify(a.dependsOn),
        a.reason,
        a.before ? JSON.stringify(a.before) : null,
      ),
    );
  }

  getRun(id: string): RunRecord | undefined {
    const row = this.db.prepare("SELECT * FROM runs WHERE tenant_id = ? AND id = ?").get(this.tenantId, id) as
      RunRow | undefined;
    return row ? toRun(row) : undefined;
  }

  activeRun(): RunRecord | undefined {
    const row = this.db.prepare("SELECT * FROM runs WHERE tenant_id = ? AND state = 'running'").get(this.tenantId) as
      RunRow | undefined;
    return row ? toRun(row) : undefined;
  }

  lastSucceededRun(): RunRecord | undefined {
    const row = this.db
      .prepare(
        // An undo run restores an earlier state; it is not the setup's desired state.
        "SELECT * FROM runs WHERE tenant_id = ? AND state = 'succeeded' AND undo_of IS NULL ORDER BY finished_at DESC, rowid DESC LIMIT 1",
      )
      .get(this.tenantId) as RunRow | undefined;
    return row ? toRun(row) : undefined;
  }

  finishRun(id: string, state: "succeeded" | "failed", at: string): void {
    this.db
      .prepare("UPDATE runs SET state = ?, finished_at = ? WHERE tenant_id = ? AND id = ? AND state = 'running'")
      .run(state, at, this.tenantId, id);
  }

  markResumed(id: string): void {
    this.db.prepare("UPDATE runs SET resumes = resumes + 1 WHERE tenant_id = ? AND id = ?").run(this.tenantId, id);
  }

  actions(runId: string): ActionRecord[] {
    return (
      this.db
        .prepare("SELECT * FROM run_actions WHERE tenant_id = ? AND run_id = ? ORDER BY seq")
        .all(this.tenantId, runId) as ActionRow[]
    ).map(toAction);
  }

  updateAction(
    runId: string,
    actionId: string,
    patch: {
      state: ActionState;
      attempts?: number;
      error?: ActionError | null;
      startedAt?: string;
      finishedAt?: string;
      parameters?: Record<string, unknown>;
      dependsOn?: readonly string[];
      before?: Record<string, unknown> | null;
    },
  ): void {
    const sets = ["state = @state"];
    const values: Record<string, unknown> = { state: patch.state, tenant: this.tenantId, run: runId, action: actionId };
    if (patch.attempts !== undefined) {
      sets.push("attempts = @attempts");
      values.attempts = patch.attempts;
    }
    if (patch.error !== undefined) {
      sets.push("error_code = @errorCode", "error_message = @errorMessage");
      values.errorCode = patch.error?.code ?? null;
      values.errorMessage = patch.error?.message ?? null;
    }
    if (patch.startedAt !== undefined) {
      sets.push("started_at = @startedAt");
      values.startedAt = patch.startedAt;
    }
    if (patch.finishedAt !== undefined) {
      sets.push("finished_at = @finishedAt");
      values.finishedAt = patch.finishedAt;
    }
    if (patch.parameters !== undefined) {
      sets.push("parameters_json = @parameters");
      values.parameters = JSON.stringify(patch.parameters);
    }
    if (patch.before !== undefined) {
      sets.push("before_json = @before");
      values.before = patch.before === null ? null : JSON.stringify(patch.before);
    }
    if (patch.dependsOn !== undefined) {
      sets.push("depends_on_json = @dependsOn");
      values.dependsOn = JSON.stringify(patch.dependsOn);
    }
    this.db
      .prepare(
        `UPDATE run_actions SET ${sets.join(", ")} WHERE tenant_id = @tenant AND run_id = @run AND action_id = @action`,
      )
      .run(values);
  }

  /** Adds actions a re-plan found (resume); they run after the existing ones. */
  addActions(runId: string, actions: readonly NewAction[]): void {
    const max = this.db
      .prepare("SELECT COALESCE(MAX(seq), -1) AS m FROM run_actions WHERE tenant_id = ? AND run_id = ?")
      .get(this.tenantId, runId) as { m: number };
    this.db.transaction(() => this.insertActions(runId, actions, max.m + 1))();
  }

  // ---- events -----------------------------------------------------------------------------

  appendEvent<T extends RunEventType>(runId: string, type: T, data: RunEventData<T>): EventRecord {
    return this.db.transaction((): EventRecord => {
      const { m } = this.db
        .prepare("SELECT COALESCE(MAX(seq), 0) AS m FROM events WHERE tenant_id = ? AND run_id = ?")
        .get(this.tenantId, runId) as { m: number };
      const seq = m + 1;
      this.db
        .prepare("INSERT INTO events (tenant_id, run_id, seq, type, data_json) VALUES (?, ?, ?, ?, ?)")
        .run(this.tenantId, runId, seq, type, JSON.stringify(data));
      return { seq, type, data } as EventRecord;
    })();
  }

  events(runId: string, afterSeq = 0): EventRecord[] {
    return (
      this.db
        .prepare("SELECT seq, type, data_json FROM events WHERE tenant_id = ? AND run_id = ? AND seq > ? ORDER BY seq")
        .all(this.tenantId, runId, afterSeq) as { seq: number; type: string; data_json: string }[]
    ).map((r) => ({ seq: r.seq, type: r.type, data: JSON.parse(r.data_json) as RunEventData }) as EventRecord);
  }

  // ---- audit ------------------------------------------------------------------------------

  /** `byOid` and `clientAddress` are kept for the record (security review), not shown in GET /api/audit. */
  addAudit(entry: AuditEntry & { readonly byOid?: string; readonly clientAddress?: string }): void {
    this.db
      .prepare(
        `INSERT INTO audit (tenant_id, at, by_upn, cmdlet, parameters_json, outcome, run_id, attempt, error_code, message, by_oid, client_address)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        this.tenantId,
        entry.at,
        entry.by,
        entry.cmdlet,
        JSON.stringify(entry.parameters),
        entry.outcome,
        entry.runId,
        entry.attempt,
        entry.error?.code ?? null,
        entry.error?.message ?? null,
        entry.byOid ?? null,
        entry.clientAddress ?? null,
      );
  }

  audit(limit = 500, runId?: string): AuditEntry[] {
    const rows = (
      runId === undefined
        ? this.db.prepare("SELECT * FROM audit WHERE tenant_id = ? ORDER BY id DESC LIMIT ?").all(this.tenantId, limit)
        : this.db
            .prepare("SELECT * FROM audit WHERE tenant_id = ? AND run_id = ? ORDER BY id DESC LIMIT ?")
            .all(this.tenantId, runId, limit)
    ) as {
      at: string;
      by_upn: string;
      cmdlet: string;
      parameters_json: string;
      outcome: string;
      run_id: string | null;
      attempt: number;
      error_code: string | null;
      message: string | null;
    }[];
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

  getProgress(): ProgressDocument {
    const row = this.db.prepare("SELECT * FROM progress WHERE tenant_id = ?").get(this.tenantId) as
      | {
          draft_json: string | null;
          steps_json: string;
          version: number;
          updated_by: string | null;
          updated_at: string | null;
          history_json: string;
        }
      | undefined;
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

  /** Writes the record if its version is still `expectedVersion`; undefined on a version conflict. */
  putProgress(
    expectedVersion: number,
    next: { draft: unknown; steps: ProgressDocument["steps"]; by: string; at: string; what: string },
  ): ProgressDocument | undefined {
    return this.db.transaction((): ProgressDocument | undefined => {
      const current = this.getProgress();
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
      this.db
        .prepare(
          `INSERT INTO progress (tenant_id, draft_json, steps_json, version, updated_by, updated_at, history_json)
           VALUES (@tenant, @draft, @steps, @version, @by, @at, @history)
           ON CONFLICT(tenant_id) DO UPDATE SET draft_json = @draft, steps_json = @steps, version = @version,
             updated_by = @by, updated_at = @at, history_json = @history WHERE progress.tenant_id = @tenant`,
        )
        .run({
          tenant: this.tenantId,
          draft: record.draft === null || record.draft === undefined ? null : JSON.stringify(record.draft),
          steps: JSON.stringify(record.steps),
          version: record.version,
          by: next.by,
          at: next.at,
          history: JSON.stringify(history),
        });
      return record;
    })();
  }

  /**
   * Adds one entry to the shared history without touching the draft or the steps (something done
   * outside the wizard's draft, e.g. a mail-flow test); the version moves on so open panes reload.
   */
  addProgressHistory(entry: { at: string; by: string; what: string }): void {
    this.db.transaction(() => {
      const current = this.getProgress();
      const history = [...current.history, entry].slice(-HISTORY_LIMIT);
      this.db
        .prepare(
          `INSERT INTO progress (tenant_id, draft_json, steps_json, version, updated_by, updated_at, history_json)
           VALUES (@tenant, @draft, @steps, @version, @by, @at, @history)
           ON CONFLICT(tenant_id) DO UPDATE SET version = @version, updated_by = @by, updated_at = @at,
             history_json = @history WHERE progress.tenant_id = @tenant`,
        )
        .run({
          tenant: this.tenantId,
          draft: current.draft === null || current.draft === undefined ? null : JSON.stringify(current.draft),
          steps: JSON.stringify(current.steps),
          version: current.version + 1,
          by: entry.by,
          at: entry.at,
          history: JSON.stringify(history),
        });
    })();
  }

  // ---- connector validations --------------------------------------------------------------

  createValidation(v: Pick<ConnectorValidation, "id" | "requestedBy" | "startedAt">): void {
    this.db
      .prepare(
        "INSERT INTO connector_validations (tenant_id, id, state, requested_by, started_at, results_json) VALUES (?, ?, 'running', ?, ?, '[]')",
      )
      .run(this.tenantId, v.id, v.requestedBy, v.startedAt);
  }

  finishValidation(
    id: string,
    state: "succeeded" | "failed",
    results: readonly ConnectorValidationResult[],
    at: string,
  ): void {
    this.db
      .prepare(
        "UPDATE connector_validations SET state = ?, results_json = ?, finished_at = ? WHERE tenant_id = ? AND id = ?",
      )
      .run(state, JSON.stringify(results), at, this.tenantId, id);
  }

  getValidation(id: string): ConnectorValidation | undefined {
    const row = this.db
      .prepare("SELECT * FROM connector_validations WHERE tenant_id = ? AND id = ?")
      .get(this.tenantId, id) as ValidationRow | undefined;
    return row ? toValidation(row) : undefined;
  }

  lastFinishedValidation(): ConnectorValidation | undefined {
    const row = this.db
      .prepare(
        "SELECT * FROM connector_validations WHERE tenant_id = ? AND state != 'running' ORDER BY finished_at DESC, rowid DESC LIMIT 1",
      )
      .get(this.tenantId) as ValidationRow | undefined;
    return row ? toValidation(row) : undefined;
  }

  /** Validations left running by a crash are failed on start-up of their tenant's next use. */
  failStaleValidations(at: string): void {
    this.db
      .prepare(
        "UPDATE connector_validations SET state = 'failed', finished_at = ? WHERE tenant_id = ? AND state = 'running'",
      )
      .run(at, this.tenantId);
  }

  // ---- message trace cache ----------------------------------------------------------------

  getTrace(key: string): { asOf: string; data: unknown } | undefined {
    const row = this.db
      .prepare("SELECT as_of, data_json FROM trace_cache WHERE tenant_id = ? AND key = ?")
      .get(this.tenantId, key) as { as_of: string; data_json: string } | undefined;
    return row ? { asOf: row.as_of, data: JSON.parse(row.data_json) as unknown } : undefined;
  }

  putTrace(key: string, asOf: string, data: unknown): void {
    this.db
      .prepare(
        `INSERT INTO trace_cache (tenant_id, key, as_of, data_json) VALUES (?, ?, ?, ?)
         ON CONFLICT(tenant_id, key) DO UPDATE SET as_of = excluded.as_of, data_json = excluded.data_json`,
      )
      .run(this.tenantId, key, asOf, JSON.stringify(data));
  }
}

interface ValidationRow {
  id: string;
  state: ConnectorValidation["state"];
  requested_by: string;
  started_at: string;
  finished_at: string | null;
  results_json: string;
}

function toValidation(r: ValidationRow): ConnectorValidation {
  return {
    id: r.id,
    state: r.state,
    requestedBy: r.requested_by,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    results: JSON.parse(r.results_json) as ConnectorValidationResult[],
  };
}
