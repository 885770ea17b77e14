import type { AddressTrace, CodedError, MessageTraceSummary, TraceSource, TraceStaleCode } from "../../core/contract";
import { ExchangeError } from "../exchange/errors";
import type { ExchangeRunner, Row } from "../exchange/runner";
import type { TenantStore } from "../store/tenantStore";
import { GraphTraceUnavailable, type GraphTraceReader } from "./graphTrace";
import { traceDetail, type TraceDetail } from "../../core/monitor/interval";
import { SingleFlight } from "./singleFlight";

/**
 * Journal reports delivered / failed per journaling address over the last 24 hours, from
 * Get-MessageTraceV2, as the contract's MessageTraceSummary. The service allows 100 trace queries
 * per 5 minutes per tenant, so results are cached per tenant (in the database, so a restart doesn't
 * spend the budget again), shared by every caller of the tenant, refreshed at most once per TTL,
 * and a local budget below the service's keeps us from ever hitting its limit; callers are told how
 * old the numbers are.
 *
 * With a Graph reader (the user's app holds ExchangeMessageTrace.Read.All), the numbers come from
 * Graph's message trace; when Graph refuses (403: no permission; 401: Microsoft's Transport Data
 * Platform service principal missing) Get-MessageTraceV2 answers instead, Graph is not asked again
 * for GRAPH_RETRY_MS, and the answer says which source it is and why. Both count against the same
 * budget: "All calls to message trace or message trace detail share the same quota" (Exchange Team
 * blog, Message Trace support using Graph API, Jan 2026).
 */
interface CachedTrace {
  readonly perAddress: readonly AddressTrace[];
  /** Per minute and the NDR mailbox's rows, for the monitor's interval (absent in entries cached before). */
  readonly detail?: TraceDetail;
  readonly source?: TraceSource;
  readonly sourceNote?: string;
}

/** How long a Graph refusal sends the tenant's trace to Get-MessageTraceV2 before Graph is tried again. */
const GRAPH_RETRY_MS = 10 * 60 * 1000;
/** Graph refuses an end bound later than its own clock: stay a minute behind ours. */
const GRAPH_END_MARGIN_MS = 60_000;

const WINDOW_MS = 5 * 60 * 1000;

const PAGE_SIZE = 5000;
const MAX_PAGES = 5;

/** The local share of the service's query budget is used up for now. */
class TraceBudgetSpent extends Error {
  readonly code = "trace_budget";
}

/** A trace read: the summary every caller shows, and the detail the monitor's check counts its interval from. */
export interface TraceRead {
  readonly summary: MessageTraceSummary;
  readonly detail: TraceDetail | null;
}

export class MessageTraceCache {
  private readonly flights = new SingleFlight<TraceRead>();
  private readonly queries = new Map<string, number[]>();
  /** Per tenant: until when Graph is not asked, and what it said. */
  private readonly graphRefused = new Map<string, { until: number; note: string }>();

  private readonly budget: () => number;

  /**
   * `budgetPer5Min`: queries this process may make per tenant in 5 minutes (Microsoft allows 100; 80
   * leaves room for the admin's own searches). With several instances, a function giving this
   * instance's share, so that together they stay within it.
   */
  constructor(
    private readonly ttlMs: number,
    budgetPer5Min: number | (() => number) = 80,
    private readonly now: () => number = Date.now,
  ) {
    this.budget = typeof budgetPer5Min === "number" ? () => budgetPer5Min : budgetPer5Min;
  }

  async summary(
    tenant: TenantStore,
    addresses: readonly string[],
    runner: ExchangeRunner,
    graph?: GraphTraceReader,
    ndrMailbox?: string,
  ): Promise<MessageTraceSummary> {
    return (await this.read(tenant, addresses, runner, graph, ndrMailbox)).summary;
  }

