import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { migrate, MIGRATIONS, SCHEMA_VERSION } from "../../../src/server/store/db";
import { Store } from "../../../src/server/store/tenantStore";

/** Undo's store changes: before-values per action, undo runs, and runs recorded before either existed. */
const CONTOSO = "58bcf7ff-e000-52e5-b108-402f9434063e";
const RUN = "0c65da69-9cf3-4117-86ba-45aaca8c5ec9";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ja-store-undo-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test("a run stored before undo existed stays readable: no before-values, not an undo run", async () => {
  const db = new Database(join(dir, "old.sqlite"));
  // The schema of version 1 only, with a run written by that version.
  db.exec("CREATE TABLE schema_version (version INTEGER NOT NULL)");
  const v1Sql = MIGRATIONS[0] ?? "";
  db.exec(v1Sql);
  db.prepare("INSERT INTO schema_version (version) VALUES (1)").run();
  db.prepare(
    `INSERT INTO runs (tenant_id, id, state, started_by, started_by_oid, started_at, desired_json, plan_hash)
     VALUES (?, ?, 'succeeded', 'admin@contoso.com', 'o', '2026-01-01T00:00:00Z', '{}', 'h')`,
  ).run(CONTOSO, RUN);
  db.prepare(
    `INSERT INTO run_actions (tenant_id, run_id, action_id, seq, cmdlet, parameters_json, depends_on_json, reason, state)
     VALUES (?, ?, 'x', 0, 'Set-TransportConfig', '{}', '[]', 'r', 'succeeded')`,
  ).run(CONTOSO, RUN);
  expect(migrate(db)).toBe(SCHEMA_VERSION);
  const store = new Store(db).forTenant(CONTOSO);
  expect(await store.getRun(RUN)).toMatchObject({ id: RUN, undoOf: null });
  expect((await store.actions(RUN))[0]).toMatchObject({ id: "x", before: null });
  expect((await store.lastSucceededRun())?.id).toBe(RUN);
  db.close();
});

test("actions keep their before-values; an undo run is never the setup's last desired state", async () => {
  const db = new Database(join(dir, "new.sqlite"));
  migrate(db);
  const store = new Store(db).forTenant(CONTOSO);
  const base = { startedBy: "a", startedByOid: "o", startedAt: "2026-01-01T00:00:00Z", desired: {}, planHash: "h" };
  await store.createRun({ ...base, id: RUN }, [
    {
      id: "x",
      cmdlet: "Set-TransportConfig",
      parameters: {},
      dependsOn: [],
      reason: "r",
      before: { JournalingReportNdrTo: null },
    },
  ]);
  await store.finishRun(RUN, "succeeded", "2026-01-01T00:01:00Z");
  expect((await store.actions(RUN))[0]?.before).toEqual({ JournalingReportNdrTo: null });
  const undo = "1c65da69-9cf3-4117-86ba-45aaca8c5ec9";
  await store.createRun({ ...base, id: undo, undoOf: RUN }, []);
  await store.finishRun(undo, "succeeded", "2026-01-01T00:02:00Z");
  expect((await store.getRun(undo))?.undoOf).toBe(RUN);
  expect((await store.lastSucceededRun())?.id).toBe(RUN);
  db.close();
});
