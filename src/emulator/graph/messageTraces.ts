import { advanceMailFlow } from "../exchange/mailflow";
import { mayRun, roleGroupsOf } from "../exchange/permissions";
import type { TenantRecord, TraceEntry, TraceStatus } from "../exchange/types";
import { json, type Router } from "../http/router";
import type { EmulatorRequest, EmulatorResponse } from "../http/types";
import { authenticate, graphError, GraphFailure, type Caller, type GraphContext } from "./routes";

/**
 * Microsoft Graph v1.0 message trace: GET /admin/exchange/tracing/messageTraces, read from the same
 * tenant trace as Get-MessageTraceV2. Sources (checked 2026):
 * - List messageTraces (learn.microsoft.com/graph/api/messagetracingroot-list-messagetraces?view=graph-rest-1.0):
 *   permission ExchangeMessageTrace.Read.All (delegated work/school and application; no higher one);
 *   $filter, $top and $skiptoken; default page 1000, `$top` 1–5000; follow `@odata.nextLink` (it
 *   keeps the request's query); `receivedDateTime ge {start} and receivedDateTime le {end}` with
 *   both bounds, at most 10 days, start not more than 90 days back, end not later than now; without
 *   it, the previous 48 hours. Throttling: 100 requests per 5 minutes.
 * - exchangeMessageTrace resource (…/resources/exchangemessagetrace?view=graph-rest-1.0): id,
 *   senderAddress, recipientAddress, messageId, receivedDateTime, subject, size, fromIP, toIP,
 *   status (gettingStatus, pending, failed, delivered, expanded, quarantined, filteredAsSpam, …);
 *   $filter eq on id, messageId, recipientAddress, senderAddress, status, fromIP, toIP; subject
 *   contains / startsWith / endsWith; toIP blank for mail received by Exchange Online. Prerequisite:
 *   the service principal of Microsoft's app 8bd644d1-64a1-4d4b-ae52-2e0cbf64e373 in the tenant.
 * - Missing that service principal: 401 {"code":"Unauthorized","message":"Service principal-less
 *   Authentication failed: the service principal for App ID 8bd644d1-… was not found. …"} (error
 *   text quoted in office365itpros.com/2026/01/27/message-trace-api).
 * - Exchange Team blog "Message Trace Support Using Graph API" (Jan 2026): "All calls to message
 *   trace or message trace detail share the same quota": the emulator counts Graph calls and
 *   Get-MessageTraceV2 calls against one 100-per-5-minutes budget per tenant.
 * Error wordings marked [emulator] are not confirmed.
 */
export const TRANSPORT_DATA_PLATFORM_APP_ID = "8bd644d1-64a1-4d4b-ae52-2e0cbf64e373";
export const MESSAGE_TRACE_PERMISSION = "ExchangeMessageTrace.Read.All";
export const MESSAGE_TRACES_PATH = "/v1.0/admin/exchange/tracing/messageTraces";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DEFAULT_TOP = 1000;
const MAX_TOP = 5000;
const WINDOW_MS = 5 * 60_000;

const STATUS: Record<TraceStatus, string> = {
  Delivered: "delivered",
  Expanded: "expanded",
  Failed: "failed",
  FilteredAsSpam: "filteredAsSpam",
  GettingStatus: "gettingStatus",
  Pending: "pending",
  Quarantined: "quarantined",
};

const EQ_PROPERTIES = ["id", "messageId", "recipientAddress", "senderAddress", "status", "fromIP", "toIP"] as const;
type EqProperty = (typeof EQ_PROPERTIES)[number];

interface TraceQuery {
  eq: Partial<Record<EqProperty, string>>;
  subject?: { op: "contains" | "startswith" | "endswith"; value: string };
  ge?: number;
  le?: number;
}

function badRequest(message: string): GraphFailure {
  return new GraphFailure(400, "BadRequest", message);
}

/** Graph's item shape: camelCase, UTC times without fractions, status as the enum's member name. */
function item(e: TraceEntry): Record<string, unknown> {
  return {
    id: e.MessageTraceId,
    senderAddress: e.SenderAddress,
    recipientAddress: e.RecipientAddress,
    messageId: e.MessageId,
    receivedDateTime: new Date(e.Received).toISOString().replace(/\.\d{3}Z$/, "Z"),
    subject: e.Subject,
    size: e.Size,
    fromIP: e.FromIP ?? "",
    toIP: e.ToIP ?? "",
    status: STATUS[e.Status],
  };
}

function unquote(value: string): string {
  return value.slice(1, -1).replace(/''/g, "'");
}

