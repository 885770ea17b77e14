import type {
  JournalReportStatus,
  MessageJournaling,
  MessageJournalingReason,
  MessageJournalReport,
  TracedMessageSummary,
} from "../contract/mailflow";

/**
 * "Was this message journaled?": the answer from what message trace shows for one Message-ID and
 * what the tenant's journaling looks like. Pure: the server reads, this decides and words it.
 *
 * Facts it rests on (shared/reference/exchange-online.md; Journaling in Exchange Online):
 * - a journal report is a message of its own, from the Exchange journaling mailbox to the journaling
 *   address, with the original's Message-ID: trace rows to a journaling address are the reports;
 * - External scope journals only messages with an external sender or recipient;
 * - a rule with a recipient (a regional list) journals messages sent to or from its members;
 * - message trace keeps 90 days and its data lags the mail flow.
 */

export const TRACE_DAYS = 90;
const DAY_MS = 86_400_000;
/** A message younger than this without its report yet: wait, the report may still come. */
const REPORT_GRACE_MS = 10 * 60_000;
/** How soon the pane asks again while trace does not know the message (seconds). */
export const RETRY_AFTER_SECONDS = 60;

/** One message trace row (Get-MessageTraceV2's or Graph's, field names normalised). */
export interface VerdictTraceRow {
  readonly messageTraceId: string;
  readonly messageId?: string;
  readonly senderAddress: string;
  readonly recipientAddress: string;
  readonly subject?: string;
  /** Trace status as the source writes it (Delivered / delivered / Pending / ...). */
  readonly status: string;
  readonly received: string;
}

/** One region of the applied setup: its journaling address and host, and who its list holds. */
export interface VerdictRegion {
  readonly key: string;
  readonly label?: string;
  readonly address: string;
  readonly host: string;
  /** The rule's name in Exchange. */
  readonly ruleName: string;
  /** Members' addresses (lower case not required); undefined = the region journals everyone. */
  readonly members?: readonly string[];
}

/** A journal rule as Get-JournalRule shows it now. */
export interface VerdictRule {
  readonly name: string;
  readonly journalEmailAddress: string;
  readonly enabled: boolean;
  readonly scope: "Global" | "Internal" | "External";
  readonly whenChanged?: string;
}

export interface VerdictInput {
  readonly internetMessageId: string;
  /** ISO 8601 "now" of the caller (the core has no clock). */
  readonly now: string;
  readonly rows: readonly VerdictTraceRow[];
  /** When the reader's mailbox received it, when known (the only thing read from the mailbox). */
  readonly mailboxReceived?: string;
  readonly regions: readonly VerdictRegion[];
  readonly rules: readonly VerdictRule[];
  /** The tenant's accepted domains: an address in one of them is internal. */
  readonly acceptedDomains: readonly string[];
  /** Journaling was paused (setup state paused) since then, when known. */
  readonly pausedSince?: string | null;
  /** What was looked at, for the evidence lines (source, window). */
  readonly searched: string;
}

function lower(s: string): string {
  return s.trim().toLowerCase();
}

function domainOf(address: string): string {
  const at = address.lastIndexOf("@");
  return at === -1 ? "" : lower(address.slice(at + 1));
}

export function isInternal(address: string, acceptedDomains: readonly string[]): boolean {
  const d = domainOf(address);
  return acceptedDomains.some((a) => {
    const p = lower(a);
    return p === d || (p.startsWith("*.") && d.endsWith(p.slice(1)));
  });
}

function reportStatus(status: string): JournalReportStatus | undefined {
  const s = lower(status);
  if (s === "delivered") return "Delivered";
  if (s === "pending" || s === "gettingstatus") return "Pending";
  if (s === "failed") return "Failed";
  return undefined;
}

function time(iso: string): string {
  return iso.replace(/\.\d{3}Z$/, "Z");
}

function regionName(r: VerdictRegion | undefined, address: string): string {
  return r ? (r.label ?? r.key) : address;
}

