import { checkRange, str, strList, toDate, type BoundParameters } from "../binding";
import { CmdletError, EXCEPTION, ThrottledError } from "../errors";
import type { Row, TraceEntry } from "../types";
import { output, sameName, type CmdletContext, type CmdletHandler } from "./context";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WINDOW_MS = 5 * 60_000;

/**
 * Message trace limits (Get-MessageTraceV2 help and the "new message trace" page): 90 days of
 * history, at most 10 days per query, default last 48 hours, ResultSize 1–5000 (default 1000),
 * no paging (continue with StartingRecipientAddress + EndDate), 100 queries / 5 min / tenant.
 * Error wordings marked [emulator] are not confirmed.
 */
function countQuery(ctx: CmdletContext): void {
  const rt = ctx.record.exchange.runtime;
  const now = ctx.now.getTime();
  rt.traceQueryTimes = rt.traceQueryTimes.filter((t) => t > now - WINDOW_MS);
  const max = ctx.record.exchange.settings.messageTraceQueriesPer5Min;
  if (rt.traceQueryTimes.length >= max) {
    const oldest = rt.traceQueryTimes[0] ?? now;
    const retryAfter = Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000));
    throw new ThrottledError(
      `Message trace is limited to ${max} queries per 5 minutes per tenant. Try again in ${retryAfter} seconds.`,
      retryAfter,
    );
  }
  rt.traceQueryTimes.push(now);
}

function range(
  ctx: CmdletContext,
  p: BoundParameters,
  historyDays: number,
  historyMessage: string,
): { start: Date; end: Date } {
  const hasStart = p.StartDate !== undefined && p.StartDate !== null;
  const hasEnd = p.EndDate !== undefined && p.EndDate !== null;
  const end = hasEnd ? toDate("EndDate", p.EndDate) : ctx.now;
  const start = hasStart ? toDate("StartDate", p.StartDate) : new Date(end.getTime() - 48 * HOUR);
  if (start.getTime() > end.getTime()) {
    throw new CmdletError(
      EXCEPTION.argument,
      "Invalid EndDate value. The EndDate can't be earlier than the StartDate.",
    ); // [emulator]
  }
  if (start.getTime() < ctx.now.getTime() - historyDays * DAY)
    throw new CmdletError(EXCEPTION.argument, historyMessage);
  return { start, end };
}

function addressMatch(patterns: string[] | undefined, value: string): boolean {
  if (patterns === undefined || patterns.length === 0) return true;
  return patterns.some((p) => {
    const re = new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i");
    return re.test(value);
  });
}

/** Rows trace already shows (settings.messageTraceLagSeconds: trace data lags the mail flow). */
export function visibleTrace(entries: TraceEntry[], now: Date): TraceEntry[] {
  const t = now.getTime();
  return entries.filter((e) => e.VisibleAt === undefined || Date.parse(e.VisibleAt) <= t);
}

function stripBrackets(id: string): string {
  return id.replace(/^<|>$/g, "");
}

function commonFilter(entries: TraceEntry[], p: BoundParameters): TraceEntry[] {
  const senders = strList(p, "SenderAddress");
  const recipients = strList(p, "RecipientAddress");
  const messageIds = strList(p, "MessageId")?.map(stripBrackets);
  const traceId = str(p, "MessageTraceId");
  const fromIp = str(p, "FromIP");
  const toIp = str(p, "ToIP");
  const statuses = strList(p, "Status");
  return entries.filter(
    (e) =>
      addressMatch(senders, e.SenderAddress) &&
      addressMatch(recipients, e.RecipientAddress) &&
      (messageIds === undefined || messageIds.some((m) => sameName(m, stripBrackets(e.MessageId)))) &&
      (traceId === undefined || sameName(traceId, e.MessageTraceId)) &&
      (fromIp === undefined || e.FromIP === fromIp) &&
      (toIp === undefined || e.ToIP === toIp) &&
      (statuses === undefined || statuses.some((s) => sameName(s, e.Status))),
  );
}

/** Newest first, then by recipient: the order StartingRecipientAddress continues from. */
function sortTrace(entries: TraceEntry[]): TraceEntry[] {
  return [...entries].sort(
    (a, b) => Date.parse(b.Received) - Date.parse(a.Received) || a.RecipientAddress.localeCompare(b.RecipientAddress),
  );
}

function traceRow(e: TraceEntry): Row {
  return {
    MessageTraceId: e.MessageTraceId,
    MessageId: e.MessageId,
    Received: e.Received,
    SenderAddress: e.SenderAddress,
    RecipientAddress: e.RecipientAddress,
    Subject: e.Subject,
    Status: e.Status,
    ToIP: e.ToIP,
    FromIP: e.FromIP,
    Size: e.Size,
  };
}

