import type { StatusResponse } from "../../../../src/core/contract";
import { intervalLine, intervalTrace, traceDetail, undeliverableLine } from "../../../../src/core/monitor/interval";
import { problemsFromStatus } from "../../../../src/core/monitor/problems";

const NOW = Date.parse("2026-12-07T10:30:20.000Z");
const MIN = 60_000;
const EU = "c@eu1.example";
const NDR = "journal-ndr@contoso.com";
let n = 0;

/** A Get-MessageTraceV2 row `minutesAgo` before NOW. */
function row(to: string, status: string, minutesAgo: number): Record<string, unknown> {
  n++;
  return {
    MessageTraceId: `id-${n}`,
    MessageId: `<m${n}@x>`,
    Received: new Date(NOW - minutesAgo * MIN).toISOString(),
    RecipientAddress: to,
    Status: status,
  };
}

function status(over: Partial<StatusResponse>): StatusResponse {
  return {
    resources: [],
    connectorValidation: null,
    messageTrace: {
      asOf: new Date(NOW).toISOString(),
      ageSeconds: 0,
      perAddress: [{ address: EU, delivered: 0, failed: 0, pending: 0, hourly: [] }],
    },
    checkedAt: new Date(NOW).toISOString(),
    hasSetup: true,
    findings: [],
    setupState: "active",
    ...over,
  };
}

describe("the monitor's interval, from the status's own trace read", () => {
  const rows = [
    row(EU, "Delivered", 3),
    row(EU, "Delivered", 14),
    row(EU, "Failed", 5),
    row(EU, "Pending", 2),
    row(EU, "Delivered", 40), // before the interval
    row(EU, "Delivered", 0), // the minute still running: the next check's
    row("someone@else.example", "Delivered", 3),
    row(NDR, "Delivered", 4),
    row(NDR, "Delivered", 300),
  ];
  const detail = traceDetail(rows, [EU], NDR, NOW);

  test("a first check counts one interval back, per address, and the NDRs that arrived in it", () => {
    const first = intervalTrace(detail, { addresses: [EU], intervalMs: 15 * MIN, recentMs: 60 * MIN });
    expect(first).toMatchObject({
      from: "2026-12-07T10:15:00.000Z",
      to: "2026-12-07T10:30:00.000Z",
      perAddress: [{ address: EU, delivered: 2, pending: 1, failed: 1 }],
      undeliverable: { address: NDR, count: 1, recent: 1 },
    });
    expect(first.seenNdrIds).toHaveLength(2);
    expect(intervalLine(first, first.perAddress[0]!)).toBe(
      "Since the last check (15 min): 2 delivered, 1 pending, 1 failed",
    );
    expect(undeliverableLine(first)).toBe(`1 undeliverable report arrived at ${NDR} since the last check (15 min)`);
  });

  test("the next check starts where the previous one ended, and counts an NDR once even when trace shows it late", () => {
    const previous = intervalTrace(traceDetail(rows.slice(0, 7), [EU], NDR, NOW - 10 * MIN), {
      addresses: [EU],
      intervalMs: 15 * MIN,
      recentMs: 60 * MIN,
    });
    expect(previous.to).toBe("2026-12-07T10:20:00.000Z");
    expect(previous.undeliverable?.count).toBe(0);
    const next = intervalTrace(detail, { addresses: [EU], previous, intervalMs: 15 * MIN, recentMs: 60 * MIN });
    expect(next.from).toBe("2026-12-07T10:20:00.000Z");
    expect(next.perAddress[0]).toEqual({ address: EU, delivered: 1, pending: 1, failed: 1 });
    // Both NDRs are new to this check (the one from 5 hours ago was not in trace before).
    expect(next.undeliverable?.count).toBe(2);
    const again = intervalTrace(detail, { addresses: [EU], previous: next, intervalMs: 15 * MIN, recentMs: 60 * MIN });
    expect(again.undeliverable?.count).toBe(0);
  });

  test("failed reports in the interval and NDRs that arrived are undeliverable-reports problems", () => {
    const sinceLastCheck = intervalTrace(detail, { addresses: [EU], intervalMs: 15 * MIN, recentMs: 60 * MIN });
    const problems = problemsFromStatus(status({ sinceLastCheck }), NOW, 60 * MIN);
    expect(problems.map((p) => [p.key, p.code])).toEqual([
      [`undeliverable-reports:${EU}`, "undeliverable-reports"],
      [`undeliverable-reports:ndr:${NDR}`, "undeliverable-reports"],
    ]);
    expect(problems[0]?.text).toBe(
      `1 journal report to ${EU} failed since the last check (15 min) and went to the undeliverable-reports mailbox: those messages were not journaled.`,
    );
    expect(problems[1]?.title).toBe(`Undeliverable journal reports arrived at ${NDR}`);
    expect(problems[1]?.text).toMatch(/^1 undeliverable report arrived at .* since the last check \(15 min\)/);
  });

  test("a quiet interval is no problem", () => {
    const quiet = traceDetail([row(EU, "Delivered", 3)], [EU], NDR, NOW);
    const sinceLastCheck = intervalTrace(quiet, { addresses: [EU], intervalMs: 15 * MIN, recentMs: 60 * MIN });
    expect(sinceLastCheck.undeliverable).toEqual({ address: NDR, count: 0, recent: 0 });
    expect(problemsFromStatus(status({ sinceLastCheck }), NOW, 60 * MIN)).toEqual([]);
  });
});
