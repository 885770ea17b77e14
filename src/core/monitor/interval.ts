import type { IntervalCount, IntervalTrace } from "../contract/status";

/**
 * Issue 14, "each check: journal reports per address (Delivered, Pending, Failed) over the last
 * interval; undeliverable reports arriving at the NDR mailbox". Both come from the one message trace
 * read the status already makes (24 hours, the journaling addresses and the NDR mailbox in one query):
 * no extra trace call, so the monitor stays inside the tenant's 100-queries-per-5-minutes budget that it
 * shares with the pane.
 *
 * The trace read keeps, next to its 24-hour summary, a `TraceDetail`: per journaling address the
 * reports per minute (sparse), and the rows to the NDR mailbox. A check turns it into an
 * `IntervalTrace`: reports Exchange received in [previous check's end, this trace's end), counted per
 * minute; NDRs by trace id (one that shows up in trace after the next check is still counted once).
 * Reports are placed by the time Exchange received them (the only time message trace filters on), so a
 * report received in one interval that fails later is counted in the interval it was received in; its
 * NDR, received when it failed, is what tells of the failure on time.
 */

/** One minute of reports to one address: [minute start (epoch ms), delivered, pending, failed]. */
export type MinuteCount = readonly [number, number, number, number];

export interface TraceDetail {
  /** The end of the trace query the detail comes from (ISO 8601). */
  readonly asOf: string;
  /** Per journaling address (lower case), the minutes with reports, oldest first. */
  readonly minutes: Readonly<Record<string, readonly MinuteCount[]>>;
  /** Rows to the JournalingReportNdrTo mailbox within the trace's window. */
  readonly ndr?: {
    readonly address: string;
    readonly rows: readonly { readonly id: string; readonly received: string }[];
  };
}

const MINUTE = 60_000;
const DAY = 24 * 3_600_000;
/** The NDR ids kept between checks; NDRs are rare, and the trace shows 24 hours of them. */
const MAX_SEEN_NDRS = 1_000;

