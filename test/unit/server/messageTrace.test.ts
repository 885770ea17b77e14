import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExchangeError } from "../../../src/server/exchange/errors";
import { Semaphore } from "../../../src/server/exchange/limiter";
import { createRetryingRunner, DEFAULT_RETRY_POLICY } from "../../../src/server/exchange/retryingRunner";
import type { ExchangeRunner, Row } from "../../../src/server/exchange/runner";
import { GraphTraceUnavailable, type GraphTraceReader } from "../../../src/server/status/graphTrace";
import { MessageTraceCache } from "../../../src/server/status/messageTrace";
import { openDatabase } from "../../../src/server/store/db";
import { Store, type TenantStore } from "../../../src/server/store/tenantStore";

const CONTOSO = "58bcf7ff-e000-52e5-b108-402f9434063e";
const ADDRESS = "contoso@journaling.mxrecord.io";
const BUDGET = 10;

let dir: string;
let store: Store;
let tenant: TenantStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ja-trace-"));
  store = new Store(openDatabase(dir));
  tenant = store.forTenant(CONTOSO);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The service edge: counts every Get-MessageTraceV2 request it receives. */
function service(answer: () => Row[] | ExchangeError): ExchangeRunner & { requests: number } {
  const t = {
    requests: 0,
    run: (): Promise<Row[]> => {
      t.requests++;
      const a = answer();
      return a instanceof ExchangeError ? Promise.reject(a) : Promise.resolve(a);
    },
  };
  return t;
}

/** The real retry layer in front of the service, with a clock that never waits. */
function retrying(transport: ExchangeRunner): ExchangeRunner {
  let t = 0;
  return createRetryingRunner(transport, new Semaphore(9), DEFAULT_RETRY_POLICY, {
    now: () => t,
    sleep: (ms) => {
      t += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
  });
}

test("pages count against the message trace budget: the service never gets more requests than the budget", async () => {
  const fullPage = Array.from({ length: 5000 }, (_, i) => ({
    RecipientAddress: ADDRESS,
    Received: new Date(Date.now() - i * 1000).toISOString(),
    Status: "Delivered",
    MessageTraceId: String(i),
  }));
  const edge = service(() => fullPage);
  // TTL 0: every status call wants fresh numbers.
  const cache = new MessageTraceCache(0, BUDGET);
  const summaries = [];
  for (let i = 0; i < 4; i++) summaries.push(await cache.summary(tenant, [ADDRESS], retrying(edge)));
  expect(edge.requests).toBeLessThanOrEqual(BUDGET);
  expect(summaries[0]?.stale).toBeUndefined();
  expect(summaries[3]?.stale?.code).toBe("trace_budget");
});

test("a failing message trace is not retried past the budget, and status gets the failure at once", async () => {
  const edge = service(() => new ExchangeError("transient", "Get-MessageTraceV2 failed temporarily (HTTP 503)"));
  const cache = new MessageTraceCache(0, BUDGET);
  const first = await cache.summary(tenant, [ADDRESS], retrying(edge));
  expect(first.stale?.code).toBe("transient");
  expect(edge.requests).toBe(1);
  for (let i = 0; i < 20; i++) await cache.summary(tenant, [ADDRESS], retrying(edge));
  expect(edge.requests).toBe(BUDGET);
});

/** Graph's edge: answers rows in Graph's shape, or refuses as Graph does without the permission. */
function graphEdge(answer: () => Row[] | "refused"): GraphTraceReader & { requests: number } {
  const g = {
    requests: 0,
    list: (_a: readonly string[], _s: number, _e: number, spend: () => void): Promise<Row[]> => {
      spend();
      g.requests++;
      const a = answer();
      return a === "refused"
        ? Promise.reject(new GraphTraceUnavailable("Missing scope permissions on the request."))
        : Promise.resolve(a);
    },
  };
  return g;
}

const T0 = Date.parse("2026-01-02T00:00:00Z");
const v2Row = (status: string, minutesAgo: number): Row => ({
  RecipientAddress: ADDRESS,
  Received: new Date(T0 - minutesAgo * 60_000).toISOString(),
  Status: status,
  MessageTraceId: `${status}-${minutesAgo}`,
});

test("Graph answers when it may: the cmdlet is not run, and the summary says the numbers are Graph's", async () => {
  const edge = service(() => [v2Row("Delivered", 5)]);
  const graph = graphEdge(() => [
    { RecipientAddress: ADDRESS, Received: new Date().toISOString(), Status: "delivered", MessageTraceId: "g1" },
    {
      RecipientAddress: ADDRESS,
      Received: new Date(Date.now() - 3_600_000).toISOString(),
      Status: "pending",
      MessageTraceId: "g2",
    },
  ]);
  const summary = await new MessageTraceCache(0, BUDGET).summary(tenant, [ADDRESS], edge, graph);
  expect(edge.requests).toBe(0);
  expect(summary.source).toBe("graph");
  expect(summary.perAddress[0]).toMatchObject({ delivered: 1, pending: 1, failed: 0 });
});

test("Graph refused: Get-MessageTraceV2 answers, the summary says why, and Graph is not asked again for a while", async () => {
  let now = T0;
  const edge = service(() => [v2Row("Pending", 90), v2Row("Pending", 30), v2Row("Delivered", 10)]);
  const graph = graphEdge(() => "refused");
  const cache = new MessageTraceCache(0, BUDGET, () => now);
  const first = await cache.summary(tenant, [ADDRESS], edge, graph);
  expect(first.source).toBe("exchange");
  expect(first.sourceNote).toMatch(/Graph message trace refused \(Missing scope permissions/);
  expect(first.perAddress[0]).toMatchObject({ delivered: 1, pending: 2 });
  expect(first.perAddress[0]?.queuedSince).toBe(v2Row("Pending", 90).Received);
  await cache.summary(tenant, [ADDRESS], edge, graph);
  expect(graph.requests).toBe(1);
  now += 11 * 60_000;
  await cache.summary(tenant, [ADDRESS], edge, graph);
  expect(graph.requests).toBe(2);
});
