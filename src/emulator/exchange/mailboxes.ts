import type { DirectoryUser } from "../directory/types";
import { domainMatches, domainOf, sameName } from "./cmdlets/context";
import { processJournalQueue } from "./journalQueue";
import { mailboxesOf, mailboxUser, storeMessage } from "./mailboxStore";
import {
  advanceMailFlow,
  emptyMailFlowSummary,
  hostIp,
  routeFor,
  sendJournalReports,
  statePrng,
  type MailFlowSummary,
} from "./mailflow";
import type { Prng } from "./prng";
import { findRecipients, transitiveUserIds } from "./recipients";
import type { JournalRuleRecord, MailboxMessage, TenantRecord, TraceEntry, TraceEvent } from "./types";

/**
 * The tenant's mailboxes and the mail its users send (Graph sendMail, /_emulator/ placing a message):
 * every message goes through the same mail flow as the simulated stream, so it gets message trace
 * rows (one per recipient, with its Message-ID) and journal reports per the tenant's journal rules.
 *
 * Journal rule matching (Exchange Online "Journaling in Exchange Online",
 * learn.microsoft.com/exchange/security-and-compliance/journaling/journaling, and New-JournalRule):
 * - Scope: "Internal: messages sent and received by users in your organization"; "External:
 *   messages with an external sender or recipient"; "Global: all messages". Internal = an address in
 *   one of the organization's accepted domains.
 * - Recipient: "All messages sent to or from a recipient are journaled"; a distribution group
 *   journals every member (transitively); no recipient = everyone.
 * - Only enabled rules journal; one report per distinct journaling address.
 */

export interface Address {
  name?: string;
  address: string;
}

export interface SubmitMessage {
  /** The sending address (a user of the tenant, or an external one for mail placed in a mailbox). */
  from: Address;
  to: readonly Address[];
  cc?: readonly Address[];
  bcc?: readonly Address[];
  subject: string;
  body?: { contentType: "text" | "html"; content: string };
  /** When it was sent; default now. May be in the past (older than trace keeps: no trace rows stay). */
  at?: Date;
  /** Graph sendMail's saveToSentItems (default true): only for a sender with a mailbox here. */
  saveToSentItems?: boolean;
  internetMessageId?: string;
}

export interface SubmitResult {
  internetMessageId: string;
  /** The trace rows made (message rows and journal reports). */
  trace: TraceEntry[];
  /** Mailbox copies made, by user id. */
  copies: { userId: string; message: MailboxMessage }[];
  summary: MailFlowSummary;
}

export { mailboxesOf, mailboxUser } from "./mailboxStore";

/** Whether an address is inside the organization: one of its accepted domains. */
export function isInternalAddress(record: TenantRecord, address: string): boolean {
  const domain = domainOf(address);
  return record.directory.acceptedDomains.some((d) => domainMatches(d, domain));
}

/** Who an address stands for inside the tenant: a user's id, or the ids of a group's members (transitively). */
function expand(record: TenantRecord, address: string): { userIds: string[]; group: boolean } {
  const user = mailboxUser(record, address);
  if (user) return { userIds: [user.id], group: false };
  const group = record.directory.groups.find((g) => g.mail !== null && sameName(g.mail, address));
  if (group) return { userIds: [...transitiveUserIds(record, group, new Date(8.64e15))], group: true };
  return { userIds: [], group: false };
}

function ruleTargets(record: TenantRecord, rule: JournalRuleRecord): Set<string> | "everyone" | "nobody" {
  if (rule.Recipient === null) return "everyone";
  const target = findRecipients(record, rule.Recipient, new Date(8.64e15)).find((r) =>
    sameName(r.PrimarySmtpAddress, rule.Recipient ?? ""),
  );
  if (!target) return "nobody";
  if (target.kind === "user") return new Set([target.id]);
  return target.group ? transitiveUserIds(record, target.group, new Date(8.64e15)) : "nobody";
}