function text(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/**
 * The detail of trace rows (Get-MessageTraceV2 field names; Graph's rows are mapped to them):
 * Delivered / Pending / Failed per minute for each journaling address, and every row to the NDR
 * mailbox. Status is compared without case (Graph says "delivered").
 */
export function traceDetail(
  rows: readonly Readonly<Record<string, unknown>>[],
  addresses: readonly string[],
  ndrMailbox: string | undefined,
  asOfMs: number,
): TraceDetail {
  const wanted = new Set(addresses.map((a) => a.toLowerCase()));
  const ndr = ndrMailbox?.toLowerCase();
  const perAddress = new Map<string, Map<number, [number, number, number, number]>>();
  const ndrRows = new Map<string, string>();
  const seen = new Set<string>();
  for (const r of rows) {
    const to = text(r.RecipientAddress)?.toLowerCase();
    const received = text(r.Received);
    if (to === undefined || received === undefined) continue;
    const t = Date.parse(received);
    if (Number.isNaN(t)) continue;
    // The same message can come back twice across re-queries (pages); count it once.
    const key = JSON.stringify([r.MessageTraceId, r.MessageId, received, to]);
    if (seen.has(key)) continue;
    seen.add(key);
    if (to === ndr) {
      ndrRows.set(text(r.MessageTraceId) ?? key, new Date(t).toISOString());
      continue;
    }
    if (!wanted.has(to)) continue;
    const status = text(r.Status)?.toLowerCase();
    const column = status === "delivered" ? 1 : status === "pending" ? 2 : status === "failed" ? 3 : 0;
    if (column === 0) continue;
    const minute = Math.floor(t / MINUTE) * MINUTE;
    let byMinute = perAddress.get(to);
    if (!byMinute) perAddress.set(to, (byMinute = new Map<number, [number, number, number, number]>()));
    let bucket = byMinute.get(minute);
    if (!bucket) byMinute.set(minute, (bucket = [minute, 0, 0, 0]));
    bucket[column]++;
  }
  const minutes: Record<string, MinuteCount[]> = {};
  for (const [address, byMinute] of perAddress) minutes[address] = [...byMinute.values()].sort((a, b) => a[0] - b[0]);
  return {
    asOf: new Date(asOfMs).toISOString(),
    minutes,
    ...(ndr !== undefined
      ? {
          ndr: {
            address: ndr,
            rows: [...ndrRows]
              .map(([id, r]) => ({ id, received: r }))
              .sort((a, b) => a.received.localeCompare(b.received)),
          },
        }
      : {}),
  };
}

export interface IntervalOptions {
  /** The journaling addresses of the setup, in the order the status shows them. */
  readonly addresses: readonly string[];
  /** The previous check's interval (from its snapshot); undefined for a tenant's first check. */
  readonly previous?: IntervalTrace | undefined;
  /** The monitor's interval: the first check looks back this far. */
  readonly intervalMs: number;
  /** How far back NDRs count as `recent` (an alert stays open while they keep coming). */
  readonly recentMs: number;
}

/**
 * The interval of this check: from where the previous check's ended (or one interval back for the
 * first check, or when the previous one is older than the trace's day) to the trace's end, in whole
 * minutes (the minute still running is counted by the next check, when it is complete).
 */
export function intervalTrace(detail: TraceDetail, o: IntervalOptions): IntervalTrace {
  const end = Math.floor(Date.parse(detail.asOf) / MINUTE) * MINUTE;
  const previousEnd = o.previous ? Date.parse(o.previous.to) : NaN;
  const start =
    !Number.isNaN(previousEnd) && previousEnd <= end && end - previousEnd <= DAY
      ? previousEnd
      : end - Math.max(MINUTE, Math.floor(o.intervalMs / MINUTE) * MINUTE);
  const perAddress: IntervalCount[] = o.addresses.map((a) => {
    const address = a.toLowerCase();
    let delivered = 0;
    let pending = 0;
    let failed = 0;
    for (const [minute, d, p, f] of detail.minutes[address] ?? []) {
      if (minute < start || minute >= end) continue;
      delivered += d;
      pending += p;
      failed += f;
    }
    return { address, delivered, pending, failed };
  });
  const out: IntervalTrace = { from: new Date(start).toISOString(), to: new Date(end).toISOString(), perAddress };
  if (!detail.ndr) return out;
  const seenBefore = o.previous?.seenNdrIds ? new Set(o.previous.seenNdrIds) : undefined;
  const asOf = Date.parse(detail.asOf);
  const recentFrom = asOf - Math.max(o.recentMs, o.intervalMs);
  let count = 0;
  let recent = 0;
  for (const row of detail.ndr.rows) {
    const t = Date.parse(row.received);
    // Without the previous check's ids (a first check), an NDR is new when it arrived within the interval.
    if (seenBefore ? !seenBefore.has(row.id) : t >= start) count++;
    if (t >= recentFrom) recent++;
  }
  return {
    ...out,
    undeliverable: { address: detail.ndr.address, count, recent },
    seenNdrIds: detail.ndr.rows.slice(-MAX_SEEN_NDRS).map((r) => r.id),
  };
}

/** "Since the last check (15 min): 12 delivered, 0 pending, 1 failed" (the pane and the CLI say it alike). */
export function intervalLine(interval: IntervalTrace, count: IntervalCount): string {
  return `Since the last check (${intervalMinutes(interval)} min): ${count.delivered} delivered, ${count.pending} pending, ${count.failed} failed`;
}

/** "2 undeliverable reports arrived at journal-ndr@contoso.com since the last check (15 min)". */
export function undeliverableLine(interval: IntervalTrace): string | undefined {
  const u = interval.undeliverable;
  if (!u) return undefined;
  const n = u.count === 0 ? "No" : String(u.count);
  return `${n} undeliverable report${u.count === 1 ? "" : "s"} arrived at ${u.address} since the last check (${intervalMinutes(interval)} min)`;
}

export function intervalMinutes(interval: IntervalTrace): number {
  return Math.max(0, Math.round((Date.parse(interval.to) - Date.parse(interval.from)) / MINUTE));
}
