import { ExchangeError } from "../../../src/server/exchange/errors";
import { Semaphore } from "../../../src/server/exchange/limiter";
import {
  createRetryingRunner,
  DEFAULT_RETRY_POLICY,
  type RetryClock,
} from "../../../src/server/exchange/retryingRunner";
import type { AttemptReport, ExchangeRunner, Row } from "../../../src/server/exchange/runner";

/** A clock that never waits: sleeping moves time forward. */
function fakeClock(): RetryClock & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: (ms) => {
      slept.push(ms);
      t += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
  };
}

/** A transport edge that answers from a script of outcomes. */
function scripted(outcomes: (Row[] | ExchangeError)[]): ExchangeRunner & { calls: number } {
  const t = {
    calls: 0,
    run: (): Promise<Row[]> => {
      const next = outcomes[Math.min(t.calls++, outcomes.length - 1)];
      return next instanceof ExchangeError ? Promise.reject(next) : Promise.resolve(next ?? []);
    },
  };
  return t;
}

test("throttling honours Retry-After (plus a little jitter); transient faults back off exponentially", async () => {
  const clock = fakeClock();
  const transport = scripted([
    new ExchangeError("throttled", "slow down", { retryAfterMs: 4000 }),
    new ExchangeError("transient", "503"),
    new ExchangeError("transient", "503"),
    [{ Name: "ok" }],
  ]);
  const reports: AttemptReport[] = [];
  const rows = await createRetryingRunner(transport, new Semaphore(3), DEFAULT_RETRY_POLICY, clock).run(
    "Get-X",
    {},
    {
      onAttempt: (r) => {
        reports.push(r);
      },
    },
  );
  expect(rows).toEqual([{ Name: "ok" }]);
  expect(clock.slept[0]).toBeGreaterThanOrEqual(4000);
  expect(clock.slept[0]).toBeLessThan(5000);
  expect(clock.slept[2]).toBeGreaterThan(clock.slept[1] ?? 0);
  expect(reports.map((r) => r.outcome)).toEqual(["retrying", "retrying", "retrying", "succeeded"]);
});

test("validation errors are not retried; retries stop after maxAttempts", async () => {
  const clock = fakeClock();
  const bad = scripted([new ExchangeError("validation", "no")]);
  await expect(
    createRetryingRunner(bad, new Semaphore(1), DEFAULT_RETRY_POLICY, clock).run("New-X", {}),
  ).rejects.toMatchObject({ code: "validation" });
  expect(bad.calls).toBe(1);
  const down = scripted([new ExchangeError("transient", "503")]);
  await expect(
    createRetryingRunner(down, new Semaphore(1), { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 }, clock).run("Get-X", {}),
  ).rejects.toMatchObject({ code: "transient" });
  expect(down.calls).toBe(3);
});

test("not found is retried only for objects just created, and only for a bounded time", async () => {
  const clock = fakeClock();
  const notYet = scripted([
    new ExchangeError("not_found", "nope"),
    new ExchangeError("not_found", "nope"),
    [{ Name: "g" }],
  ]);
  const runner = createRetryingRunner(notYet, new Semaphore(1), DEFAULT_RETRY_POLICY, clock);
  expect(await runner.run("Get-DistributionGroup", {}, { retryNotFound: true })).toEqual([{ Name: "g" }]);
  const never = scripted([new ExchangeError("not_found", "nope")]);
  const policy = { ...DEFAULT_RETRY_POLICY, replicationWaitMs: 10_000, replicationPollMs: 1000 };
  await expect(
    createRetryingRunner(never, new Semaphore(1), policy, clock).run("Get-X", {}, { retryNotFound: true }),
  ).rejects.toMatchObject({ code: "not_found" });
  expect(never.calls).toBeLessThanOrEqual(11);
  const plain = scripted([new ExchangeError("not_found", "nope")]);
  await expect(createRetryingRunner(plain, new Semaphore(1), policy, clock).run("Get-X", {})).rejects.toMatchObject({
    code: "not_found",
  });
  expect(plain.calls).toBe(1);
});

test("after a lost answer, a New- looks before it creates again, and 'already exists' means done", async () => {
  const clock = fakeClock();
  const lost = scripted([new ExchangeError("transient", "503 after the change")]);
  let looked = 0;
  const runner = createRetryingRunner(lost, new Semaphore(1), DEFAULT_RETRY_POLICY, clock);
  await runner.run(
    "New-JournalRule",
    {},
    {
      beforeRetry: () => {
        looked++;
        return Promise.resolve("done");
      },
    },
  );
  expect(lost.calls).toBe(1);
  expect(looked).toBe(1);

  const exists = scripted([new ExchangeError("transient", "lost"), new ExchangeError("already_exists", "exists")]);
  await expect(
    createRetryingRunner(exists, new Semaphore(1), DEFAULT_RETRY_POLICY, clock).run(
      "New-JournalRule",
      {},
      { alreadyDoneWhen: "already_exists" },
    ),
  ).resolves.toEqual([]);
  const firstTime = scripted([new ExchangeError("already_exists", "exists")]);
  await expect(
    createRetryingRunner(firstTime, new Semaphore(1), DEFAULT_RETRY_POLICY, clock).run(
      "New-JournalRule",
      {},
      { alreadyDoneWhen: "already_exists" },
    ),
  ).rejects.toMatchObject({ code: "already_exists" });
});

test("at most N calls per tenant are in flight", async () => {
  let inFlight = 0;
  let peak = 0;
  const slow: ExchangeRunner = {
    run: async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return [];
    },
  };
  const runner = createRetryingRunner(slow, new Semaphore(3));
  await Promise.all(Array.from({ length: 10 }, () => runner.run("Get-X", {})));
  expect(peak).toBe(3);
});
