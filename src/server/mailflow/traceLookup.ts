import type { VerdictTraceRow } from "../../core/status/messageVerdict";
import type { ExchangeRunner, Row } from "../exchange/runner";
import type { HttpSend } from "../net/httpClient";
import { odataLiteral } from "./graphMail";

/**
 * Message trace rows for one message (by Message-ID) or for the mail-flow test's messages (by a
 * subject token), from Graph's `GET /admin/exchange/tracing/messageTraces` when the caller's token
 * holds ExchangeMessageTrace.Read.All, else from Get-MessageTraceV2, as the status report does
 * (src/server/status/graphTrace.ts, messageTrace.ts). Both: 10 days per query at most, 90 days back
 * at most, end not later than now (List messageTraces; Get-MessageTraceV2 help). Graph's $filter
 * documents `messageId eq` and `contains(subject, …)`; Get-MessageTraceV2 has -MessageId and
 * -Subject with -SubjectFilterType Contains.
 */
export interface TraceQuery {
  readonly messageId?: string;
  readonly subjectContains?: string;
  readonly startMs: number;
  readonly endMs: number;
}

export interface TraceLookupResult {
  readonly rows: VerdictTraceRow[];
  readonly source: "graph" | "exchange";
  /** Why Graph was not used (refused), when it was tried. */
  readonly note?: string;
}

const DAY = 86_400_000;
/** Graph refuses an end bound later than its own clock: stay a minute behind ours. */
const END_MARGIN_MS = 60_000;

function graphTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function fromExchange(r: Row): VerdictTraceRow {
  return {
    messageTraceId: str(r.MessageTraceId),
    senderAddress: str(r.SenderAddress),
    recipientAddress: str(r.RecipientAddress),
    subject: str(r.Subject),
    status: str(r.Status),
    received: str(r.Received),
    ...(typeof r.MessageId === "string" ? { messageId: r.MessageId } : {}),
  };
}

function fromGraph(v: Record<string, unknown>): VerdictTraceRow {
  return {
    messageTraceId: str(v.id),
    senderAddress: str(v.senderAddress),
    recipientAddress: str(v.recipientAddress),
    subject: str(v.subject),
    status: str(v.status),
    received: str(v.receivedDateTime),
    ...(typeof v.messageId === "string" ? { messageId: v.messageId } : {}),
  };
}

/** Clamps a window to what both sources accept: at most 10 days, not before 90 days ago, not after now. */
export function clampWindow(startMs: number, endMs: number, now: number): { startMs: number; endMs: number } {
  const end = Math.min(endMs, now);
  const start = Math.max(startMs, end - 10 * DAY, now - 90 * DAY + 60_000);
  return { startMs: Math.min(start, end), endMs: end };
}

export async function lookupTrace(
  q: TraceQuery,
  runner: ExchangeRunner,
  graph: { send: HttpSend; graphUrl: string; token: () => Promise<string> } | undefined,
  /** Get-MessageTraceV2 attempts: each one spends one of the tenant's 100 trace queries per 5 minutes. */
  maxAttempts = 2,
): Promise<TraceLookupResult> {
  let note: string | undefined;
  if (graph) {
    const clauses = [
      `receivedDateTime ge ${graphTime(q.startMs)}`,
      `receivedDateTime le ${graphTime(q.endMs - END_MARGIN_MS)}`,
      ...(q.messageId !== undefined ? [`messageId eq ${odataLiteral(q.messageId)}`] : []),
      ...(q.subjectContains !== undefined ? [`contains(subject, ${odataLiteral(q.subjectContains)})`] : []),
    ];
    const origin = new URL(graph.graphUrl).origin;
    const url = `${origin}/v1.0/admin/exchange/tracing/messageTraces?$filter=${encodeURIComponent(clauses.join(" and "))}&$top=1000`;
    const res = await graph.send({
      method: "GET",
      url,
      headers: { authorization: `Bearer ${await graph.token()}`, accept: "application/json" },
      timeoutMs: 30_000,
    });
    if (res.status === 200) {
      const body = JSON.parse(res.text) as { value?: Record<string, unknown>[] };
      return { rows: (body.value ?? []).map(fromGraph), source: "graph" };
    }
    note = `Graph message trace answered HTTP ${String(res.status)}; Get-MessageTraceV2 answered instead.`;
  }
  const rows = await runner.run(
    "Get-MessageTraceV2",
    {
      StartDate: new Date(q.startMs).toISOString(),
      EndDate: new Date(q.endMs).toISOString(),
      ...(q.messageId !== undefined ? { MessageId: [q.messageId] } : {}),
      ...(q.subjectContains !== undefined ? { Subject: q.subjectContains, SubjectFilterType: "Contains" } : {}),
      ResultSize: 1000,
    },
    { maxAttempts },
  );
  return { rows: rows.map(fromExchange), source: "exchange", ...(note ? { note } : {}) };
}
