import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { StatusResponse } from "../../../src/core/contract";
import type { AlertContent } from "../../../src/core/monitor/alerts";
import { migrate, MIGRATIONS, SCHEMA_VERSION } from "../../../src/server/store/db";
import { MailFlowTestStore } from "../../../src/server/store/mailflowTestStore";
import { MonitorSchedule, MonitorTenantStore } from "../../../src/server/store/monitorStore";
import { openStore } from "../../../src/server/store/openStore";
import { DatabaseUnavailableError, PG_MIGRATIONS } from "../../../src/server/store/postgres";
import { RunInProgressError, Store, type NewAction } from "../../../src/server/store/tenantStore";
import { createTestDatabase, type TestDatabase } from "../../postgres/database";

/**
 * The store's every method, once on the SQLite file and once on PostgreSQL (the run's throwaway
 * cluster, a fresh database per test): the same code serves both, so the same tests must pass.
 */
const CONTOSO = "58bcf7ff-e000-52e5-b108-402f9434063e";
const FABRIKAM = "6a4a2f1d-0000-5000-8000-000000000002";
const RUN = "0c65da69-9cf3-4117-86ba-45aaca8c5ec9";
const RUN2 = "22222222-2222-2222-2222-222222222222";
const RUN3 = "33333333-3333-3333-3333-333333333333";

type Kind = "sqlite" | "postgres";

interface Opened {
  readonly store: Store;
  done(): Promise<void>;
}

async function open(kind: Kind): Promise<Opened> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "ja-store-both-"));
    const store = await openStore({ dataDir: dir });
    return {
      store,
      done: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const db: TestDatabase = await createTestDatabase();
  const store = await openStore({ dataDir: "/nonexistent-not-used", databaseUrl: db.url });
  return {
    store,
    done: async () => {
      await store.close();
      await db.drop();
    },
  };
}

const base = { startedBy: "admin@contoso.com", startedByOid: "o", desired: { a: 1 }, planHash: "h" };
const action = (id: string, extra: Partial<NewAction> = {}): NewAction => ({
  id,
  cmdlet: "Set-TransportConfig",
  parameters: { JournalingReportNdrTo: "n@contoso.com" },
  dependsOn: [],
  reason: "r",
  ...extra,
});
const alert = (key: string, extra: Partial<AlertContent> = {}): AlertContent => ({
  key,
  code: "rule-disabled",
  title: "t",
  text: "x",
  action: "a",
  since: "2026-01-01T00:00:00.000Z",
  fingerprint: "f",
  ...extra,
});
const status = (checkedAt: string): StatusResponse => ({ checkedAt }) as unknown as StatusResponse;