/** The journaling addresses a message goes to: enabled rules whose scope and recipient match. */
export function journalAddressesFor(record: TenantRecord, sender: string, recipients: readonly string[]): Set<string> {
  const external = !isInternalAddress(record, sender) || recipients.some((r) => !isInternalAddress(record, r));
  const involved = new Set<string>();
  for (const a of [sender, ...recipients]) for (const id of expand(record, a).userIds) involved.add(id);
  const out = new Set<string>();
  for (const rule of record.exchange.journalRules) {
    if (!rule.Enabled) continue;
    if (rule.Scope === "External" && !external) continue;
    if (rule.Scope === "Internal" && external) continue;
    const targets = ruleTargets(record, rule);
    if (targets === "nobody") continue;
    if (targets !== "everyone" && ![...involved].some((id) => targets.has(id))) continue;
    out.add(rule.JournalEmailAddress.toLowerCase());
  }
  return out;
}

function hex(prng: Prng, n: number): string {
  let s = "";
  while (s.length < n) s += prng.guid().replace(/-/g, "").toUpperCase();
  return s.slice(0, n);
}

/** Exchange Online's Message-ID form: <{id}@{server}.{region}.prod.outlook.com>. */
function newMessageId(prng: Prng): string {
  const server = `DM6PR${String(prng.int(10, 99))}MB${String(prng.int(1000, 9999))}`;
  return `<${server}${hex(prng, 16)}@${server}.namprd${String(prng.int(10, 19))}.prod.outlook.com>`;
}

function iso(d: Date, plusMs = 0): string {
  return new Date(d.getTime() + plusMs).toISOString();
}

function addr(a: Address): { emailAddress: { name: string; address: string } } {
  return { emailAddress: { name: a.name ?? a.address, address: a.address } };
}

const store = storeMessage;

/**
 * Sends (or places) one message: mailbox copies (the sender's Sent Items, each internal recipient's
 * Inbox), message trace rows per recipient, journal reports per the rules, the queue caught up to now.
 */
