import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shareOf, startPostgresPresence, type InstancePresence } from "../../../src/server/cluster/presence";
import { Semaphore } from "../../../src/server/exchange/limiter";
import { createLogger } from "../../../src/server/log";
import { SharedFlight } from "../../../src/server/status/sharedFlight";
import { openStore } from "../../../src/server/store/openStore";
import type { Store } from "../../../src/server/store/tenantStore";
import { Client } from "pg";
import { createTestDatabase, type TestDatabase } from "../../postgres/database";

/**
 * The per-tenant limits of several instances on one PostgreSQL (issue 16 §2): each instance knows how
 * many are live and takes its share of Exchange's concurrent requests and of the message-trace budget,
 * and a status read asked on two instances at once is made once.
 */
const TENANT = "7f9e4b4e-3f0c-4d54-9c7b-2f1f1a7f4a10";
const log = createLogger("error");

let database: TestDatabase;
const closers: (() => Promise<void>)[] = [];
beforeAll(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});
afterAll(async () => {
  await database.drop();
});

async function presence(instanceId: string): Promise<InstancePresence> {
  const p = await startPostgresPresence({ url: database.url, instanceId, log, everyMs: 200 });
  closers.push(() => p.close());
  return p;
}

async function until(what: string, ok: () => boolean): Promise<void> {
  const end = Date.now() + 5000;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("instances on one database know each other, and share a tenant's limits between them", async () => {
  const a = await presence("a");
  expect(a.live()).toBe(1);
  expect(shareOf(9, a)).toBe(9);
  const b = await presence("b");
  // The newcomer is answered at once: both count two well before the next round.
  await until("both to count two", () => a.live() === 2 && b.live() === 2);
  expect([shareOf(9, a), shareOf(80, b)]).toEqual([4, 40]);
  const c = await presence("c");
  await until("three", () => a.live() === 3 && c.live() === 3);
  expect(shareOf(9, c)).toBe(3);
  // Never nothing: more instances than the limit still leaves each one request.
  expect(shareOf(2, c)).toBe(1);
  // One stops and says so: the others take its share back.
  await closers.pop()?.();
  await until("two again", () => a.live() === 2 && b.live() === 2);
});

test("an instance whose database connection drops reconnects and is counted again", async () => {
  const a = await presence("a");
  const b = await presence("b");
  await until("both to count two", () => a.live() === 2 && b.live() === 2);
  const admin = new Client({ connectionString: database.url });
  await admin.connect();
  try {
    const killed = await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'journaling-assistant presence a'",
    );
    expect(killed.rowCount).toBe(1);
  } finally {
    await admin.end();
  }
  // Longer than three rounds (when a silent instance counts as gone): both still count two.
  await new Promise((r) => setTimeout(r, 1500));
  await until("both to count two again", () => a.live() === 2 && b.live() === 2);
});

test("an instance's Exchange limit follows its share: fewer holders once another instance joins", async () => {
  let limit = 4;
  const s = new Semaphore(() => limit);
  let active = 0;
  let peak = 0;
  const release: (() => void)[] = [];
  const hold = (): Promise<void> =>
    s.use(async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise<void>((r) => release.push(r));
      active--;
    });
  const first = [hold(), hold(), hold(), hold()];
  await until("four holders", () => active === 4);
  limit = 2;
  const later = [hold(), hold()];
  // The four finish; only two of the later ones at a time now.
  for (const r of release.splice(0)) r();
  await Promise.all(first);
  await until("the later ones", () => active === 2);
  expect(peak).toBe(4);
  const third = hold();
  await new Promise((r) => setTimeout(r, 50));
  expect(active).toBe(2);
  for (const r of release.splice(0)) r();
  await Promise.all(later);
  await until("the third", () => active === 1);
  for (const r of release.splice(0)) r();
  await third;
});

describe("a status read asked on two instances at once", () => {
  let dir: string;
  let a: Store;
  let b: Store;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "ja-flight-"));
    a = await openStore({ dataDir: dir, databaseUrl: database.url });
    b = await openStore({ dataDir: dir, databaseUrl: database.url });
    closers.push(async () => {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    });
  });

  test("is read once, and both get that read", async () => {
    const onA = new SharedFlight<{ n: number }>({ store: a, owner: "a", leaseMs: 10_000, pollMs: 10 });
    const onB = new SharedFlight<{ n: number }>({ store: b, owner: "b", leaseMs: 10_000, pollMs: 10 });
    let reads = 0;
    const read = async (): Promise<{ n: number }> => {
      reads++;
      await new Promise((r) => setTimeout(r, 300));
      return { n: reads };
    };
    const answers = await Promise.all([
      onA.run(TENANT, "read/x", read),
      onB.run(TENANT, "read/x", read),
      onB.run(TENANT, "read/x", read),
    ]);
    expect(reads).toBe(1);
    expect(answers).toEqual([{ n: 1 }, { n: 1 }, { n: 1 }]);
    // Asked again later: a new read (a result is shared with those who asked while it was made, not kept).
    expect(await onB.run(TENANT, "read/x", read)).toEqual({ n: 2 });
  });

  test("when the instance reading fails, the other reads for itself", async () => {
    const onA = new SharedFlight<{ by: string }>({ store: a, owner: "a", leaseMs: 10_000, pollMs: 10 });
    const onB = new SharedFlight<{ by: string }>({ store: b, owner: "b", leaseMs: 10_000, pollMs: 10 });
    const failing = onA.run(TENANT, "read/y", async () => {
      await new Promise((r) => setTimeout(r, 200));
      throw new Error("Exchange refused");
    });
    await new Promise((r) => setTimeout(r, 50));
    const fromB = onB.run(TENANT, "read/y", () => Promise.resolve({ by: "b" }));
    await expect(failing).rejects.toThrow("Exchange refused");
    expect(await fromB).toEqual({ by: "b" });
  });

  test("another tenant's read is its own", async () => {
    const onA = new SharedFlight<string>({ store: a, owner: "a", leaseMs: 10_000, pollMs: 10 });
    const onB = new SharedFlight<string>({ store: b, owner: "b", leaseMs: 10_000, pollMs: 10 });
    const slow = (v: string) => async (): Promise<string> => {
      await new Promise((r) => setTimeout(r, 100));
      return v;
    };
    const other = "0b8d2f6e-1c9a-4f3e-8d7b-5a6c4e3f2a1b";
    expect(
      await Promise.all([onA.run(TENANT, "read/z", slow("contoso")), onB.run(other, "read/z", slow("fabrikam"))]),
    ).toEqual(["contoso", "fabrikam"]);
  });
});
