import { connectOutcome } from "./cmdlets/connectors";
import { journalReportNdr } from "./journalNdr";
import type { Prng } from "./prng";
import type { JournalQueueState, OutboundConnectorRecord, TenantRecord, TraceEntry } from "./types";

/**
 * What happens to a journal report the journaling destination does not accept.
 *
 * - A TLS failure or a 4xx from the destination defers the report: it stays in the transport queue
 *   and is retried, and message trace shows it `Pending`. "Messages in deferral will remain in our
 *   queues for 1 day. [...] The first few deferrals are 15 minutes or less, with subsequent retries
 *   [...] increasing the interval [...] to a max of 60 minutes." (EOP queued, deferred, and bounced
 *   messages FAQ, learn.microsoft.com/defender-office-365/eop-queued-deferred-and-bounced-messages-faq).
 * - After that day the report expires: `Failed` (550 4.4.7 QUEUE.Expired), and "to handle the NDRs
 *   for undelivered journal reports, you have to specify an alternate journaling mailbox that
 *   accepts the NDRs" (Configure journaling in Exchange Online): the NDR goes to
 *   JournalingReportNdrTo, with the report attached.
 * - "Microsoft datacenter personnel will attempt to contact your organization [...]. If you haven't
 *   resolved the issue after two days of being contacted, Microsoft will disable the problematic
 *   journaling rule." (same article). When the contact happens is not documented: the emulator
 *   contacts when the first report to the address expires [emulator]. Nothing in Exchange says why
 *   a rule was disabled (Get-JournalRule shows Enabled False only); the emulator keeps the record in
 *   its runtime state for /_emulator/ and tests.
 *
 * Retries use the destination's outcome at the time they are processed (the emulator's settings
 * now), not a per-attempt history; the trace keeps the first Defer and the final event only.
 */
export const DEFERRAL_EXPIRY_MS = 24 * 3_600_000;
export const DISABLE_AFTER_CONTACT_MS = 2 * 24 * 3_600_000;
/** Minutes between attempts: 15 or less at first, growing to 60 at most (EOP FAQ above). */
const RETRY_MINUTES = [5, 10, 15, 15, 30, 45, 60];
/** The standard Exchange expiry text (docs/reference-additions.md, "Deferred journal reports"). */
const EXPIRED = "550 4.4.7 QUEUE.Expired; message expired";

export interface QueueSummary {
  delivered: number;
  deferred: number;
  failed: number;
  ndrs: number;
  rulesDisabled: number;
}

/**
 * Queued reports' trace rows by MessageTraceId, per tenant state object: a lookup cache only (the
 * state stays plain JSON), rebuilt from the trace when an id is missing (a state file just loaded).
 */
const pendingRows = new WeakMap<object, Map<string, TraceEntry>>();

function pendingRow(record: TenantRecord, id: string): TraceEntry | undefined {
  let rows = pendingRows.get(record.exchange);
  let hit = rows?.get(id);
  if (hit === undefined) {
    rows = new Map();
    for (const e of record.exchange.messageTrace)
      if (e.Kind === "journalReport" && e.Status === "Pending") rows.set(e.MessageTraceId, e);
    pendingRows.set(record.exchange, rows);
    hit = rows.get(id);
  }
  return hit;
}

export function journalQueue(record: TenantRecord): JournalQueueState {
  const rt = record.exchange.runtime;
  rt.journalQueue ??= { queue: [], undeliverable: {}, autoDisabled: [] };
  return rt.journalQueue;
}

