import type { Kysely } from "kysely";
import type { StoreDb } from "./connection";
import type { Database } from "./schema";

/**
 * Data retention (issue 16 §3): rows older than their cutoff are deleted, for every tenant alike.
 * Cutoffs are ISO-8601 times compared with the rows' own ISO timestamps (text order is time order).
 *
 * - runs: a finished run with its actions and events, by its finish time. Never a running run, and
 *   never a tenant's last succeeded setup run (not an undo): status and the monitor compare the
 *   tenant with that run's desired state, however old it is.
 * - connector validations: by finish time, with the runs' cutoff; a tenant's last one stays (the
 *   status shows it as evidence).
 * - audit: by the entry's time. Mail-flow tests: finished ones by finish time. Alerts: resolved
 *   ones by resolution time (open alerts stay however old).
 *
 * Deletions go in batches, so a first prune of a large database never holds a long lock. Runs are
 * deleted per tenant with the tenant id bound, like every other statement of the store; the other
 * tables are deleted by age alone, which is the same rule for every tenant.
 */
export interface RetentionCutoffs {
  readonly runsBefore?: string;
  readonly auditBefore?: string;
  readonly mailflowTestsBefore?: string;
  readonly alertsBefore?: string;
}

export interface PruneCounts {
  runs: number;
  validations: number;
  audit: number;
  mailflowTests: number;
  alerts: number;
}

const BATCH = 500;

export async function pruneExpired(db: StoreDb, cutoffs: RetentionCutoffs): Promise<PruneCounts> {
  const k = db.kysely;
  const counts: PruneCounts = { runs: 0, validations: 0, audit: 0, mailflowTests: 0, alerts: 0 };
  if (cutoffs.runsBefore !== undefined) {
    counts.runs = await pruneRuns(k, cutoffs.runsBefore);
    counts.validations = await pruneValidations(k, cutoffs.runsBefore);
  }
  if (cutoffs.auditBefore !== undefined) {
    const before = cutoffs.auditBefore;
    counts.audit = await inBatches(async () => {
      const r = await k
        .deleteFrom("audit")
        .where("id", "in", (eb) => eb.selectFrom("audit").select("id").where("at", "<", before).limit(BATCH))
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    });
  }
  if (cutoffs.mailflowTestsBefore !== undefined) {
    const before = cutoffs.mailflowTestsBefore;
    counts.mailflowTests = await inBatches(async () => {
      const r = await k
        .deleteFrom("mailflow_tests")
        .where("id", "in", (eb) =>
          eb
            .selectFrom("mailflow_tests")
            .select("id")
            .where("state", "!=", "running")
            .where("finished_at", "<", before)
            .limit(BATCH),
        )
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    });
  }
  if (cutoffs.alertsBefore !== undefined) {
    const before = cutoffs.alertsBefore;
    counts.alerts = await inBatches(async () => {
      const r = await k
        .deleteFrom("alerts")
        .where("id", "in", (eb) =>
          eb
            .selectFrom("alerts")
            .select("id")
            .where("state", "=", "resolved")
            .where("resolved_at", "<", before)
            .limit(BATCH),
        )
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    });
  }
  return counts;
}

async function inBatches(deleteBatch: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await deleteBatch();
    total += n;
    if (n < BATCH) return total;
  }
}

async function pruneRuns(k: Kysely<Database>, before: string): Promise<number> {
  let total = 0;
  for (;;) {
    const expired = await k
      .selectFrom("runs as r")
      .select(["r.tenant_id", "r.id"])
      .where("r.state", "!=", "running")
      .where("r.finished_at", "<", before)
      .where((eb) =>
        eb.or([
          eb("r.state", "!=", "succeeded"),
          eb("r.undo_of", "is not", null),
          // A later succeeded setup run of the same tenant: this one is no longer the tenant's setup.
          eb.exists(
            eb
              .selectFrom("runs as n")
              .select("n.id")
              .whereRef("n.tenant_id", "=", "r.tenant_id")
              .where("n.state", "=", "succeeded")
              .where("n.undo_of", "is", null)
              .whereRef("n.finished_at", ">", "r.finished_at"),
          ),
        ]),
      )
      .limit(BATCH)
      .execute();
    const byTenant = new Map<string, string[]>();
    for (const r of expired) byTenant.set(r.tenant_id, [...(byTenant.get(r.tenant_id) ?? []), r.id]);
    for (const [tenantId, ids] of byTenant) {
      await k.transaction().execute(async (trx) => {
        await trx.deleteFrom("events").where("tenant_id", "=", tenantId).where("run_id", "in", ids).execute();
        await trx.deleteFrom("run_actions").where("tenant_id", "=", tenantId).where("run_id", "in", ids).execute();
        const r = await trx
          .deleteFrom("runs")
          .where("tenant_id", "=", tenantId)
          .where("id", "in", ids)
          // Finished runs never run again; the check states the rule where the deletion is.
          .where("state", "!=", "running")
          .executeTakeFirst();
        total += Number(r.numDeletedRows);
      });
    }
    if (expired.length < BATCH) return total;
  }
}

async function pruneValidations(k: Kysely<Database>, before: string): Promise<number> {
  return inBatches(async () => {
    const r = await k
      .deleteFrom("connector_validations")
      .where("id", "in", (eb) =>
        eb
          .selectFrom("connector_validations as v")
          .select("v.id")
          .where("v.state", "!=", "running")
          .where("v.finished_at", "<", before)
          .where((w) =>
            w.exists(
              w
                .selectFrom("connector_validations as n")
                .select("n.id")
                .whereRef("n.tenant_id", "=", "v.tenant_id")
                .where("n.state", "!=", "running")
                .whereRef("n.finished_at", ">", "v.finished_at"),
            ),
          )
          .limit(BATCH),
      )
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  });
}