export function submitMessage(record: TenantRecord, msg: SubmitMessage, now: Date): SubmitResult {
  // The simulated stream first, so the queue and trace are in time order.
  advanceMailFlow(record, now);
  const prng = statePrng(record);
  const at = msg.at ?? now;
  const summary = emptyMailFlowSummary();
  const internetMessageId = msg.internetMessageId ?? newMessageId(prng);
  const recipients = [...msg.to, ...(msg.cc ?? []), ...(msg.bcc ?? [])];
  const body = msg.body ?? { contentType: "text" as const, content: "" };
  const size = 2_048 + body.content.length + msg.subject.length;
  const conversationId = prng.guid();
  const lag = record.exchange.settings.messageTraceLagSeconds;
  const visibleAt = lag > 0 ? iso(at, lag * 1000) : undefined;
  const copies: SubmitResult["copies"] = [];
  const base = (folder: MailboxMessage["folder"]): MailboxMessage => ({
    id: `AAMk${hex(prng, 40)}`,
    internetMessageId,
    folder,
    subject: msg.subject,
    bodyPreview: body.content.replace(/<[^>]*>/g, "").slice(0, 255),
    body: { ...body },
    from: addr(msg.from),
    sender: addr(msg.from),
    toRecipients: msg.to.map(addr),
    ccRecipients: (msg.cc ?? []).map(addr),
    // Only the sender's copy keeps Bcc recipients (as in Outlook).
    bccRecipients: folder === "sentitems" ? (msg.bcc ?? []).map(addr) : [],
    receivedDateTime: iso(at, folder === "sentitems" ? 0 : 1_500),
    sentDateTime: iso(at),
    createdDateTime: iso(at),
    lastModifiedDateTime: iso(at),
    isRead: folder === "sentitems",
    isDraft: false,
    hasAttachments: false,
    importance: "normal",
    conversationId,
    parentFolderId: folder,
  });
  const sender = mailboxUser(record, msg.from.address);
  if (sender && msg.saveToSentItems !== false) {
    const m = base("sentitems");
    store(record, sender.id, m);
    copies.push({ userId: sender.id, message: m });
  }
  const trace: TraceEntry[] = [];
  const delivered = new Set<string>();
  const row = (
    recipient: string,
    status: TraceEntry["Status"],
    events: TraceEvent[],
    toIp: string | null,
  ): TraceEntry => {
    const e: TraceEntry = {
      MessageTraceId: prng.guid(),
      MessageId: internetMessageId,
      Received: iso(at),
      SenderAddress: msg.from.address,
      RecipientAddress: recipient,
      Subject: msg.subject,
      Status: status,
      FromIP: sender ? null : `203.0.113.${String(prng.int(1, 254))}`,
      ToIP: toIp,
      Size: size,
      Kind: "message",
      Events: events,
      ...(visibleAt ? { VisibleAt: visibleAt } : {}),
    };
    record.exchange.messageTrace.push(e);
    trace.push(e);
    return e;
  };
  const receive: TraceEvent = {
    Date: iso(at),
    Event: "Receive",
    Action: null,
    Detail: "Message received by: " + record.exchange.domainController,
    Data: null,
  };
  for (const r of recipients) {
    if (isInternalAddress(record, r.address)) {
      const { userIds, group } = expand(record, r.address);
      if (group) {
        row(
          r.address,
          "Expanded",
          [
            receive,
            {
              Date: iso(at, 800),
              Event: "Deliver",
              Action: null,
              Detail: "The message was expanded to the group's members.",
              Data: null,
            },
          ],
          null,
        ); // [emulator] wording
      }
      const users = userIds
        .map((id) => record.directory.users.find((u) => u.id === id))
        .filter((u): u is DirectoryUser => u !== undefined && u.mail !== null);
      if (!group && users.length === 0) {
        row(
          r.address,
          "Failed",
          [
            receive,
            {
              Date: iso(at, 800),
              Event: "Fail",
              Action: null,
              Detail:
                "Reason: [{LED=550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup}]",
              Data: null,
            },
          ],
          null,
        );
        continue;
      }
      for (const u of users) {
        if (delivered.has(u.id)) continue;
        delivered.add(u.id);
        row(
          u.mail ?? r.address,
          "Delivered",
          [
            receive,
            {
              Date: iso(at, 1_500),
              Event: "Deliver",
              Action: null,
              Detail: "The message was successfully delivered.",
              Data: null,
            },
          ],
          null,
        );
        const m = base("inbox");
        store(record, u.id, m);
        copies.push({ userId: u.id, message: m });
      }
      continue;
    }
    // Outbound: the connector for the domain, else its MX (the same routing as journal reports).
    const domain = domainOf(r.address);
    const connector = routeFor(record, domain);
    const host = connector && !connector.UseMXRecord ? (connector.SmartHosts[0] ?? domain) : `mx.${domain}`;
    row(
      r.address,
      "Delivered",
      [
        receive,
        {
          Date: iso(at, 1_200),
          Event: "Send",
          Action: null,
          Detail: `Message sent to ${host} (${hostIp(host)})${connector ? ` using connector '${connector.Name}'` : ""}.`,
          Data: connector ? `Connector=${connector.Name}` : null,
        },
      ],
      hostIp(host),
    );
  }
  summary.messages++;
  const first = trace[0];
  const addresses = journalAddressesFor(
    record,
    msg.from.address,
    recipients.map((r) => r.address),
  );
  if (first && addresses.size > 0) {
    const reports = sendJournalReports(record, prng, first, addresses, summary);
    for (const r of reports) {
      if (visibleAt) r.VisibleAt = visibleAt;
      trace.push(r);
    }
  }
  // Retries due up to now (a message placed in the past has lived through its deferrals).
  processJournalQueue(record, prng, now, summary, hostIp);
  // Message trace keeps 90 days (Get-MessageTraceV2: "search message data for the last 90 days").
  const cutoff = now.getTime() - 90 * 24 * 3_600_000;
  record.exchange.messageTrace = record.exchange.messageTrace.filter((e) => Date.parse(e.Received) >= cutoff);
  return { internetMessageId, trace, copies, summary };
}

/** A mailbox's messages, newest first (Graph's default order for messages is receivedDateTime desc). */
export function messagesOf(record: TenantRecord, userId: string): MailboxMessage[] {
  return [...(mailboxesOf(record)[userId] ?? [])].sort(
    (a, b) => Date.parse(b.receivedDateTime) - Date.parse(a.receivedDateTime),
  );
}
