import { connectOutcome } from "./cmdlets/connectors";
import { domainMatches, domainOf, sameName } from "./cmdlets/context";
import { ageJournalQueue, deferReport, markDelivered, processJournalQueue } from "./journalQueue";
import { centralizedRoute } from "./hybrid";
import { Prng, hashString } from "./prng";
import { findRecipients, transitiveUserIds } from "./recipients";
import type { JournalRuleRecord, OutboundConnectorRecord, TenantRecord, TraceEntry, TraceEvent } from "./types";

/**
 * Simulated external mail to the tenant and what journaling does with it. Per message: every
 * enabled journal rule whose scope and recipient match produces one journal report per distinct
 * journaling address (EXJ); the report takes the outbound connector matching the address's
 * domain (not transport-rule-scoped ones: journal reports skip mail flow rules) or goes direct
 * by MX; a report the destination does not accept (TLS failure: 450 4.4.317) is deferred and
 * retried, `Pending` in message trace, until it is delivered or expires a day later: `Failed`, with
 * an NDR to JournalingReportNdrTo (if set); see ./journalQueue for the sources and rule disabling.
 */
export interface MailFlowOptions {
  from: Date | string;
  to: Date | string;
  count: number;
  /** Seed of this batch; without it the tenant's mail-flow PRNG continues. */
  seed?: number;
}

export interface MailFlowSummary {
  messages: number;
  journalReports: number;
  /** Reports delivered in this step (at once or on a retry). */
  delivered: number;
  /** Reports deferred on their first attempt in this step (Pending). */
  deferred: number;
  /** Queued reports that expired in this step (Failed). */
  failed: number;
  ndrs: number;
  /** Journal rules the service disabled in this step (reports undeliverable two days after contact). */
  rulesDisabled: number;
}

const HISTORY_MS = 90 * 24 * 3_600_000;
const MAX_TRACE_ENTRIES = 200_000;
const MAX_PER_ADVANCE = 10_000;

const SENDER_DOMAINS = [
  "northwind.example",
  "adatum.example",
  "tailspintoys.example",
  "wingtiptoys.example",
  "litware.example",
];
const SENDER_NAMES = ["orders", "invoices", "j.smith", "m.garcia", "noreply", "support", "a.tanaka", "l.martin"];
const SUBJECTS = [
  "Invoice 2024-0113",
  "Re: Quarterly review",
  "Shipping confirmation",
  "Meeting notes",
  "Your account statement",
  "Proposal draft v3",
  "Action required: verify your mailbox",
  "Fw: Contract renewal",
];

export function emptyMailFlowSummary(): MailFlowSummary {
  return empty();
}

function empty(): MailFlowSummary {
  return { messages: 0, journalReports: 0, delivered: 0, deferred: 0, failed: 0, ndrs: 0, rulesDisabled: 0 };
}

export function journalSender(record: TenantRecord): string {
  return `MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@${record.directory.initialDomain}`;
}

export function hostIp(host: string): string {
  const h = hashString(host);
  return `198.51.100.${(h % 250) + 2}`;
}

function eopIp(prng: Prng): string {
  return `40.107.${prng.int(1, 254)}.${prng.int(1, 254)}`;
}

function ruleMatches(record: TenantRecord, rule: JournalRuleRecord, recipientUserId: string): boolean {
  if (!rule.Enabled || rule.Scope === "Internal") return false; // the stream is external inbound mail
  if (rule.Recipient === null) return true;
  const target = findRecipients(record, rule.Recipient, new Date(8.64e15)).find((r) =>
    sameName(r.PrimarySmtpAddress, rule.Recipient ?? ""),
  );
  if (!target) return false;
  if (target.kind === "user") return target.id === recipientUserId;
  return target.group ? transitiveUserIds(record, target.group, new Date(8.64e15)).has(recipientUserId) : false;
}

/** The connector Exchange picks for a domain: exact domain, then the longest "*." match, then "*". */
export function routeFor(record: TenantRecord, domain: string): OutboundConnectorRecord | undefined {
  // Hybrid centralized mail transport wins over every other connector (sources in ./hybrid).
  const central = centralizedRoute(record, domain);
  if (central) return central;
  let best: { c: OutboundConnectorRecord; score: number } | undefined;
  for (const c of record.exchange.outboundConnectors) {
    if (!c.Enabled || c.IsTransportRuleScoped || c.TestMode) continue;
    for (const pattern of c.RecipientDomains) {
      if (!domainMatches(pattern, domain)) continue;
      const score = pattern === "*" ? 0 : pattern.startsWith("*.") ? pattern.length : 10_000;
      if (!best || score > best.score) best = { c, score };
    }
  }
  return best?.c;
}

function at(date: Date, plusMs: number): string {
  return new Date(date.getTime() + plusMs).toISOString();
}