const getMessageTraceV2: CmdletHandler = (ctx, p) => {
  countQuery(ctx);
  const { start, end } = range(
    ctx,
    p,
    90,
    "Invalid StartDate value. The StartDate can't be older than 90 days from today.",
  ); // [emulator]
  if (end.getTime() - start.getTime() > 10 * DAY) {
    throw new CmdletError(EXCEPTION.argument, "The time range between StartDate and EndDate can't exceed 10 days."); // [emulator]
  }
  const size = typeof p.ResultSize === "number" ? p.ResultSize : 1000;
  checkRange("ResultSize", size, 1, 5000);
  const subject = str(p, "Subject");
  const subjectMode = (str(p, "SubjectFilterType") ?? "Contains").toLowerCase();
  const starting = str(p, "StartingRecipientAddress");
  let entries = commonFilter(visibleTrace(ctx.record.exchange.messageTrace, ctx.now), p).filter((e) => {
    const t = Date.parse(e.Received);
    if (t < start.getTime() || t > end.getTime()) return false;
    if (starting !== undefined && t === end.getTime() && e.RecipientAddress.localeCompare(starting) <= 0) return false;
    if (subject === undefined) return true;
    const s = e.Subject.toLowerCase();
    const q = subject.toLowerCase();
    return subjectMode === "startswith" ? s.startsWith(q) : subjectMode === "endswith" ? s.endsWith(q) : s.includes(q);
  });
  entries = sortTrace(entries);
  const warnings: string[] = [];
  if (entries.length > size) {
    const last = entries[size - 1];
    if (last) {
      warnings.push(
        `There are more results, use the following command to get more results: Get-MessageTraceV2 -StartDate "${start.toISOString()}" -EndDate "${last.Received}" -StartingRecipientAddress "${last.RecipientAddress}"`,
      );
    }
    entries = entries.slice(0, size);
  }
  return output(entries.map(traceRow), warnings);
};

const getMessageTrace: CmdletHandler = (ctx, p) => {
  countQuery(ctx);
  const { start, end } = range(
    ctx,
    p,
    10,
    "Invalid StartDate value. The StartDate can't be greater than 10 days from today.",
  ); // [unverified]
  const page = typeof p.Page === "number" ? p.Page : 1;
  const pageSize = typeof p.PageSize === "number" ? p.PageSize : 1000;
  checkRange("Page", page, 1, 1000);
  checkRange("PageSize", pageSize, 1, 5000);
  const entries = sortTrace(
    commonFilter(visibleTrace(ctx.record.exchange.messageTrace, ctx.now), p).filter((e) => {
      const t = Date.parse(e.Received);
      return t >= start.getTime() && t <= end.getTime();
    }),
  ).slice((page - 1) * pageSize, page * pageSize);
  const org = ctx.record.directory.initialDomain;
  return output(
    entries.map((e, i) => ({
      Organization: org,
      ...traceRow(e),
      StartDate: start.toISOString(),
      EndDate: end.toISOString(),
      Index: (page - 1) * pageSize + i,
    })),
    ["Get-MessageTrace is being deprecated. Use Get-MessageTraceV2 instead."], // [emulator]
  );
};

function detailRows(ctx: CmdletContext, p: BoundParameters): Row[] {
  const traceId = str(p, "MessageTraceId") ?? "";
  const recipient = str(p, "RecipientAddress") ?? "";
  const events = strList(p, "Event");
  const actions = strList(p, "Action");
  const org = ctx.record.directory.initialDomain;
  const entry = ctx.record.exchange.messageTrace.find(
    (e) => sameName(e.MessageTraceId, traceId) && sameName(e.RecipientAddress, recipient),
  );
  if (!entry) return [];
  return entry.Events.filter(
    (ev) =>
      (events === undefined || events.some((x) => sameName(x, ev.Event))) &&
      (actions === undefined || actions.some((x) => sameName(x, ev.Action ?? ""))),
  ).map((ev) => ({
    Organization: org,
    MessageId: entry.MessageId,
    MessageTraceId: entry.MessageTraceId,
    RecipientAddress: entry.RecipientAddress,
    SenderAddress: entry.SenderAddress,
    Date: ev.Date,
    Event: ev.Event,
    Action: ev.Action,
    Detail: ev.Detail,
    Data: ev.Data,
  }));
}

const getMessageTraceDetailV2: CmdletHandler = (ctx, p) => {
  countQuery(ctx);
  return output(detailRows(ctx, p));
};

const getMessageTraceDetail: CmdletHandler = (ctx, p) => {
  countQuery(ctx);
  return output(detailRows(ctx, p));
};

export const traceCmdlets: Record<string, CmdletHandler> = {
  "Get-MessageTraceV2": getMessageTraceV2,
  "Get-MessageTrace": getMessageTrace,
  "Get-MessageTraceDetailV2": getMessageTraceDetailV2,
  "Get-MessageTraceDetail": getMessageTraceDetail,
};
