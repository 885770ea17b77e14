import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate, openDatabase, SCHEMA_VERSION } from "../../../src/server/store/db";
import { RunInProgressError, Store } from "../../../src/server/store/tenantStore";

const CONTOSO = "58bcf7ff-e000-52e5-b108-402f9434063e";
const FABRIKAM = "6a4a2f1d-0000-5000-8000-000000000002";

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ja-store-"));
  store = new Store(openDatabase(dir));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function seedContoso(): Promise<string> {
  const c = store.forTenant(CONTOSO);
  const runId = "0c65da69-9cf3-4117-86ba-45aaca8c5ec9";
  await c.createRun(
    {
      id: runId,
      startedBy: "admin@contoso.com",
      startedByOid: "o",
      startedAt: "2026-01-01T00:00:00Z",
      desired: { a: 1 },
      planHash: "h",
    },
    [
      {
        id: "x",
        cmdlet: "Set-TransportConfig",
        parameters: { JournalingReportNdrTo: "n@contoso.com" },
        dependsOn: [],
        reason: "r",
      },
    ],
  );
  await c.appendEvent(runId, "action-started", {
    runId,
    actionId: "x",
    cmdlet: "Set-TransportConfig",
    attempt: 1,
    at: "t",
  });
  await c.addAudit({
    at: "t",
    by: "admin@contoso.com",
    cmdlet: "Set-TransportConfig",
    parameters: {},
    outcome: "succeeded",
    runId,
    attempt: 1,
  });
  await c.putProgress(0, { draft: { d: 1 }, steps: { s: "done" }, by: "admin@contoso.com", at: "t", what: "w" });
  await c.createValidation({
    id: "11111111-1111-1111-1111-111111111111",
    requestedBy: "admin@contoso.com",
    startedAt: "t",
  });
  await c.putTrace("k", "2026-01-01T00:00:00Z", { perAddress: [] });
  return runId;
}

test("fabrikam's store sees none of contoso's rows, even knowing their ids", async () => {
  const runId = await seedContoso();
  const f = store.forTenant(FABRIKAM);
  expect(await f.getRun(runId)).toBeUndefined();
  expect(await f.activeRun()).toBeUndefined();
  expect(await f.actions(runId)).toEqual([]);
  expect(await f.events(runId)).toEqual([]);
  expect(await f.audit()).toEqual([]);
  expect(await f.audit(10, runId)).toEqual([]);
  expect(await f.getProgress()).toMatchObject({ draft: null, version: 0 });
  expect(await f.getValidation("11111111-1111-1111-1111-111111111111")).toBeUndefined();
  expect(await f.getTrace("k")).toBeUndefined();
  // Writes through fabrikam's store cannot reach contoso's rows either.
  await f.updateAction(runId, "x", { state: "failed" });
  await f.finishRun(runId, "failed", "t");
  expect((await store.forTenant(CONTOSO).actions(runId))[0]?.state).toBe("pending");
  expect((await store.forTenant(CONTOSO).getRun(runId))?.state).toBe("running");
  // ...and fabrikam may run at the same time as contoso.
  await f.createRun(
    {
      id: "22222222-2222-2222-2222-222222222222",
      startedBy: "a@f",
      startedByOid: "o",
      startedAt: "t",
      desired: {},
      planHash: "h",
    },
    [],
  );
});

test("one running run per tenant", async () => {
  await seedContoso();
  await expect(
    store.forTenant(CONTOSO).createRun(
      {
        id: "33333333-3333-3333-3333-333333333333",
        startedBy: "b",
        startedByOid: "o",
        startedAt: "t",
        desired: {},
        planHash: "h",
      },
      [],
    ),
  ).rejects.toThrow(RunInProgressError);
});

test("progress is versioned: a stale version writes nothing", async () => {
  const c = store.forTenant(CONTOSO);
  expect(
    (await c.putProgress(0, { draft: null, steps: { check: "done" }, by: "a", at: "t1", what: "first" }))?.version,
  ).toBe(1);
  expect(
    await c.putProgress(0, { draft: null, steps: { address: "done" }, by: "b", at: "t2", what: "stale" }),
  ).toBeUndefined();
  expect((await c.getProgress()).history.map((h) => h.what)).toEqual(["first"]);
});

test("progress history: a save that changes nothing adds no entry; one person's draft edits fold into one", async () => {
  const c = store.forTenant(CONTOSO);
  const at = (minute: number): string => new Date(Date.UTC(2026, 2, 1, 9, minute)).toISOString();
  const put = async (
    draft: unknown,
    steps: Record<string, "done">,
    by: string,
    minute: number,
    what: string,
  ): Promise<void> => {
    const version = (await c.getProgress()).version;
    expect(await c.putProgress(version, { draft, steps, by, at: at(minute), what })).toBeDefined();
  };
  await put({ customer: "" }, { check: "done" }, "a", 0, "Finished step 1 Check");
  await put({ customer: "" }, { check: "done" }, "a", 1, "Saved without changes");
  await put({ customer: "c" }, { check: "done" }, "a", 2, "Entered the customer name c");
  await put({ customer: "contoso" }, { check: "done" }, "a", 3, "Entered the customer name contoso");
  const progress = await c.getProgress();
  expect(progress.version).toBe(4);
  expect(progress.history).toEqual([
    { at: at(0), by: "a", what: "Finished step 1 Check" },
    { at: at(3), by: "a", what: "Entered the customer name contoso", edited: ["customer"] },
  ]);
});

test("migrations are recorded and re-running them changes nothing", () => {
  const file = store.db.sqlite;
  if (file === null) throw new Error("the store of a data folder is SQLite");
  expect(migrate(file)).toBe(SCHEMA_VERSION);
  expect(file.prepare("SELECT version FROM schema_version").all()).toEqual([{ version: SCHEMA_VERSION }]);
  expect(file.pragma("journal_mode", { simple: true })).toBe("wal");
});

test("a tenant id must be a GUID", () => {
  expect(() => store.forTenant("contoso' OR 1=1 --")).toThrow();
});

test("the database folder is private to the backend's user (0700) and its files 0600, even where the umask is loose", () => {
  const loose = join(dir, "loose");
  const old = process.umask(0o000);
  let db;
  try {
    db = openDatabase(loose);
    db.prepare("CREATE TABLE IF NOT EXISTS t (x)").run();
  } finally {
    process.umask(old);
  }
  try {
    expect(statSync(loose).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(loose))
      expect({ f, mode: statSync(join(loose, f)).mode & 0o777 }).toEqual({ f, mode: 0o600 });
    expect(readdirSync(loose)).toContain("journaling-assistant.sqlite");
  } finally {
    db?.close();
  }
});