/** The $filter grammar the resource documents: clauses joined by `and` (nothing else) [emulator]. */
function parseFilter(filter: string | null): TraceQuery {
  const q: TraceQuery = { eq: {} };
  if (filter === null || filter.trim() === "") return q;
  const clauses = filter.split(/\s+and\s+/i);
  for (const raw of clauses) {
    const clause = raw.trim();
    let m = /^receivedDateTime\s+(ge|le)\s+(\S+)$/i.exec(clause);
    if (m) {
      const t = Date.parse(m[2] ?? "");
      if (Number.isNaN(t)) throw badRequest(`Invalid receivedDateTime value '${m[2] ?? ""}'.`); // [emulator]
      if ((m[1] ?? "").toLowerCase() === "ge") q.ge = t;
      else q.le = t;
      continue;
    }
    m = /^(\w+)\s+eq\s+('(?:[^']|'')*')$/i.exec(clause);
    if (m) {
      const prop = EQ_PROPERTIES.find((p) => p.toLowerCase() === (m?.[1] ?? "").toLowerCase());
      if (prop === undefined) throw badRequest(`The property '${m[1] ?? ""}' does not support filtering with 'eq'.`); // [emulator]
      q.eq[prop] = unquote(m[2] ?? "''");
      continue;
    }
    m = /^(contains|startsWith|endsWith)\(\s*subject\s*,\s*('(?:[^']|'')*')\s*\)$/i.exec(clause);
    if (m) {
      q.subject = {
        op: (m[1] ?? "contains").toLowerCase() as "contains" | "startswith" | "endswith",
        value: unquote(m[2] ?? "''"),
      };
      continue;
    }
    throw badRequest(`Invalid filter clause: '${clause}'.`); // [emulator]
  }
  return q;
}

function range(q: TraceQuery, now: number): { start: number; end: number } {
  if (q.ge === undefined && q.le === undefined) return { start: now - 48 * HOUR, end: now };
  if (q.ge === undefined || q.le === undefined) {
    throw badRequest("Both receivedDateTime ge and receivedDateTime le must be specified."); // [emulator]
  }
  if (q.ge > q.le) throw badRequest("The start of the receivedDateTime range must be before its end."); // [emulator]
  if (q.le - q.ge > 10 * DAY) throw badRequest("The receivedDateTime range can't exceed 10 days."); // [emulator]
  if (q.ge < now - 90 * DAY)
    throw badRequest("The start of the receivedDateTime range can't be more than 90 days ago."); // [emulator]
  if (q.le > now) throw badRequest("The end of the receivedDateTime range can't be later than the current date."); // [emulator]
  return { start: q.ge, end: q.le };
}

function matches(e: TraceEntry, q: TraceQuery, start: number, end: number, now: number): boolean {
  // Trace data lags the mail flow (settings.messageTraceLagSeconds), for Graph as for Get-MessageTraceV2.
  if (e.VisibleAt !== undefined && Date.parse(e.VisibleAt) > now) return false;
  const t = Date.parse(e.Received);
  if (t < start || t > end) return false;
  const same = (a: string | null, b: string | undefined): boolean =>
    b === undefined || (a ?? "").toLowerCase() === b.toLowerCase();
  const row = item(e);
  for (const p of EQ_PROPERTIES) if (!same(String(row[p]), q.eq[p])) return false;
  if (q.subject) {
    const s = e.Subject.toLowerCase();
    const v = q.subject.value.toLowerCase();
    if (
      q.subject.op === "contains" ? !s.includes(v) : q.subject.op === "startswith" ? !s.startsWith(v) : !s.endsWith(v)
    )
      return false;
  }
  return true;
}

/** Newest first, then by recipient and id: a stable order for the skip token to continue from. */
function compare(a: TraceEntry, b: TraceEntry): number {
  return (
    Date.parse(b.Received) - Date.parse(a.Received) ||
    a.RecipientAddress.localeCompare(b.RecipientAddress) ||
    a.MessageTraceId.localeCompare(b.MessageTraceId)
  );
}

/** The skip token names the last row of the page (not an offset), so mail arriving meanwhile shifts nothing. */
function encodeToken(e: TraceEntry): string {
  return Buffer.from(JSON.stringify([e.Received, e.RecipientAddress, e.MessageTraceId])).toString("base64url");
}

function afterToken(token: string): (e: TraceEntry) => boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((x) => typeof x === "string")) {
    throw badRequest("The $skiptoken is invalid."); // [emulator]
  }
  const [received, recipient, id] = parsed as [string, string, string];
  const last = { Received: received, RecipientAddress: recipient, MessageTraceId: id } as TraceEntry;
  return (e) => compare(last, e) < 0;
}