function joinAnd(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1] ?? ""}`;
}

function summaryOf(rows: readonly VerdictTraceRow[]): TracedMessageSummary | undefined {
  const first = [...rows].sort((a, b) => Date.parse(a.received) - Date.parse(b.received))[0];
  if (!first) return undefined;
  const statuses = [...new Set(rows.map((r) => r.status))];
  return {
    ...(first.subject !== undefined ? { subject: first.subject } : {}),
    sender: first.senderAddress,
    recipients: [...new Set(rows.map((r) => r.recipientAddress))],
    received: time(first.received),
    status: statuses.join(", "),
  };
}

export function messageVerdict(input: VerdictInput): MessageJournaling {
  const now = Date.parse(input.now);
  const byAddress = new Map(input.regions.map((r) => [lower(r.address), r]));
  const journalAddresses = new Set([
    ...input.regions.map((r) => lower(r.address)),
    ...input.rules.map((r) => lower(r.journalEmailAddress)),
  ]);
  const reportRows = input.rows.filter((r) => journalAddresses.has(lower(r.recipientAddress)));
  const messageRows = input.rows.filter((r) => !journalAddresses.has(lower(r.recipientAddress)));
  const evidence: string[] = [`Searched message trace (${input.searched}) for ${input.internetMessageId}.`];
  for (const r of input.rows) {
    evidence.push(
      `Trace ${r.messageTraceId}: ${r.senderAddress} -> ${r.recipientAddress}, ${r.status}, ${time(r.received)}.`,
    );
  }

  if (input.rows.length === 0) {
    const received = input.mailboxReceived ? Date.parse(input.mailboxReceived) : NaN;
    if (!Number.isNaN(received) && now - received > TRACE_DAYS * DAY_MS) {
      return {
        verdict: "tooOld",
        reason: "olderThanTrace",
        sentence: `This message arrived on ${time(input.mailboxReceived ?? "")}, more than ${TRACE_DAYS} days ago: message trace keeps ${TRACE_DAYS} days, so whether it was journaled can no longer be checked.`,
        reports: [],
        evidence: [...evidence, `The mailbox received it ${time(input.mailboxReceived ?? "")}.`],
      };
    }
    return {
      verdict: "notYetKnown",
      reason: "traceLag",
      sentence: `Message trace does not show this message yet (trace data can lag by minutes); looking again in ${RETRY_AFTER_SECONDS} seconds.`,
      reports: [],
      retryAfterSeconds: RETRY_AFTER_SECONDS,
      evidence,
    };
  }

  const message = summaryOf(messageRows.length > 0 ? messageRows : input.rows);
  if (reportRows.length > 0) {
    const reports: MessageJournalReport[] = [];
    for (const r of reportRows) {
      const status = reportStatus(r.status);
      if (!status) continue;
      const region = byAddress.get(lower(r.recipientAddress));
      reports.push({
        address: r.recipientAddress,
        ...(region ? { region: region.key, host: region.host } : {}),
        status,
        at: time(r.received),
        ...(status === "Pending" ? { pendingSince: time(r.received) } : {}),
        ...(status === "Pending"
          ? {
              why: `The journaling host${region ? ` ${region.host}` : ""} has not accepted the report yet; Exchange keeps retrying it for a day.`,
            }
          : {}),
        ...(status === "Failed"
          ? {
              why: `The journaling host${region ? ` ${region.host}` : ""} did not accept the report within a day; it expired and bounced to the undeliverable-reports mailbox.`,
            }
          : {}),
      });
    }
    const parts = reports.map((r) => {
      const where = `${regionName(byAddress.get(lower(r.address)), r.address)} (${r.address})`;
      if (r.status === "Delivered") return `delivered to ${where} at ${r.at}`;
      if (r.status === "Pending") return `queued for ${where} since ${r.pendingSince ?? r.at}, not accepted yet`;
      return `failed to reach ${where}: ${r.why ?? "not accepted"}`;
    });
    return {
      verdict: "journaled",
      sentence: `Journaled: the report was ${joinAnd(parts)}.`,
      ...(message ? { message } : {}),
      reports,
      evidence,
    };
  }

  // Not journaled (yet): why, most specific cause first.
  const received = message ? Date.parse(message.received) : now;
  const participants = message ? [message.sender, ...message.recipients] : [];
  const base = { ...(message ? { message } : {}), reports: [] as MessageJournalReport[] };
  const notJournaled = (reason: MessageJournalingReason, sentence: string, more: string[] = []): MessageJournaling => ({
    verdict: "notJournaled",
    reason,
    sentence,
    ...base,
    evidence: [...evidence, ...more],
  });

  if (input.pausedSince && Date.parse(input.pausedSince) <= received) {
    return notJournaled(
      "paused",
      `Not journaled: journaling was paused (since ${time(input.pausedSince)}) when this message was sent.`,
    );
  }
  if (input.regions.length === 0) {
    return notJournaled("noRule", "Not journaled: there is no applied journaling setup for this tenant.");
  }
  const external = participants.some((p) => !isInternal(p, input.acceptedDomains));
  const ruleOf = (region: VerdictRegion): VerdictRule | undefined =>
    input.rules.find((r) => lower(r.name) === lower(region.ruleName)) ??
    input.rules.find((r) => lower(r.journalEmailAddress) === lower(region.address));
  const scopes = input.regions.map((r) => ruleOf(r)?.scope ?? "External");
  if (!external && scopes.every((s) => s === "External")) {
    return notJournaled(
      "internalOnly",
      "Not journaled: the message stayed inside the organization (sender and every recipient are internal), and the journal rules journal only messages to or from outside it (scope External).",
      [`Accepted domains: ${input.acceptedDomains.join(", ")}.`],
    );
  }
  const inList = new Set(participants.map(lower));
  const matching = input.regions.filter((r) => r.members === undefined || r.members.some((m) => inList.has(lower(m))));
  if (matching.length === 0) {
    return notJournaled(
      "notInAnyRegion",
      `Not journaled: neither the sender nor any recipient is in a regional list (${joinAnd(input.regions.map((r) => regionName(r, r.address)))}).`,
      input.regions.map((r) => `${regionName(r, r.address)} list: ${r.members?.length ?? 0} members.`),
    );
  }
  const missing = matching.filter((r) => ruleOf(r) === undefined);
  const disabled = matching.filter((r) => {
    const rule = ruleOf(r);
    return rule !== undefined && !rule.enabled && (!rule.whenChanged || Date.parse(rule.whenChanged) <= received);
  });
  if (disabled.length > 0) {
    return notJournaled(
      "ruleDisabled",
      `Not journaled: the journal rule ${joinAnd(disabled.map((r) => `"${ruleOf(r)?.name ?? r.ruleName}"`))} was disabled when this message was sent.`,
      disabled.map(
        (r) =>
          `Rule ${ruleOf(r)?.name ?? r.ruleName}: disabled${ruleOf(r)?.whenChanged ? ` since ${time(ruleOf(r)?.whenChanged ?? "")}` : ""}.`,
      ),
    );
  }
  if (missing.length === matching.length) {
    return notJournaled(
      "noRule",
      `Not journaled: there is no journal rule for ${joinAnd(missing.map((r) => regionName(r, r.address)))} in Exchange.`,
    );
  }
  if (now - received < REPORT_GRACE_MS) {
    return {
      verdict: "notYetKnown",
      reason: "traceLag",
      sentence: `Message trace shows the message but not its journal report yet (trace data can lag by minutes); looking again in ${RETRY_AFTER_SECONDS} seconds.`,
      ...base,
      retryAfterSeconds: RETRY_AFTER_SECONDS,
      evidence,
    };
  }
  return notJournaled(
    "noRule",
    `Not journaled: no journal report to ${joinAnd(matching.map((r) => regionName(r, r.address)))} appears in message trace, though a rule matches; the rule may have been changed after the message was sent.`,
  );
}
