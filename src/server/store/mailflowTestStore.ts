import type { Kysely, Selectable } from "kysely";
import type { MailFlowRegionResult, MailFlowTest } from "../../core/contract";
import { insertionOrder, toStoreDb, type DbLike, type Dialect } from "./connection";
import type { Database, MailflowTestsTable } from "./schema";

/**
 * Mail-flow tests (migration 4). Like TenantStore, every statement is bound to one tenant id, so a
 * test id from another tenant finds nothing. One implementation for SQLite and PostgreSQL.
 */
export interface MailFlowTestsStore {
  create(t: MailFlowTest): Promise<void>;
  update(t: MailFlowTest): Promise<void>;
  get(id: string): Promise<MailFlowTest | undefined>;
  latest(): Promise<MailFlowTest | undefined>;
  failStale(at: string): Promise<void>;
}

function toTest(r: Selectable<MailflowTestsTable>): MailFlowTest {
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

export class MailFlowTestStore implements MailFlowTestsStore {
  private readonly k: Kysely<Database>;
  private readonly dialect: Dialect;

  constructor(
    db: DbLike,
    private readonly tenantId: string,
  ) {
    const handle = toStoreDb(db);
    this.k = handle.kysely;
    this.dialect = handle.dialect;
  }

  async create(t: MailFlowTest): Promise<void> {
    await this.k
      .insertInto("mailflow_tests")
      .values({
        tenant_id: this.tenantId,
        id: t.id,
        state: t.state,
        started_by: t.startedBy,
        started_at: t.startedAt,
        finished_at: t.finishedAt,
        recipient: t.recipient,
        regions_json: JSON.stringify(t.regions),
      })
      .execute();
  }

  async update(t: MailFlowTest): Promise<void> {
    await this.k
      .updateTable("mailflow_tests")
      .set({ state: t.state, finished_at: t.finishedAt, regions_json: JSON.stringify(t.regions) })
      .where("tenant_id", "=", this.tenantId)
      .where("id", "=", t.id)
      .execute();
  }

  async get(id: string): Promise<MailFlowTest | undefined> {
    const row = await this.k
      .selectFrom("mailflow_tests")
      .selectAll()
      .where("tenant_id", "=", this.tenantId)
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? toTest(row) : undefined;
  }

  async latest(): Promise<MailFlowTest | undefined> {
    const row = await this.k
      .selectFrom("mailflow_tests")
      .selectAll()
      .where("tenant_id", "=", this.tenantId)
      .orderBy("started_at", "desc")
      .orderBy(insertionOrder(this.dialect), "desc")
      .limit(1)
      .executeTakeFirst();
    return row ? toTest(row) : undefined;
  }

  /** Tests left running by a crash never finish: marked failed when the tenant is next served. */
  async failStale(at: string): Promise<void> {
    await this.k
      .updateTable("mailflow_tests")
      .set({ state: "failed", finished_at: at })
      .where("tenant_id", "=", this.tenantId)
      .where("state", "=", "running")
      .execute();
  }
}