function demandPermission(caller: Caller, record: TenantRecord): void {
  if (!caller.permissions.has(MESSAGE_TRACE_PERMISSION.toLowerCase())) {
    const granted = [...caller.permissions].join(" ");
    // [emulator] wording of Graph's gateway for a token without the API's permission.
    throw new GraphFailure(
      403,
      "Forbidden",
      `Missing scope permissions on the request. API requires one of '${MESSAGE_TRACE_PERMISSION}'. ${caller.delegated ? "Scopes" : "Roles"} on the request '${granted}'.`,
    );
  }
  if (caller.delegated && caller.me) {
    // Delegated: the signed-in user needs a role that may trace messages (Exchange RBAC), as for
    // Get-MessageTraceV2 (office365itpros: "the signed in user must be an Exchange administrator").
    const roles = caller.me.roles;
    const upn = caller.me.userPrincipalName;
    if (!mayRun("Get-MessageTraceV2", roles, roleGroupsOf(record, { roles, upn, appOnly: false }))) {
      throw new GraphFailure(403, "Forbidden", "The user is not allowed to trace messages in this organization."); // [emulator]
    }
  }
}

function countQuery(record: TenantRecord, now: number): void {
  const rt = record.exchange.runtime;
  rt.traceQueryTimes = rt.traceQueryTimes.filter((t) => t > now - WINDOW_MS);
  const max = record.exchange.settings.messageTraceQueriesPer5Min;
  if (rt.traceQueryTimes.length >= max) {
    const oldest = rt.traceQueryTimes[0] ?? now;
    const retryAfter = Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000));
    throw new GraphFailure(
      429,
      "TooManyRequests",
      `Message trace is limited to ${max} requests per 5 minutes per tenant. Try again in ${retryAfter} seconds.`, // [emulator]
      { "retry-after": String(retryAfter) },
    );
  }
  rt.traceQueryTimes.push(now);
}

function list(ctx: GraphContext, req: EmulatorRequest): EmulatorResponse {
  const caller = authenticate(ctx, req);
  const record = ctx.state.getTenant(caller.tenant.tenantId);
  if (record === undefined) throw new GraphFailure(401, "InvalidAuthenticationToken", "Invalid tenant.");
  if (!record.directory.servicePrincipals.some((sp) => sp.appId === TRANSPORT_DATA_PLATFORM_APP_ID)) {
    throw new GraphFailure(
      401,
      "Unauthorized",
      `Service principal-less Authentication failed: the service principal for App ID ${TRANSPORT_DATA_PLATFORM_APP_ID} was not found. Please create a service principal for this app in your tenant. Provisioning may take several hours to complete.`,
    );
  }
  demandPermission(caller, record);
  for (const key of req.query.keys()) {
    if (key !== "$filter" && key !== "$top" && key !== "$skiptoken") {
      throw badRequest(`Query option '${key}' is not supported for this request.`); // [emulator]
    }
  }
  const topRaw = req.query.get("$top");
  const top = topRaw === null ? DEFAULT_TOP : Number(topRaw);
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
    throw badRequest(`The $top value must be between 1 and ${MAX_TOP}.`); // [emulator]
  }
  const nowMs = ctx.now();
  const query = parseFilter(req.query.get("$filter"));
  const { start, end } = range(query, nowMs);
  const skip = req.query.get("$skiptoken");
  const after = skip === null ? (): boolean => true : afterToken(skip);
  countQuery(record, nowMs);
  // The simulated stream catches up first, as for the admin API.
  advanceMailFlow(record, new Date(nowMs));
  ctx.state.changed();
  const rows = record.exchange.messageTrace
    .filter((e) => matches(e, query, start, end, nowMs) && after(e))
    .sort(compare);
  const page = rows.slice(0, top);
  const body: Record<string, unknown> = {
    "@odata.context": `${req.origin}/v1.0/$metadata#admin/exchange/tracing/messageTraces`,
    value: page.map(item),
  };
  const last = page[page.length - 1];
  if (rows.length > top && last) {
    const next = new URLSearchParams(req.query);
    next.set("$skiptoken", encodeToken(last));
    body["@odata.nextLink"] = `${req.origin}${MESSAGE_TRACES_PATH}?${next.toString()}`;
  }
  return json(200, body);
}

/** Registers the route; call before the Graph routes (their catch-all answers unknown segments). */
export function addMessageTraceRoutes(router: Router, ctx: GraphContext): void {
  router.add("GET", MESSAGE_TRACES_PATH, (req) => {
    try {
      return list(ctx, req);
    } catch (e) {
      if (e instanceof GraphFailure) return graphError(ctx, req, e);
      throw e;
    }
  });
}