  /**
   * The summary and its detail. `ndrMailbox` (JournalingReportNdrTo) is traced in the same query as the
   * journaling addresses (Get-MessageTraceV2 takes several RecipientAddress values; Graph one query per
   * address, so one more there), for the undeliverable reports that arrive there.
   */
  async read(
    tenant: TenantStore,
    addresses: readonly string[],
    runner: ExchangeRunner,
    graph?: GraphTraceReader,
    ndrMailbox?: string,
  ): Promise<TraceRead> {
    const wanted = [...new Set(addresses.map((a) => a.toLowerCase()))].sort();
    const ndr = wanted.length > 0 ? ndrMailbox?.toLowerCase() : undefined;
    // A key of its own with the NDR mailbox: an entry cached without it must not stand in for one with it.
    const key = ndr !== undefined ? `${wanted.join(",")};ndr=${ndr}` : wanted.join(",");
    const cached = await tenant.getTrace(key);
    const fresh = cached && this.now() - Date.parse(cached.asOf) < this.ttlMs;
    if (cached && fresh) return this.present(cached.asOf, cached.data as CachedTrace);
    if (wanted.length === 0) {
      return { summary: { asOf: new Date(this.now()).toISOString(), ageSeconds: 0, perAddress: [] }, detail: null };
    }
    return this.flights.run(`${tenant.tenantId}/${key}`, async () => {
      try {
        const asOf = new Date(this.now()).toISOString();
        const data = await this.query(tenant.tenantId, wanted, runner, graph, ndr);
        await tenant.putTrace(key, asOf, data);
        return this.present(asOf, data);
      } catch (err) {
        if (err instanceof TraceBudgetSpent) {
          return this.fallback(
            cached,
            {
              code: "trace_budget",
              message: "Message trace was queried often in the last 5 minutes; showing the last result.",
            },
            wanted,
          );
        }
        if (!(err instanceof ExchangeError)) throw err;
        return this.fallback(
          cached,
          { code: err.code, message: `Message trace is unavailable right now: ${err.message}` },
          wanted,
        );
      }
    });
  }

  private spend(tenantId: string): boolean {
    const t = this.now();
    const recent = (this.queries.get(tenantId) ?? []).filter((q) => t - q < WINDOW_MS);
    if (recent.length >= this.budget()) {
      this.queries.set(tenantId, recent);
      return false;
    }
    recent.push(t);
    this.queries.set(tenantId, recent);
    return true;
  }

  private fallback(
    cached: { asOf: string; data: unknown } | undefined,
    stale: CodedError<TraceStaleCode>,
    wanted: readonly string[],
  ): TraceRead {
    if (cached) {
      const last = this.present(cached.asOf, cached.data as CachedTrace);
      return { summary: { ...last.summary, stale }, detail: last.detail };
    }
    const summary: MessageTraceSummary = {
      asOf: new Date(this.now()).toISOString(),
      ageSeconds: 0,
      perAddress: wanted.map((address) => ({
        address,
        delivered: 0,
        failed: 0,
        pending: 0,
        queuedSince: null,
        hourly: [],
      })),
      stale,
    };
    return { summary, detail: null };
  }

  private present(asOf: string, data: CachedTrace): TraceRead {
    return {
      summary: {
        asOf,
        ageSeconds: Math.max(0, Math.round((this.now() - Date.parse(asOf)) / 1000)),
        perAddress: data.perAddress,
        source: data.source ?? "exchange",
        ...(data.sourceNote ? { sourceNote: data.sourceNote } : {}),
      },
      detail: data.detail ?? null,
    };
  }

