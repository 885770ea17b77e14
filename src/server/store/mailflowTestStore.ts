import type { MailFlowRegionResult, MailFlowTest } from "../../core/contract";
import type { Db } from "./db";

/**
 * Mail-flow tests (migration 4). Like TenantStore, every statement is bound to one tenant id, so a
 * test id from another tenant finds nothing.
 */
interface Row {
  id: string;
  state: MailFlowTest["state"];
  started_by: string;
  started_at: string;
  finished_at: string | null;
  recipient: string;
  regions_json: string;
}

function toTest(r: Row): MailFlowTest {
  return {
    id: r.id,
    state: r.state,
    startedBy: r.started_by,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    recipient: r.recipient,
    regions: JSON.parse(r.regions_json) as MailFlowRegionResult[],
  };
}

export class MailFlowTestStore {
  constructor(
    private readonly db: Db,
    private readonly tenantId: string,
  ) {}

  create(t: MailFlowTest): void {
    this.db
      .prepare(
        "INSERT INTO mailflow_tests (tenant_id, id, state, started_by, started_at, finished_at, recipient, regions_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .run(
        this.tenantId,
        t.id,
        t.state,
        t.startedBy,
        t.startedAt,
        t.finishedAt,
        t.recipient,
        JSON.stringify(t.regions),
      );
  }

  update(t: MailFlowTest): void {
    this.db
      .prepare("UPDATE mailflow_tests SET state = ?, finished_at = ?, regions_json = ? WHERE tenant_id = ? AND id = ?")
      .run(t.state, t.finishedAt, JSON.stringify(t.regions), this.tenantId, t.id);
  }

  get(id: string): MailFlowTest | undefined {
    const row = this.db
      .prepare("SELECT * FROM mailflow_tests WHERE tenant_id = ? AND id = ?")
      .get(this.tenantId, id) as Row | undefined;
    return row ? toTest(row) : undefined;
  }

  latest(): MailFlowTest | undefined {
    const row = this.db
      .prepare("SELECT * FROM mailflow_tests WHERE tenant_id = ? ORDER BY started_at DESC, rowid DESC LIMIT 1")
      .get(this.tenantId) as Row | undefined;
    return row ? toTest(row) : undefined;
  }

  /** Tests left running by a crash never finish: marked failed when the tenant is next served. */
  failStale(at: string): void {
    this.db
      .prepare("UPDATE mailflow_tests SET state = 'failed', finished_at = ? WHERE tenant_id = ? AND state = 'running'")
      .run(at, this.tenantId);
  }
}