function processMessage(record: TenantRecord, prng: Prng, received: Date, summary: MailFlowSummary): void {
  // Retries, expiries and rule disabling due before this message happen first (a rule the service
  // disabled journals nothing after).
  processJournalQueue(record, prng, received, summary, hostIp);
  // The mailbox that receives undeliverable journal reports is a dedicated one: external senders
  // don't write to it, so a trace of that address shows only NDRs (what the product counts).
  const ndrTo = record.exchange.transportConfig.JournalingReportNdrTo.toLowerCase();
  const mailboxes = record.directory.users.filter(
    (u) =>
      u.mail !== null &&
      u.mail.toLowerCase() !== ndrTo &&
      (u.recipientTypeDetails === "UserMailbox" || u.recipientTypeDetails === "SharedMailbox"),
  );
  if (mailboxes.length === 0) return;
  const to = prng.pick(mailboxes);
  const sender = `${prng.pick(SENDER_NAMES)}@${prng.pick(SENDER_DOMAINS)}`;
  const subject = prng.pick(SUBJECTS);
  const messageId = `<${prng.guid()}@${domainOf(sender)}>`;
  const size = prng.int(2_000, 250_000);
  const trace = record.exchange.messageTrace;
  const inbound: TraceEntry = {
    MessageTraceId: prng.guid(),
    MessageId: messageId,
    Received: received.toISOString(),
    SenderAddress: sender,
    RecipientAddress: to.mail ?? "",
    Subject: subject,
    Status: "Delivered",
    FromIP: `203.0.113.${prng.int(1, 254)}`,
    ToIP: null,
    Size: size,
    Kind: "message",
    Events: [
      {
        Date: received.toISOString(),
        Event: "Receive",
        Action: null,
        Detail: "Message received by: " + record.exchange.domainController,
        Data: null,
      },
      {
        Date: at(received, 1_500),
        Event: "Deliver",
        Action: null,
        Detail: "The message was successfully delivered.",
        Data: null,
      },
    ],
  };
  trace.push(inbound);
  summary.messages++;

  const addresses = new Set<string>();
  for (const rule of record.exchange.journalRules) {
    if (ruleMatches(record, rule, to.id)) addresses.add(rule.JournalEmailAddress.toLowerCase());
  }
  sendJournalReports(record, prng, inbound, addresses, summary);
}

/**
 * One journal report per distinct journaling address for the message whose trace row is `original`
 * (EXJ: a message journaled by several rules to one address yields one report), each routed by the
 * outbound connector of the address's domain, delivered or deferred (./journalQueue). Exported for
 * mail the tenant's users send (./mailboxes).
 */
export function sendJournalReports(
  record: TenantRecord,
  prng: Prng,
  original: TraceEntry,
  addresses: ReadonlySet<string>,
  summary: MailFlowSummary,
): TraceEntry[] {
  const trace = record.exchange.messageTrace;
  const received = new Date(original.Received);
  const { MessageId: messageId, Subject: subject, Size: size } = original;
  const inbound = original;
  const reports: TraceEntry[] = [];
  for (const address of addresses) {
    const reportTime = new Date(received.getTime() + 2_000);
    const domain = domainOf(address);
    const connector = routeFor(record, domain);
    const host = connector ? (connector.UseMXRecord ? domain : (connector.SmartHosts[0] ?? domain)) : domain;
    const outcome = connector
      ? connectOutcome({ record }, connector, host)
      : { ok: true, detail: `Connected to ${host}.` };
    const events: TraceEvent[] = [
      {
        Date: reportTime.toISOString(),
        Event: "Journal",
        Action: null,
        Detail: `Journal report generated for ${inbound.RecipientAddress}.`,
        Data: null,
      },
      {
        Date: at(reportTime, 500),
        Event: outcome.ok ? "Send" : "Defer",
        Action: null,
        Detail: outcome.ok
          ? `Message sent to ${host} (${hostIp(host)})${connector ? ` using connector '${connector.Name}'` : ""}.`
          : `Reason: [{LED=${outcome.detail}}]`,
        Data: connector ? `Connector=${connector.Name}` : null,
      },
    ];
    const report: TraceEntry = {
      MessageTraceId: prng.guid(),
      MessageId: messageId,
      Received: reportTime.toISOString(),
      SenderAddress: journalSender(record),
      RecipientAddress: address,
      Subject: subject,
      Status: outcome.ok ? "Delivered" : "Pending",
      FromIP: eopIp(prng),
      ToIP: outcome.ok ? hostIp(host) : null,
      Size: size + 4_096,
      Kind: "journalReport",
      Events: events,
    };
    trace.push(report);
    reports.push(report);
    summary.journalReports++;
    if (outcome.ok) {
      summary.delivered++;
      markDelivered(record, address);
      continue;
    }
    // A TLS failure is a 4xx (450 4.4.317): the report waits in the queue and is retried.
    summary.deferred++;
    deferReport(record, report, new Date(reportTime.getTime() + 500), host, connector);
  }
  return reports;
}