describe.each<Kind>(["sqlite", "postgres"])("the store on %s", (kind) => {
  let opened: Opened;
  let store: Store;
  beforeEach(async () => {
    opened = await open(kind);
    store = opened.store;
  });
  afterEach(async () => opened.done());

  async function seedContoso(): Promise<void> {
    const c = store.forTenant(CONTOSO);
    await c.createRun({ ...base, id: RUN, startedAt: "2026-01-01T00:00:00.000Z" }, [action("x")]);
    await c.appendEvent(RUN, "action-started", {
      runId: RUN,
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
      runId: RUN,
      attempt: 1,
    });
    await c.putProgress(0, { draft: { d: 1 }, steps: { s: "done" }, by: "a", at: "t", what: "w" });
    await c.createValidation({ id: "11111111-1111-1111-1111-111111111111", requestedBy: "a", startedAt: "t" });
    await c.putTrace("k", "2026-01-01T00:00:00Z", { perAddress: [] });
    const m = new MonitorTenantStore(store.db, CONTOSO);
    await m.putSettings({
      watching: true,
      intervalMinutes: 60,
      recipients: [],
      channel: null,
      enabledBy: "a",
      enabledAt: "t",
      nextCheckMs: 1,
    });
    await m.putSnapshot(status("2026-01-01T00:00:00.000Z"), "pane");
    await m.raise(alert("p"), "t", "link");
    await new MailFlowTestStore(store.db, CONTOSO).create({
      id: "44444444-4444-4444-4444-444444444444",
      state: "running",
      startedBy: "a",
      startedAt: "t",
      finishedAt: null,
      recipient: "r@contoso.com",
      regions: [],
    });
  }

  test("one tenant's stores see and change none of another tenant's rows, even knowing their ids", async () => {
    await seedContoso();
    const f = store.forTenant(FABRIKAM);
    expect(await f.getRun(RUN)).toBeUndefined();
    expect(await f.activeRun()).toBeUndefined();
    expect(await f.lastSucceededRun()).toBeUndefined();
    expect(await f.actions(RUN)).toEqual([]);
    expect(await f.events(RUN)).toEqual([]);
    expect(await f.audit()).toEqual([]);
    expect(await f.audit(10, RUN)).toEqual([]);
    expect(await f.getProgress()).toMatchObject({ draft: null, version: 0 });
    expect(await f.getValidation("11111111-1111-1111-1111-111111111111")).toBeUndefined();
    expect(await f.lastFinishedValidation()).toBeUndefined();
    expect(await f.getTrace("k")).toBeUndefined();
    const fm = new MonitorTenantStore(store.db, FABRIKAM);
    expect(await fm.getSettings()).toBeUndefined();
    expect(await fm.getSnapshot()).toBeUndefined();
    expect(await fm.alerts()).toEqual([]);
    expect(await fm.openAlerts()).toEqual([]);
    const contosoAlert = (await new MonitorTenantStore(store.db, CONTOSO).openAlerts())[0];
    expect(contosoAlert).toBeDefined();
    expect(await fm.getAlert(contosoAlert?.id ?? "")).toBeUndefined();
    const ft = new MailFlowTestStore(store.db, FABRIKAM);
    expect(await ft.get("44444444-4444-4444-4444-444444444444")).toBeUndefined();
    expect(await ft.latest()).toBeUndefined();

    // Writes through fabrikam's stores cannot reach contoso's rows either.
    await f.updateAction(RUN, "x", { state: "failed" });
    await f.finishRun(RUN, "failed", "t");
    await f.markResumed(RUN);
    await f.finishValidation("11111111-1111-1111-1111-111111111111", "failed", [], "t");
    await f.failStaleValidations("t");
    expect(await f.claimRun(RUN, "intruder", Date.now() + 60_000)).toBe(false);
    expect(await fm.requestCheck(5)).toBe(false);
    expect(await fm.resolve(contosoAlert?.id ?? "", "t")).toBe(false);
    await fm.update(contosoAlert?.id ?? "", alert("p", { title: "changed" }), "t");
    await fm.addNotified(contosoAlert?.id ?? "", [
      { kind: "raised", channel: "email", to: "x", at: "t", ok: true } as never,
    ]);
    await ft.failStale("t");
    const c = store.forTenant(CONTOSO);
    expect((await c.actions(RUN))[0]?.state).toBe("pending");
    expect(await c.getRun(RUN)).toMatchObject({ state: "running", resumes: 0, leaseOwner: null });
    expect((await c.getValidation("11111111-1111-1111-1111-111111111111"))?.state).toBe("running");
    const cm = new MonitorTenantStore(store.db, CONTOSO);
    expect(await cm.getAlert(contosoAlert?.id ?? "")).toMatchObject({ state: "open", title: "t", notified: [] });
    expect((await cm.getSettings())?.nextCheckMs).toBe(1);
    expect((await new MailFlowTestStore(store.db, CONTOSO).latest())?.state).toBe("running");
    // ...and fabrikam may run at the same time as contoso.
    await f.createRun({ ...base, id: RUN2, startedAt: "t" }, []);
  });

  test("one running run per tenant: RunInProgressError, and nothing of the refused run is stored", async () => {
    await seedContoso();
    const c = store.forTenant(CONTOSO);
    await expect(c.createRun({ ...base, id: RUN3, startedAt: "t" }, [action("y")])).rejects.toThrow(RunInProgressError);
    expect(await c.getRun(RUN3)).toBeUndefined();
    expect(await c.actions(RUN3)).toEqual([]);
    await c.finishRun(RUN, "succeeded", "2026-01-01T00:05:00.000Z");
    await c.createRun({ ...base, id: RUN3, startedAt: "t" }, [action("y")]);
    expect((await c.activeRun())?.id).toBe(RUN3);
  });

  test("runs and actions: updates, added actions, resumes, and the last succeeded setup run", async () => {
    const c = store.forTenant(CONTOSO);
    await c.createRun({ ...base, id: RUN, startedAt: "2026-01-01T00:00:00.000Z" }, [
      action("a"),
      action("b", { dependsOn: ["a"], before: { X: null } }),
    ]);
    await c.updateAction(RUN, "a", {
      state: "failed",
      attempts: 3,
      error: { code: "throttled", message: "slow down" } as never,
      startedAt: "s",
      finishedAt: "f",
      parameters: { P: 1 },
      dependsOn: ["z"],
      before: { Y: 2 },
    });
    await c.updateAction(RUN, "b", { state: "running", error: null, before: null });
    await c.markResumed(RUN);
    await c.markResumed(RUN);
    const actions = await c.actions(RUN);
    expect(actions.map((a) => [a.id, a.seq])).toEqual([
      ["a", 0],
      ["b", 1],
    ]);
    expect(actions[0]).toMatchObject({
      state: "failed",
      attempts: 3,
      error: { code: "throttled", message: "slow down" },
      startedAt: "s",
      finishedAt: "f",
      parameters: { P: 1 },
      dependsOn: ["z"],
      before: { Y: 2 },
    });
    expect(actions[1]).toMatchObject({ state: "running", error: null, before: null, dependsOn: ["a"] });
    expect(await c.getRun(RUN)).toMatchObject({ resumes: 2, desired: { a: 1 }, undoOf: null, finishedAt: null });
    const at = "2026-01-01T00:01:00.000Z";
    await c.finishRun(RUN, "succeeded", at);
    // A finished run is not finished again.
    await c.finishRun(RUN, "failed", "2026-01-02T00:00:00.000Z");
    expect(await c.getRun(RUN)).toMatchObject({ state: "succeeded", finishedAt: at });
    // Same finish time: the later-inserted run wins; an undo run is never the setup's desired state.
    await c.createRun({ ...base, id: RUN2, startedAt: at, desired: { second: true } }, []);
    await c.finishRun(RUN2, "succeeded", at);
    await c.createRun({ ...base, id: RUN3, startedAt: at, undoOf: RUN2 }, []);
    await c.finishRun(RUN3, "succeeded", "2026-01-03T00:00:00.000Z");
    expect((await c.lastSucceededRun())?.id).toBe(RUN2);
    expect((await c.getRun(RUN3))?.undoOf).toBe(RUN2);
    expect(await c.activeRun()).toBeUndefined();
  });

  test("events: numbered 1, 2, 3… per run even when appended at once, and read from a sequence number", async () => {
    const c = store.forTenant(CONTOSO);
    const data = (i: number) => ({ runId: RUN, actionId: `a${i}`, cmdlet: "Set-TransportConfig", attempt: 1, at: "t" });
    const appended = await Promise.all(
      Array.from({ length: 25 }, (_, i) => c.appendEvent(RUN, "action-started", data(i))),
    );
    expect(appended.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    const all = await c.events(RUN);
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect((await c.events(RUN, 23)).map((e) => e.seq)).toEqual([24, 25]);
    expect((await c.appendEvent(RUN2, "action-started", data(0))).seq).toBe(1);
  });

  test("audit: newest first, limited, by run, with its error", async () => {
    const c = store.forTenant(CONTOSO);
    for (let i = 0; i < 5; i++) {
      await c.addAudit({
        at: `2026-01-0${i + 1}T00:00:00.000Z`,
        by: "a",
        cmdlet: `C${i}`,
        parameters: { i },
        outcome: i === 4 ? "failed" : "succeeded",
        runId: i % 2 === 0 ? RUN : null,
        attempt: i,
        ...(i === 4 ? { error: { code: "throttled", message: "m" } as never } : {}),
        byOid: "oid",
        clientAddress: "203.0.113.7",
      });
    }
    expect((await c.audit()).map((e) => e.cmdlet)).toEqual(["C4", "C3", "C2", "C1", "C0"]);
    expect((await c.audit(2)).map((e) => e.cmdlet)).toEqual(["C4", "C3"]);
    expect((await c.audit(10, RUN)).map((e) => e.cmdlet)).toEqual(["C4", "C2", "C0"]);
    expect((await c.audit(1))[0]).toEqual({
      at: "2026-01-05T00:00:00.000Z",
      by: "a",
      cmdlet: "C4",
      parameters: { i: 4 },
      outcome: "failed",
      runId: RUN,
      attempt: 4,
      error: { code: "throttled", message: "m" },
    });
  });

  test("progress is versioned: of two saves of the same version exactly one wins; history entries are never lost", async () => {
    const c = store.forTenant(CONTOSO);
    const results = await Promise.all(
      ["a", "b", "c"].map((by) =>
        c.putProgress(0, { draft: { by }, steps: { check: "done" }, by, at: "t1", what: `by ${by}` }),
      ),
    );
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    expect(await c.putProgress(0, { draft: null, steps: {}, by: "late", at: "t2", what: "stale" })).toBeUndefined();
    await Promise.all(["x", "y", "z"].map((by) => c.addProgressHistory({ at: "t3", by, what: `test by ${by}` })));
    const p = await c.getProgress();
    expect(p.version).toBe(4);
    expect(p.history.map((h) => h.by).sort()).toEqual([results.find((r) => r)?.updatedBy, "x", "y", "z"].sort());
    expect(p.steps).toEqual({ check: "done" });
  });

  test("connector validations: running, finished, the last finished one, stale ones failed", async () => {
    const c = store.forTenant(CONTOSO);
    const V1 = "11111111-1111-1111-1111-111111111111";
    const V2 = "11111111-1111-1111-1111-111111111112";
    await c.createValidation({ id: V1, requestedBy: "a", startedAt: "2026-01-01T00:00:00.000Z" });
    expect(await c.getValidation(V1)).toEqual({
      id: V1,
      state: "running",
      requestedBy: "a",
      startedAt: "2026-01-01T00:00:00.000Z",
      finishedAt: null,
      results: [],
    });
    expect(await c.lastFinishedValidation()).toBeUndefined();
    await c.finishValidation(V1, "succeeded", [{ host: "h" } as never], "2026-01-01T00:01:00.000Z");
    await c.createValidation({ id: V2, requestedBy: "b", startedAt: "2026-01-01T00:02:00.000Z" });
    expect((await c.lastFinishedValidation())?.id).toBe(V1);
    await c.failStaleValidations("2026-01-01T00:03:00.000Z");
    expect(await c.lastFinishedValidation()).toMatchObject({
      id: V2,
      state: "failed",
      finishedAt: "2026-01-01T00:03:00.000Z",
    });
    expect((await c.getValidation(V1))?.results).toEqual([{ host: "h" }]);
  });

  test("the message trace cache keeps the latest value per key", async () => {
    const c = store.forTenant(CONTOSO);
    await c.putTrace("k", "a1", { n: 1 });
    await c.putTrace("k", "a2", { n: 2 });
    await c.putTrace("j", "a3", [1]);
    expect(await c.getTrace("k")).toEqual({ asOf: "a2", data: { n: 2 } });
    expect(await c.getTrace("j")).toEqual({ asOf: "a3", data: [1] });
  });

  test("run leases: one claim wins, the holder renews, an expired or released lease is taken over", async () => {
    const c = store.forTenant(CONTOSO);
    const now = 1_765_000_000_000;
    await c.createRun({ ...base, id: RUN, startedAt: "t", lease: { owner: "A", untilMs: now + 30_000 } }, []);
    expect(await c.getRun(RUN)).toMatchObject({ leaseOwner: "A", leaseUntilMs: now + 30_000 });
    expect(await c.claimRun(RUN, "B", now + 60_000, now)).toBe(false);
    expect(await c.renewRunLease(RUN, "B", now + 60_000)).toBe(false);
    expect(await c.renewRunLease(RUN, "A", now + 45_000)).toBe(true);
    expect(await store.expiredRunningRuns(now + 40_000, 10)).toEqual([]);
    expect(await store.expiredRunningRuns(now + 45_000, 10)).toEqual([{ tenantId: CONTOSO, runId: RUN }]);
    // Two instances claim the expired run at once: exactly one gets it.
    const claims = await Promise.all(["B", "C", "D"].map((o) => c.claimRun(RUN, o, now + 100_000, now + 50_000)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    const holder = (await c.getRun(RUN))?.leaseOwner ?? "";
    expect(await c.renewRunLease(RUN, "A", now + 200_000)).toBe(false);
    await c.releaseRunLease(RUN, "A");
    expect((await c.getRun(RUN))?.leaseOwner).toBe(holder);
    await c.releaseRunLease(RUN, holder);
    expect(await c.getRun(RUN)).toMatchObject({ leaseOwner: null, leaseUntilMs: null });
    // Released: nobody holds it, the sweep lists it and anyone may claim it.
    expect(await store.expiredRunningRuns(now, 10)).toEqual([{ tenantId: CONTOSO, runId: RUN }]);
    expect(await c.claimRun(RUN, "E", now + 30_000, now)).toBe(true);
    expect(await c.claimRun(RUN, "E", now + 40_000, now)).toBe(true);
    // Another tenant's expired run is listed too; finished runs never are, and finishing drops the lease.
    const f = store.forTenant(FABRIKAM);
    await f.createRun({ ...base, id: RUN2, startedAt: "t", lease: { owner: "F", untilMs: now - 1 } }, []);
    expect(await store.expiredRunningRuns(now, 10)).toEqual([{ tenantId: FABRIKAM, runId: RUN2 }]);
    expect(await store.expiredRunningRuns(now, 0)).toEqual([]);
    // Both expired runs (contoso's, claimed by E until now + 40 s, and fabrikam's) come up, one at a
    // time: runs the sweep cannot take do not hide the others for ever.
    const seen = new Set<string>();
    for (let i = 0; i < 40 && seen.size < 2; i++) {
      for (const r of await store.expiredRunningRuns(now + 50_000, 1)) seen.add(r.runId);
    }
    expect(seen).toEqual(new Set([RUN, RUN2]));
    await c.finishRun(RUN, "succeeded", "t2");
    expect(await c.getRun(RUN)).toMatchObject({ leaseOwner: null, leaseUntilMs: null });
    expect(await c.claimRun(RUN, "G", now + 30_000, now + 999_999)).toBe(false);
    expect(await store.expiredRunningRuns(now + 999_999, 10)).toEqual([{ tenantId: FABRIKAM, runId: RUN2 }]);
    expect(typeof (await f.getRun(RUN2))?.leaseUntilMs).toBe("number");
  });

  test("the monitor's schedule: settings, due tenants each claimed by one worker, check results, release", async () => {
    const sched = new MonitorSchedule(store.db);
    const now = 1_765_000_000_000;
    const tenants = Array.from({ length: 6 }, (_, i) => `7a4a2f1d-0000-5000-8000-00000000000${i}`);
    for (const [i, t] of tenants.entries()) {
      await sched.forTenant(t).putSettings({
        watching: i !== 5,
        intervalMinutes: 15 + i,
        recipients: [{ upn: `u${i}` }] as never,
        channel: i === 0 ? { teamId: "t", channelId: "c" } : null,
        enabledBy: "a",
        enabledAt: "t",
        nextCheckMs: now - 1000 + i,
      });
    }
    const s0 = sched.forTenant(tenants[0] ?? "");
    expect(await s0.getSettings()).toEqual({
      watching: true,
      intervalMinutes: 15,
      recipients: [{ upn: "u0" }],
      channel: { teamId: "t", channelId: "c" },
      enabledBy: "a",
      enabledAt: "t",
      nextCheckMs: now - 1000,
      lastCheckedAt: null,
      lastError: null,
    });
    expect(await sched.nextDueMs()).toBe(now - 1000);
    // Three workers claim at once: every watched due tenant goes to exactly one of them.
    const claimed = await Promise.all(["w1", "w2", "w3"].map((w) => sched.claimDue(w, now, 60_000, 2)));
    const ids = claimed
      .flat()
      .map((c) => c.tenantId)
      .sort();
    expect(ids).toEqual(tenants.slice(0, 5).sort());
    expect(claimed.flat().find((c) => c.tenantId === tenants[1])?.intervalMinutes).toBe(16);
    expect(await sched.claimDue("w4", now + 1000, 60_000, 10)).toEqual([]);
    expect(await sched.claimDue("w4", now, 60_000, 0)).toEqual([]);
    const owner = claimed.findIndex((list) => list.some((c) => c.tenantId === tenants[0]));
    const w = `w${owner + 1}`;
    expect(await s0.holdsLease(w, now + 1)).toBe(true);
    expect(await s0.holdsLease("other", now + 1)).toBe(false);
    expect(await s0.holdsLease(w, now + 60_000)).toBe(false);
    // "Check now" during the check: the earlier request stands when the check finishes.
    expect(await s0.requestCheck(now + 5)).toBe(true);
    expect(await s0.finishCheck("other", "t9", now + 900_000, null)).toBe(false);
    expect(await s0.finishCheck(w, "2026-01-01T00:00:00.000Z", now + 900_000, null)).toBe(true);
    expect(await s0.getSettings()).toMatchObject({
      nextCheckMs: now + 5,
      lastCheckedAt: "2026-01-01T00:00:00.000Z",
      lastError: null,
    });
    const s1 = sched.forTenant(tenants[1] ?? "");
    const w1 = `w${claimed.findIndex((list) => list.some((c) => c.tenantId === tenants[1])) + 1}`;
    expect(await s1.finishCheck(w1, null, now + 900_000, "boom")).toBe(true);
    expect(await s1.getSettings()).toMatchObject({
      nextCheckMs: now + 900_000,
      lastCheckedAt: null,
      lastError: "boom",
    });
    // Graceful shutdown gives the leases back: due again at once.
    const s2owner = `w${claimed.findIndex((list) => list.some((c) => c.tenantId === tenants[2])) + 1}`;
    await sched.releaseAll(s2owner, now + 7);
    expect((await sched.forTenant(tenants[2] ?? "").getSettings())?.nextCheckMs).toBe(now + 7);
    expect(await sched.forTenant(tenants[5] ?? "").requestCheck(now)).toBe(false);
    // Saving again replaces the settings.
    await s0.putSettings({
      watching: false,
      intervalMinutes: 60,
      recipients: [],
      channel: null,
      enabledBy: null,
      enabledAt: null,
      nextCheckMs: null,
    });
    expect(await s0.getSettings()).toMatchObject({
      watching: false,
      intervalMinutes: 60,
      channel: null,
      nextCheckMs: null,
      lastCheckedAt: "2026-01-01T00:00:00.000Z",
    });
  });

  test("status snapshots: the newer one is kept", async () => {
    const m = new MonitorTenantStore(store.db, CONTOSO);
    expect(await m.getSnapshot()).toBeUndefined();
    await m.putSnapshot(status("2026-01-01T00:02:00.000Z"), "monitor");
    await m.putSnapshot(status("2026-01-01T00:01:00.000Z"), "pane");
    expect(await m.getSnapshot()).toEqual({
      status: status("2026-01-01T00:02:00.000Z"),
      checkedAt: "2026-01-01T00:02:00.000Z",
      checkedBy: "monitor",
    });
    await m.putSnapshot(status("2026-01-01T00:03:00.000Z"), "cli");
    expect((await m.getSnapshot())?.checkedBy).toBe("cli");
  });

  test("alerts: one open per problem, resolved and raised again, updated, told, open ones first", async () => {
    const m = new MonitorTenantStore(store.db, CONTOSO);
    const a1 = await m.raise(alert("p1"), "2026-01-01T00:00:00.000Z", "link");
    expect(a1).toMatchObject({ key: "p1", state: "open", deepLink: "link", notified: [], resolvedAt: null });
    const raced = await Promise.all([m.raise(alert("p1"), "t", "l"), m.raise(alert("p1"), "t", "l")]);
    expect(raced).toEqual([undefined, undefined]);
    await m.update(a1?.id ?? "", alert("p1", { title: "T2", fingerprint: "f2" }), "2026-01-01T00:01:00.000Z");
    const tell = (to: string) => [{ kind: "raised", channel: "email", to, at: "t", ok: true }] as never;
    await Promise.all(["x", "y", "z"].map((to) => m.addNotified(a1?.id ?? "", tell(to))));
    await m.addNotified(a1?.id ?? "", []);
    const told = await m.getAlert(a1?.id ?? "");
    expect(told).toMatchObject({ title: "T2", fingerprint: "f2", updatedAt: "2026-01-01T00:01:00.000Z" });
    expect(told?.notified.map((n) => (n as unknown as { to: string }).to).sort()).toEqual(["x", "y", "z"]);
    expect(await m.resolve(a1?.id ?? "", "2026-01-01T00:02:00.000Z")).toBe(true);
    expect(await m.resolve(a1?.id ?? "", "2026-01-01T00:03:00.000Z")).toBe(false);
    const a2 = await m.raise(alert("p1"), "2026-01-01T00:04:00.000Z", "link");
    expect(a2?.id).not.toBe(a1?.id);
    await m.raise(alert("p2"), "2026-01-01T00:00:30.000Z", "link");
    expect((await m.openAlerts()).map((a) => a.key).sort()).toEqual(["p1", "p2"]);
    const list = await m.alerts();
    expect(list.map((a) => [a.key, a.state])).toEqual([
      ["p1", "open"],
      ["p2", "open"],
      ["p1", "resolved"],
    ]);
    expect(await m.alerts(1)).toHaveLength(1);
  });

  test("mail-flow tests: created, updated, the latest, stale ones failed", async () => {
    const t = new MailFlowTestStore(store.db, CONTOSO);
    const mk = (id: string, startedAt: string) => ({
      id,
      state: "running" as const,
      startedBy: "a",
      startedAt,
      finishedAt: null,
      recipient: "r@c",
      regions: [],
    });
    await t.create(mk("44444444-4444-4444-4444-444444444441", "2026-01-01T00:00:00.000Z"));
    await t.create(mk("44444444-4444-4444-4444-444444444442", "2026-01-01T00:00:00.000Z"));
    expect((await t.latest())?.id).toBe("44444444-4444-4444-4444-444444444442");
    await t.update({
      ...mk("44444444-4444-4444-4444-444444444441", "x"),
      state: "passed",
      finishedAt: "f",
      regions: [{ region: "eu" } as never],
    });
    expect(await t.get("44444444-4444-4444-4444-444444444441")).toMatchObject({
      state: "passed",
      finishedAt: "f",
      regions: [{ region: "eu" }],
      startedAt: "2026-01-01T00:00:00.000Z",
    });
    await t.failStale("g");
    expect(await t.get("44444444-4444-4444-4444-444444444442")).toMatchObject({ state: "failed", finishedAt: "g" });
    expect((await t.get("44444444-4444-4444-4444-444444444441"))?.state).toBe("passed");
  });

  test("retention: old finished runs with their actions and events, old audit, tests and resolved alerts go; running runs and each tenant's setup stay", async () => {
    const c = store.forTenant(CONTOSO);
    const f = store.forTenant(FABRIKAM);
    const OLD = "2024-01-01T00:00:00.000Z";
    const OLDER = "2023-06-01T00:00:00.000Z";
    const NEW = "2026-06-01T00:00:00.000Z";
    const CUT = "2025-01-01T00:00:00.000Z";
    const mkRun = async (
      t: typeof c,
      id: string,
      state: "succeeded" | "failed" | "running",
      finishedAt: string,
      undoOf?: string,
    ) => {
      await t.createRun({ ...base, id, startedAt: OLDER, ...(undoOf ? { undoOf } : {}) }, [action("x")]);
      await t.appendEvent(id, "action-started", {
        runId: id,
        actionId: "x",
        cmdlet: "Set-TransportConfig",
        attempt: 1,
        at: "t",
      });
      if (state !== "running") await t.finishRun(id, state, finishedAt);
    };
    const R = (n: number) => `aaaaaaaa-0000-4000-8000-00000000000${n}`;
    await mkRun(c, R(1), "succeeded", OLDER); // superseded by R2: goes
    await mkRun(c, R(2), "succeeded", OLD); // contoso's last setup run: stays, however old
    await mkRun(c, R(3), "failed", OLD); // goes
    await mkRun(c, R(4), "succeeded", OLD, R(2)); // an old undo run: goes
    await mkRun(c, R(5), "running", ""); // running: stays
    await mkRun(f, R(6), "failed", OLD); // goes
    await mkRun(f, R(7), "succeeded", NEW); // new: stays
    await c.addAudit({
      at: OLD,
      by: "a",
      cmdlet: "Old",
      parameters: {},
      outcome: "succeeded",
      runId: R(1),
      attempt: 1,
    });
    await c.addAudit({
      at: NEW,
      by: "a",
      cmdlet: "New",
      parameters: {},
      outcome: "succeeded",
      runId: null,
      attempt: 1,
    });
    const V = (n: number) => `bbbbbbbb-0000-4000-8000-00000000000${n}`;
    for (const [n, at] of [
      [1, OLDER],
      [2, OLD],
    ] as const) {
      await c.createValidation({ id: V(n), requestedBy: "a", startedAt: at });
      await c.finishValidation(V(n), "succeeded", [], at);
    }
    const tests = new MailFlowTestStore(store.db, CONTOSO);
    const T = (n: number) => `cccccccc-0000-4000-8000-00000000000${n}`;
    await tests.create({
      id: T(1),
      state: "passed",
      startedBy: "a",
      startedAt: OLD,
      finishedAt: OLD,
      recipient: "r",
      regions: [],
    });
    await tests.create({
      id: T(2),
      state: "running",
      startedBy: "a",
      startedAt: OLD,
      finishedAt: null,
      recipient: "r",
      regions: [],
    });
    await tests.create({
      id: T(3),
      state: "failed",
      startedBy: "a",
      startedAt: NEW,
      finishedAt: NEW,
      recipient: "r",
      regions: [],
    });
    const m = new MonitorTenantStore(store.db, CONTOSO);
    const oldResolved = await m.raise(alert("a"), OLD, "l");
    await m.resolve(oldResolved?.id ?? "", OLD);
    const oldOpen = await m.raise(alert("b"), OLD, "l");
    const newResolved = await m.raise(alert("c"), NEW, "l");
    await m.resolve(newResolved?.id ?? "", NEW);

    const counts = await store.prune({
      runsBefore: CUT,
      auditBefore: CUT,
      mailflowTestsBefore: CUT,
      alertsBefore: CUT,
    });
    expect(counts).toEqual({ runs: 4, validations: 1, audit: 1, mailflowTests: 1, alerts: 1 });
    for (const [t, id] of [
      [c, R(1)],
      [c, R(3)],
      [c, R(4)],
      [f, R(6)],
    ] as const) {
      expect(await t.getRun(id)).toBeUndefined();
      expect(await t.actions(id)).toEqual([]);
      expect(await t.events(id)).toEqual([]);
    }
    for (const [t, id] of [
      [c, R(2)],
      [c, R(5)],
      [f, R(7)],
    ] as const) {
      expect((await t.getRun(id))?.id).toBe(id);
      expect(await t.actions(id)).toHaveLength(1);
      expect(await t.events(id)).toHaveLength(1);
    }
    expect((await c.lastSucceededRun())?.id).toBe(R(2));
    expect((await c.audit()).map((a) => a.cmdlet)).toEqual(["New"]);
    expect(await c.getValidation(V(1))).toBeUndefined();
    expect((await c.lastFinishedValidation())?.id).toBe(V(2));
    expect(await tests.get(T(1))).toBeUndefined();
    expect((await tests.get(T(2)))?.state).toBe("running");
    expect((await tests.get(T(3)))?.state).toBe("failed");
    expect((await m.alerts()).map((a) => a.id).sort()).toEqual([oldOpen?.id, newResolved?.id].sort());
    // Nothing more to do the second time.
    expect(
      await store.prune({ runsBefore: CUT, auditBefore: CUT, mailflowTestsBefore: CUT, alertsBefore: CUT }),
    ).toEqual({
      runs: 0,
      validations: 0,
      audit: 0,
      mailflowTests: 0,
      alerts: 0,
    });
  });

  test("the schema is at the current version, and opening it again changes nothing", async () => {
    const rows = await store.db.kysely.selectFrom("schema_version").select("version").execute();
    expect(rows).toEqual([{ version: SCHEMA_VERSION }]);
    expect(PG_MIGRATIONS).toHaveLength(MIGRATIONS.length);
  });
});

describe("PostgreSQL specifics", () => {
  test("instances starting together migrate once; a reopened database keeps its rows", async () => {
    const db = await createTestDatabase();
    try {
      const stores = await Promise.all([1, 2, 3].map(() => openStore({ dataDir: "unused", databaseUrl: db.url })));
      await stores[0]?.forTenant(CONTOSO).createRun({ ...base, id: RUN, startedAt: "t" }, []);
      expect((await stores[2]?.forTenant(CONTOSO).getRun(RUN))?.id).toBe(RUN);
      await Promise.all(stores.map((s) => s.close()));
      const again = await openStore({ dataDir: "unused", databaseUrl: db.url });
      expect((await again.forTenant(CONTOSO).activeRun())?.id).toBe(RUN);
      expect(await again.db.kysely.selectFrom("schema_version").select("version").execute()).toEqual([
        { version: SCHEMA_VERSION },
      ]);
      await again.close();
    } finally {
      await db.drop();
    }
  });

  test("a bad URL, an unreachable server and a missing database say so, naming no host, port or password", async () => {
    const db = await createTestDatabase();
    const admin = new URL(db.url);
    const attempt = async (url: string): Promise<string> => {
      try {
        await openStore({ dataDir: "unused", databaseUrl: url });
      } catch (err) {
        expect(err).toBeInstanceOf(DatabaseUnavailableError);
        const message = (err as Error).message;
        for (const secret of ["s3cret", "127.0.0.1", admin.port, "db.internal.example"])
          expect(message).not.toContain(secret);
        return message;
      }
      throw new Error("opened");
    };
    try {
      expect(await attempt("mysql://u:s3cret@db.internal.example/x")).toMatch(/postgres:\/\//);
      expect(await attempt("not a url s3cret")).toMatch(/not a URL/);
      // Port 1: nothing listens there.
      const closed = new URL(db.url);
      closed.port = "1";
      closed.password = "s3cret";
      expect(await attempt(closed.toString())).toMatch(/cannot reach the PostgreSQL server/);
      const missing = new URL(db.url);
      missing.pathname = "/no_such_database_here";
      expect(await attempt(missing.toString())).toMatch(/does not exist/);
    } finally {
      await db.drop();
    }
  });
});

describe("SQLite databases of earlier versions", () => {
  test.each([1, 2, 3, 4, 5])(
    "a database at schema version %i migrates forward and its runs can be leased",
    async (version) => {
      const dir = mkdtempSync(join(tmpdir(), "ja-store-old-"));
      const db = new Database(join(dir, "old.sqlite"));
      try {
        db.exec("CREATE TABLE schema_version (version INTEGER NOT NULL)");
        for (const m of MIGRATIONS.slice(0, version)) db.exec(m);
        db.prepare("INSERT INTO schema_version (version) VALUES (?)").run(version);
        db.prepare(
          `INSERT INTO runs (tenant_id, id, state, started_by, started_by_oid, started_at, desired_json, plan_hash)
         VALUES (?, ?, 'running', 'a', 'o', '2026-01-01T00:00:00Z', '{}', 'h')`,
        ).run(CONTOSO, RUN);
        expect(migrate(db)).toBe(SCHEMA_VERSION);
        expect(migrate(db)).toBe(SCHEMA_VERSION);
        const store = new Store(db);
        const c = store.forTenant(CONTOSO);
        expect(await c.getRun(RUN)).toMatchObject({ state: "running", leaseOwner: null, undoOf: null });
        expect(await store.expiredRunningRuns(Date.now(), 10)).toEqual([{ tenantId: CONTOSO, runId: RUN }]);
        expect(await c.claimRun(RUN, "A", Date.now() + 1000)).toBe(true);
      } finally {
        db.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
