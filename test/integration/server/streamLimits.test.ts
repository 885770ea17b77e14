import { readFileSync } from "node:fs";
import { openEventStream, startStack, waitForRun, type EventStream, type Stack } from "./harness";

/**
 * Abuse limits on run event streams over real HTTP: a user may hold a few streams, the next one is
 * 429 with Retry-After (a freed slot is taken again), and a stream is closed after its lifetime, the
 * client resuming with Last-Event-ID without losing or repeating an event.
 */
const euIndia = JSON.parse(readFileSync("examples/eu-india-regions.json", "utf8")) as unknown;
const ADMIN = "admin@contoso.com";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ config: { streamsPerUser: 2, streamMaxSeconds: 5 } });
});
afterAll(async () => {
  await stack.close();
});

const openStream = (runId: string, token: string, lastEventId?: number): Promise<EventStream> =>
  openEventStream(stack.backend.url, runId, token, lastEventId);

async function startSlowRun(token: string, desired: unknown, latency: Record<string, number>): Promise<string> {
  // Slow steps keep the run going for the length of the test.
  await stack.exchangeSettings("contoso.com", { latencyOverridesMs: latency });
  const plan = await stack.api("POST", "/api/plan", token, { desired });
  const run = await stack.api("POST", "/api/runs", token, { desired, planHash: plan.json.planHash });
  expect(run.status).toBe(202);
  return String(run.json.runId);
}

test("a third stream of one user is 429 with Retry-After; a freed slot is taken again; other users are not affected", async () => {
  const token = await stack.token(ADMIN);
  const runId = await startSlowRun(token, euIndia, { "New-DistributionGroup": 4000 });
  const a = await openStream(runId, token);
  const b = await openStream(runId, token);
  expect([a.res.statusCode, b.res.statusCode]).toEqual([200, 200]);
  const third = await stack.api("GET", `/api/runs/${runId}/events`, token);
  expect(third.status).toBe(429);
  expect(third.headers["retry-after"]).toBe("10");
  expect(third.json.error?.code).toBe("too_many_requests");
  expect(third.json.error?.message).toMatch(/you already follow 2 runs/);
  // A colleague has slots of their own.
  const colleague = await openStream(runId, await stack.token("user@contoso.com"));
  expect(colleague.res.statusCode).toBe(200);

  a.res.destroy();
  await a.ended;
  // The server notices the closed socket and frees the slot.
  let again: EventStream | undefined;
  for (let i = 0; i < 50 && again?.res.statusCode !== 200; i++) {
    again?.res.destroy();
    await new Promise((r) => setTimeout(r, 20));
    again = await openStream(runId, token);
  }
  expect(again?.res.statusCode).toBe(200);
  for (const s of [b, colleague, again]) s?.res.destroy();
  await stack.exchangeSettings("contoso.com", { latencyOverridesMs: {} });
  await waitForRun(stack, token, runId);
}, 60_000);

test("a stream closes after its lifetime; resuming with Last-Event-ID gets every later event exactly once", async () => {
  const token = await stack.token(ADMIN);
  // Pausing the setup the first test applied, each rule slow: longer than the 5 s lifetime.
  const runId = await startSlowRun(token, { ...(euIndia as object), state: "paused" }, { "Disable-JournalRule": 7000 });
  const first = await openStream(runId, token);
  await first.ended;
  // Closed by its lifetime, not by the end of the run.
  expect(first.text()).toMatch(/event: action-started/);
  expect(first.text()).not.toMatch(/event: run-finished/);
  const ids = (t: string): number[] => [...t.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
  const seen = ids(first.text());
  let all = [...seen];
  let text = first.text();
  // Reconnect until run-finished, as EventSource does, each time from the last id.
  while (!/event: run-finished/.test(text)) {
    const next = await openStream(runId, token, all[all.length - 1] ?? 0);
    await next.ended;
    text = next.text();
    all = [...all, ...ids(text)];
  }
  expect(new Set(all).size).toBe(all.length);
  expect(all).toEqual([...all].sort((x, y) => x - y));
  const finished = await waitForRun(stack, token, runId);
  expect(finished.json.state).toBe("succeeded");
  await stack.exchangeSettings("contoso.com", { latencyOverridesMs: {} });
}, 60_000);

describe("request rate limits", () => {
  let limited: Stack;
  beforeAll(async () => {
    limited = await startStack({ config: { rateLimitPerUser: 5, rateLimitPerTenant: 8 } });
  });
  afterAll(async () => {
    await limited.close();
  });

  test("a user over their limit gets 429 with Retry-After; a colleague still gets through until the tenant's limit", async () => {
    const admin = await limited.token(ADMIN);
    const colleague = await limited.token("user@contoso.com");
    const fabrikam = await limited.token("admin@fabrikam.com");
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await limited.api("GET", "/api/progress", admin)).status);
    expect(codes).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = await limited.api("GET", "/api/progress", admin);
    expect(refused.status).toBe(429);
    expect(refused.json.error?.code).toBe("too_many_requests");
    expect(refused.json.error?.message).toMatch(
      /^Too many requests from you: at most 5 a minute\. Try again in \d+ s\.$/,
    );
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);

    // The tenant has 8: the colleague gets the 3 the admin's 5 answered calls left.
    const colleagueCodes: number[] = [];
    for (let i = 0; i < 4; i++) colleagueCodes.push((await limited.api("GET", "/api/progress", colleague)).status);
    expect(colleagueCodes).toEqual([200, 200, 200, 429]);
    const tenantRefusal = await limited.api("GET", "/api/progress", colleague);
    expect(tenantRefusal.json.error?.message).toMatch(/from your organisation/);
    // Another organisation is not affected.
    expect((await limited.api("GET", "/api/progress", fabrikam)).status).toBe(200);
  });
});

describe("a bounded Exchange queue per tenant", () => {
  let bounded: Stack;
  beforeAll(async () => {
    bounded = await startStack({ config: { exchangeQueuePerTenant: 2 } });
  });
  afterAll(async () => {
    await bounded.close();
  });

  test("past the tenant's queue, requests that read Exchange get 503 with Retry-After; other tenants and other routes go on", async () => {
    const admin = await bounded.token(ADMIN);
    const fabrikam = await bounded.token("admin@fabrikam.com");
    // Each plan reads the tenant; a slow read keeps the first two in the queue.
    await bounded.exchangeSettings("contoso.com", { latencyOverridesMs: { "Get-TransportConfig": 1500 } });
    const plans = await Promise.all(
      Array.from({ length: 4 }, () => bounded.api("POST", "/api/plan", admin, { desired: euIndia })),
    );
    const busy = plans.filter((p) => p.status === 503);
    expect(plans.map((p) => p.status).sort()).toEqual([200, 200, 503, 503]);
    expect(busy[0]?.json.error?.code).toBe("exchange_busy");
    expect(busy[0]?.headers["retry-after"]).toBe("5");
    // The queue empties as answers go out: the next one is served.
    expect((await bounded.api("POST", "/api/plan", admin, { desired: euIndia })).status).toBe(200);
    // Another organisation has its own queue; routes that do not read Exchange are not queued.
    const [other, progress] = await Promise.all([
      bounded.api("GET", "/api/tenant/state", fabrikam),
      bounded.api("GET", "/api/progress", admin),
      bounded.api("POST", "/api/plan", admin, { desired: euIndia }),
      bounded.api("POST", "/api/plan", admin, { desired: euIndia }),
    ]);
    expect(other?.status).toBe(200);
    expect(progress?.status).toBe(200);
    await bounded.exchangeSettings("contoso.com", { latencyOverridesMs: {} });
  }, 60_000);
});