function prune(record: TenantRecord, now: Date): void {
  const cutoff = now.getTime() - HISTORY_MS;
  let trace = record.exchange.messageTrace.filter((e) => Date.parse(e.Received) >= cutoff);
  if (trace.length > MAX_TRACE_ENTRIES) trace = trace.slice(trace.length - MAX_TRACE_ENTRIES);
  record.exchange.messageTrace = trace;
}

export function statePrng(record: TenantRecord): Prng {
  const mf = record.exchange.runtime.mailFlow;
  return new Prng(
    () => mf.prng,
    (s) => {
      mf.prng = s;
    },
  );
}

/** Generates `count` external messages spread evenly over [from, to] and journals them. */
export function simulateMailFlow(record: TenantRecord, options: MailFlowOptions): MailFlowSummary {
  const from = new Date(options.from);
  const to = new Date(options.to);
  const summary = empty();
  if (options.count <= 0 || Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return summary;
  let seedState = options.seed ?? 0;
  const prng =
    options.seed === undefined
      ? statePrng(record)
      : new Prng(
          () => seedState,
          (s) => {
            seedState = s;
          },
        );
  const span = Math.max(0, to.getTime() - from.getTime());
  const count = Math.min(options.count, MAX_PER_ADVANCE);
  for (let i = 0; i < count; i++) {
    const t = count === 1 ? from.getTime() : from.getTime() + Math.floor((span * i) / (count - 1));
    processMessage(record, prng, new Date(t), summary);
  }
  record.exchange.runtime.mailFlow.generated += summary.messages;
  // The queue catches up to the end of the batch (later retries happen when the clock gets there).
  processJournalQueue(record, prng, to, summary, hostIp);
  prune(record, to);
  return summary;
}

/**
 * Moves the continuous stream (settings.mailFlow.ratePerHour) forward to `now`, evenly spaced,
 * carrying the fraction of a message over to the next call. The first call only starts the clock.
 */
export function advanceMailFlow(record: TenantRecord, now: Date): MailFlowSummary {
  const mf = record.exchange.runtime.mailFlow;
  const rate = record.exchange.settings.mailFlow.ratePerHour;
  const summary = empty();
  const prng = statePrng(record);
  if (rate <= 0 || mf.lastAdvancedAt === null) {
    mf.lastAdvancedAt = now.toISOString();
    // Queued journal reports are retried (and expire) whether or not new mail arrives.
    processJournalQueue(record, prng, now, summary, hostIp);
    return summary;
  }
  const interval = 3_600_000 / rate;
  const last = Date.parse(mf.lastAdvancedAt);
  const due = Math.floor((now.getTime() - last) / interval);
  if (due > 0) {
    const count = Math.min(due, MAX_PER_ADVANCE);
    for (let i = 1; i <= count; i++) processMessage(record, prng, new Date(last + Math.round(i * interval)), summary);
    mf.lastAdvancedAt =
      due > MAX_PER_ADVANCE ? now.toISOString() : new Date(last + Math.round(count * interval)).toISOString();
    mf.generated += summary.messages;
  }
  processJournalQueue(record, prng, now, summary, hostIp);
  prune(record, now);
  return summary;
}

/**
 * Time compression for demos and tests (/_emulator/tenants/{tenant}/exchange/mailflow/advance): the
 * tenant's mail-flow history (trace, queue, stream clock) moves `ms` into the past, then the stream
 * and the queue catch up to `now`, exactly as if `ms` had gone by. The emulator's clock is left
 * alone, so tokens and the backend's view of time stay consistent.
 */
export function ageMailFlow(record: TenantRecord, ms: number, now: Date): MailFlowSummary {
  // Up to now first (the stream is generated lazily), then the history moves back and catches up.
  const before = advanceMailFlow(record, now);
  const back = (iso: string): string => new Date(Date.parse(iso) - ms).toISOString();
  for (const e of record.exchange.messageTrace) {
    e.Received = back(e.Received);
    for (const ev of e.Events) ev.Date = back(ev.Date);
  }
  ageJournalQueue(record, ms);
  const mf = record.exchange.runtime.mailFlow;
  if (mf.lastAdvancedAt !== null) mf.lastAdvancedAt = back(mf.lastAdvancedAt);
  const after = advanceMailFlow(record, now);
  const sum = { ...after };
  for (const k of Object.keys(sum) as (keyof MailFlowSummary)[]) sum[k] += before[k];
  return sum;
}