function plus(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

function retryDelayMs(attempts: number): number {
  const minutes = RETRY_MINUTES[Math.min(attempts - 1, RETRY_MINUTES.length - 1)] ?? 60;
  return minutes * 60_000;
}

/** A report to `address` got through: the destination works, so no contact and no disabling follow. */
export function markDelivered(record: TenantRecord, address: string): void {
  const q = record.exchange.runtime.journalQueue;
  if (q) delete q.undeliverable[address.toLowerCase()];
}

/** Puts a report that was just deferred into the queue (its trace row says Pending). */
export function deferReport(
  record: TenantRecord,
  entry: TraceEntry,
  at: Date,
  host: string,
  connector: OutboundConnectorRecord | undefined,
): void {
  const q = journalQueue(record);
  pendingRows.get(record.exchange)?.set(entry.MessageTraceId, entry);
  const queuedAt = at.toISOString();
  q.queue.push({
    MessageTraceId: entry.MessageTraceId,
    RecipientAddress: entry.RecipientAddress,
    queuedAt,
    nextAttemptAt: plus(queuedAt, retryDelayMs(1)),
    attempts: 1,
    host,
    connector: connector?.Name ?? null,
  });
  const key = entry.RecipientAddress.toLowerCase();
  q.undeliverable[key] ??= { since: queuedAt, contactedAt: null };
  const due = Date.parse(queuedAt) + retryDelayMs(1);
  if (q.nextDueAt === undefined || q.nextDueAt === null || due < Date.parse(q.nextDueAt)) {
    q.nextDueAt = new Date(due).toISOString();
  }
}

function currentOutcome(record: TenantRecord, connectorName: string | null, host: string): { ok: boolean } {
  const connector = record.exchange.outboundConnectors.find((c) => c.Name === connectorName);
  // A connector removed meanwhile: the report would route again; the emulator keeps it simple and
  // lets it go direct (success) [emulator].
  return connector ? connectOutcome({ record }, connector, host) : { ok: true };
}

/**
 * Runs every retry, expiry, contact and rule disabling due up to `until`. Cheap when nothing is
 * due (the earliest due time is kept), so the mail stream can call it before every message.
 */
export function processJournalQueue(
  record: TenantRecord,
  prng: Prng,
  until: Date,
  summary: QueueSummary,
  hostIp: (host: string) => string,
): void {
  const q = journalQueue(record);
  const limit = until.getTime();
  if (q.queue.length === 0 && Object.keys(q.undeliverable).length === 0) return;
  if (q.nextDueAt !== undefined && q.nextDueAt !== null && Date.parse(q.nextDueAt) > limit) return;
  const remaining: typeof q.queue = [];
  const added: TraceEntry[] = [];
  for (const item of q.queue) {
    const entry = pendingRow(record, item.MessageTraceId);
    if (!entry || entry.Status !== "Pending") continue; // pruned from the trace history
    const expiresAt = Date.parse(item.queuedAt) + DEFERRAL_EXPIRY_MS;
    const ok = currentOutcome(record, item.connector, item.host).ok;
    if (ok && Date.parse(item.nextAttemptAt) <= Math.min(limit, expiresAt)) {
      const at = item.nextAttemptAt;
      entry.Status = "Delivered";
      entry.ToIP = hostIp(item.host);
      entry.Events.push({
        Date: at,
        Event: "Send",
        Action: null,
        Detail: `Message sent to ${item.host} (${hostIp(item.host)})${item.connector ? ` using connector '${item.connector}'` : ""} after ${item.attempts} deferral${item.attempts === 1 ? "" : "s"}.`,
        Data: item.connector ? `Connector=${item.connector}` : null,
      });
      summary.delivered++;
      pendingRows.get(record.exchange)?.delete(item.MessageTraceId);
      markDelivered(record, item.RecipientAddress);
      continue;
    }
    if (expiresAt <= limit) {
      const at = new Date(expiresAt).toISOString();
      entry.Status = "Failed";
      entry.Events.push({
        Date: at,
        Event: "Fail",
        Action: null,
        Detail: `Reason: [{LED=${EXPIRED}}]`,
        Data: item.connector ? `Connector=${item.connector}` : null,
      });
      summary.failed++;
      pendingRows.get(record.exchange)?.delete(item.MessageTraceId);
      const bounce = journalReportNdr(record, prng, entry, at, EXPIRED);
      if (bounce) {
        added.push(bounce);
        summary.ndrs++;
      }
      const u = q.undeliverable[item.RecipientAddress.toLowerCase()];
      if (u && u.contactedAt === null) u.contactedAt = at;
      continue;
    }
    // Still failing: the attempts up to `until` happened (and failed); the next one is later.
    let next = Date.parse(item.nextAttemptAt);
    while (next <= limit) {
      item.attempts++;
      next += retryDelayMs(item.attempts);
    }
    item.nextAttemptAt = new Date(next).toISOString();
    remaining.push(item);
  }
  q.queue = remaining;
  if (added.length > 0) record.exchange.messageTrace.push(...added);
  disableRules(record, q, limit, summary);
  q.nextDueAt = nextDue(q);
}

function disableRules(record: TenantRecord, q: JournalQueueState, limit: number, summary: QueueSummary): void {
  for (const [address, u] of Object.entries(q.undeliverable)) {
    if (u.contactedAt === null) continue;
    const disableAt = Date.parse(u.contactedAt) + DISABLE_AFTER_CONTACT_MS;
    if (disableAt > limit) continue;
    const at = new Date(disableAt).toISOString();
    for (const rule of record.exchange.journalRules) {
      if (!rule.Enabled || rule.JournalEmailAddress.toLowerCase() !== address) continue;
      rule.Enabled = false;
      rule.WhenChanged = at;
      q.autoDisabled.push({
        ruleGuid: rule.Guid,
        ruleName: rule.Name,
        journalEmailAddress: rule.JournalEmailAddress,
        disabledAt: at,
        contactedAt: u.contactedAt,
        reason: `Journal reports to ${rule.JournalEmailAddress} stayed undeliverable since ${u.since}; Microsoft contacted the organization on ${u.contactedAt} and disabled the rule two days later.`,
      });
      summary.rulesDisabled++;
    }
    delete q.undeliverable[address];
  }
}

function nextDue(q: JournalQueueState): string | null {
  let min = Infinity;
  for (const item of q.queue) {
    min = Math.min(min, Date.parse(item.nextAttemptAt), Date.parse(item.queuedAt) + DEFERRAL_EXPIRY_MS);
  }
  for (const u of Object.values(q.undeliverable)) {
    if (u.contactedAt !== null) min = Math.min(min, Date.parse(u.contactedAt) + DISABLE_AFTER_CONTACT_MS);
  }
  return Number.isFinite(min) ? new Date(min).toISOString() : null;
}

/** Moves every mail-flow time of the tenant `ms` into the past, as if that much time had gone by. */
export function ageJournalQueue(record: TenantRecord, ms: number): void {
  const q = journalQueue(record);
  const back = (iso: string): string => plus(iso, -ms);
  for (const item of q.queue) {
    item.queuedAt = back(item.queuedAt);
    item.nextAttemptAt = back(item.nextAttemptAt);
  }
  for (const u of Object.values(q.undeliverable)) {
    u.since = back(u.since);
    if (u.contactedAt !== null) u.contactedAt = back(u.contactedAt);
  }
  for (const d of q.autoDisabled) {
    d.disabledAt = back(d.disabledAt);
    d.contactedAt = back(d.contactedAt);
  }
  if (q.nextDueAt !== undefined && q.nextDueAt !== null) q.nextDueAt = back(q.nextDueAt);
}