  private async query(
    tenantId: string,
    addresses: readonly string[],
    runner: ExchangeRunner,
    graph: GraphTraceReader | undefined,
    ndr: string | undefined,
  ): Promise<CachedTrace> {
    // One trace query per read: Get-MessageTraceV2 with every journaling address and the NDR mailbox
    // (more only for a page past 5,000 rows); through Graph one per address, NDR mailbox included.
    const traced = ndr !== undefined && !addresses.includes(ndr) ? [...addresses, ndr] : addresses;
    const end = this.now();
    const start = end - 24 * 60 * 60 * 1000;
    const refused = this.graphRefused.get(tenantId);
    let sourceNote: string | undefined = refused && refused.until > end ? refused.note : undefined;
    if (graph && sourceNote === undefined) {
      try {
        const spend = (): void => {
          if (!this.spend(tenantId)) throw new TraceBudgetSpent();
        };
        const graphEnd = end - GRAPH_END_MARGIN_MS;
        const graphRows = await graph.list(traced, start, graphEnd, spend);
        this.graphRefused.delete(tenantId);
        return {
          perAddress: summarise(graphRows, addresses, start),
          detail: traceDetail(graphRows, addresses, ndr, graphEnd),
          source: "graph",
        };
      } catch (err) {
        if (!(err instanceof GraphTraceUnavailable)) throw err;
        sourceNote = `Microsoft Graph message trace refused (${err.message}); the numbers come from Get-MessageTraceV2.`;
        this.graphRefused.set(tenantId, { until: end + GRAPH_RETRY_MS, note: sourceNote });
      }
    }
    const rows: Row[] = [];
    let endDate = new Date(end).toISOString();
    let startingRecipient: string | undefined;
    // No paging in V2: a full page means "ask again from the last row's recipient and time".
    for (let page = 0; page < MAX_PAGES; page++) {
      // Every request counts against the service's budget, pages and retries alike: one attempt
      // per budget unit, and a failed query waits for the next caller rather than retrying here.
      if (!this.spend(tenantId)) throw new TraceBudgetSpent();
      const batch = await runner.run(
        "Get-MessageTraceV2",
        {
          RecipientAddress: [...traced],
          StartDate: new Date(start).toISOString(),
          EndDate: endDate,
          ResultSize: PAGE_SIZE,
          ...(startingRecipient ? { StartingRecipientAddress: startingRecipient } : {}),
        },
        { maxAttempts: 1 },
      );
      rows.push(...batch);
      if (batch.length < PAGE_SIZE) break;
      const last = batch[batch.length - 1];
      const received = typeof last?.Received === "string" ? last.Received : undefined;
      const recipient = typeof last?.RecipientAddress === "string" ? last.RecipientAddress : undefined;
      if (!received || !recipient) break;
      endDate = received;
      startingRecipient = recipient;
    }
    return {
      perAddress: summarise(rows, addresses, start),
      detail: traceDetail(rows, addresses, ndr, end),
      source: "exchange",
      ...(sourceNote !== undefined && graph ? { sourceNote } : {}),
    };
  }
}

/**
 * Counts Delivered, Failed and Pending rows per recipient address and per hour, and when the oldest
 * report still Pending was sent. Status is compared without case: Get-MessageTraceV2 says
 * "Delivered", Graph says "delivered".
 */
export function summarise(rows: readonly Row[], addresses: readonly string[], startMs: number): AddressTrace[] {
  const firstHour = Math.floor(startMs / 3_600_000) * 3_600_000;
  const seen = new Set<string>();
  return addresses.map((address) => {
    const hourly = Array.from({ length: 25 }, (_, i) => ({
      hour: new Date(firstHour + i * 3_600_000).toISOString(),
      delivered: 0,
      failed: 0,
      pending: 0,
    }));
    let delivered = 0;
    let failed = 0;
    let pending = 0;
    let queuedSince: number | null = null;
    for (const r of rows) {
      if (typeof r.RecipientAddress !== "string" || r.RecipientAddress.toLowerCase() !== address) continue;
      // The same message can come back twice across re-queries; count it once.
      const id = JSON.stringify([r.MessageTraceId, r.MessageId, r.Received, address]);
      if (seen.has(id)) continue;
      seen.add(id);
      const status = typeof r.Status === "string" ? r.Status.toLowerCase() : "";
      const kind =
        status === "delivered" ? "delivered" : status === "failed" ? "failed" : status === "pending" ? "pending" : null;
      if (kind === null) continue;
      const t = typeof r.Received === "string" ? Date.parse(r.Received) : NaN;
      if (kind === "delivered") delivered++;
      else if (kind === "failed") failed++;
      else {
        pending++;
        if (!Number.isNaN(t) && (queuedSince === null || t < queuedSince)) queuedSince = t;
      }
      const bucket = Number.isNaN(t) ? undefined : hourly[Math.floor((t - firstHour) / 3_600_000)];
      if (bucket) bucket[kind]++;
    }
    return {
      address,
      delivered,
      failed,
      pending,
      queuedSince: queuedSince === null ? null : new Date(queuedSince).toISOString(),
      hourly,
    };
  });
}
