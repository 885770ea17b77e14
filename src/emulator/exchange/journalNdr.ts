import { domainMatches, domainOf } from "./cmdlets/context";
import { isUnsetNdr } from "./cmdlets/transport";
import { mailboxUser, storeMessage } from "./mailboxStore";
import type { Prng } from "./prng";
import type { MailboxMessage, TenantRecord, TraceEntry, TraceEvent } from "./types";

/**
 * The undeliverable report (NDR) Exchange Online sends when a journal report fails for good.
 *
 * - Where it goes: "Undeliverable journal reports can't be returned to the sender [...] because the
 *   sender is the Exchange Online service. To handle the NDRs for undelivered journal reports, you have
 *   to specify an alternate journaling mailbox that accepts the NDRs [...] The original journal report
 *   is an attachment in the NDR." (Configure journaling in Exchange Online,
 *   https://learn.microsoft.com/exchange/security-and-compliance/journaling/configure-journaling); the
 *   address is the organization's JournalingReportNdrTo (Set-TransportConfig,
 *   https://learn.microsoft.com/powershell/module/exchange/set-transportconfig). Without one, no NDR.
 * - Who sends it: Exchange's system messages to the organization's own recipients come from the
 *   "Microsoft Exchange recipient", MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@<domain>
 *   (Get-OrganizationConfig MicrosoftExchangeRecipientPrimarySmtpAddress; shown for Exchange Server in
 *   http://www.1ask2.com/ex2007/Postmaster.html), the sender journal reports carry too; DSNs to external
 *   recipients come from the external postmaster address, postmaster@<domain> by default
 *   (Set-TransportConfig -ExternalPostmasterAddress). No Microsoft page shows an Exchange Online message
 *   trace row of a journal report's NDR: which of the tenant's domains is used (the emulator: the initial
 *   domain) and the display name "Microsoft Exchange" are [emulator] choices.
 * - Subject: "Undeliverable: <original subject>", as Exchange's NDRs are titled (e.g. the NDR quoted in
 *   https://mskb.pkisolutions.com/kb/251152, "Subject: Undeliverable: test"). Exchange localizes it
 *   (ExternalDsnDefaultLanguage / InternalDsnDefaultLanguage); the emulator speaks English [emulator].
 * - Delivery: into the mailbox when the address has one here (the mailbox's messages show it, with the
 *   report attached); to an external address through the Internet (MX); an address of the organization
 *   with no recipient fails (5.1.10), and "if the alternate journaling mailbox also becomes unavailable
 *   [...] the rejected journal reports are lost" (Exchange 2010 "Configure an alternate journaling
 *   mailbox", the same behaviour Exchange Online documents by requiring a mailbox that accepts the NDRs).
 */
export const MICROSOFT_EXCHANGE_RECIPIENT = "MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e";

function plus(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

function internal(record: TenantRecord, address: string): boolean {
  const domain = domainOf(address);
  return record.directory.acceptedDomains.some((d) => domainMatches(d, domain));
}

/**
 * The NDR for a journal report that just failed (`report` is its trace row, `at` when it failed): its
 * trace row (to JournalingReportNdrTo) and, when that address has a mailbox here, the message in it.
 */
export function journalReportNdr(
  record: TenantRecord,
  prng: Prng,
  report: TraceEntry,
  at: string,
  reason: string,
): TraceEntry | undefined {
  const ndrTo = record.exchange.transportConfig.JournalingReportNdrTo;
  if (isUnsetNdr(ndrTo)) return undefined;
  const domain = record.directory.initialDomain;
  const inside = internal(record, ndrTo);
  const sender = inside ? `${MICROSOFT_EXCHANGE_RECIPIENT}@${domain}` : `postmaster@${domain}`;
  const subject = `Undeliverable: ${report.Subject}`;
  const messageId = `<${prng.guid()}@${domain}>`;
  const mailbox = inside ? mailboxUser(record, ndrTo) : undefined;
  const receive: TraceEvent = {
    Date: at,
    Event: "Receive",
    Action: null,
    Detail: `Non-delivery report for the journal report to ${report.RecipientAddress} (the report is attached).`,
    Data: null,
  };
  let last: TraceEvent;
  let status: TraceEntry["Status"] = "Delivered";
  if (mailbox) {
    last = {
      Date: plus(at, 1_000),
      Event: "Deliver",
      Action: null,
      Detail: "The message was successfully delivered.",
      Data: null,
    };
  } else if (inside) {
    status = "Failed";
    last = {
      Date: plus(at, 800),
      Event: "Fail",
      Action: null,
      Detail: "Reason: [{LED=550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup}]",
      Data: null,
    };
  } else {
    const host = `mx.${domainOf(ndrTo)}`;
    last = { Date: plus(at, 1_200), Event: "Send", Action: null, Detail: `Message sent to ${host}.`, Data: null };
  }
  const row: TraceEntry = {
    MessageTraceId: prng.guid(),
    MessageId: messageId,
    Received: at,
    SenderAddress: sender,
    RecipientAddress: ndrTo,
    Subject: subject,
    Status: status,
    FromIP: null,
    ToIP: null,
    Size: report.Size + 8_192,
    Kind: "ndr",
    Events: [receive, last],
  };
  if (mailbox) storeMessage(record, mailbox.id, ndrMessage(prng, row, report, mailbox.mail ?? ndrTo, reason));
  return row;
}

function ndrMessage(prng: Prng, row: TraceEntry, report: TraceEntry, to: string, reason: string): MailboxMessage {
  const from = { emailAddress: { name: "Microsoft Exchange", address: row.SenderAddress } };
  const content =
    `Delivery has failed to these recipients or groups:\n\n${report.RecipientAddress}\n` +
    `The journal report couldn't be delivered to the journaling mailbox. The original journal report is attached.\n\n` +
    `Diagnostic information for administrators:\n\nRemote Server returned '${reason}'\n`;
  const delivered = row.Events[row.Events.length - 1]?.Date ?? row.Received;
  return {
    id: `AAMk${prng.guid().replace(/-/g, "").toUpperCase()}`,
    internetMessageId: row.MessageId,
    folder: "inbox",
    subject: row.Subject,
    bodyPreview: content.slice(0, 255),
    body: { contentType: "text", content },
    from,
    sender: from,
    toRecipients: [{ emailAddress: { name: to, address: to } }],
    ccRecipients: [],
    bccRecipients: [],
    receivedDateTime: delivered,
    sentDateTime: row.Received,
    createdDateTime: delivered,
    lastModifiedDateTime: delivered,
    isRead: false,
    isDraft: false,
    // The original journal report rides along as an attachment (Configure journaling, above).
    hasAttachments: true,
    importance: "normal",
    conversationId: prng.guid(),
    parentFolderId: "inbox",
  };
}
