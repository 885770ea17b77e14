import { bool, checkRange, has, toSmtpAddress } from "../binding";
import { CmdletError, EXCEPTION } from "../errors";
import { findRecipients } from "../recipients";
import { markChanged, viewOf } from "../replication";
import type { TenantRecord, TransportConfigRecord } from "../types";
import { annotate, noChangeWarning, output, type CmdletContext, type CmdletHandler } from "./context";

export const TRANSPORT_CONFIG_KEY = "TransportConfig";

/**
 * Full text from a captured Set-TransportConfig failure (HCW log quoted in a public Q&A thread;
 * reference [QA]); the service raises it as System.InvalidOperationException both on
 * New-JournalRule without an NDR address and on clearing the address while rules exist.
 */
export const NDR_REQUIRED_MESSAGE =
  "Before you create a journal rule, you must specify an email account to receive journal reports that can't be delivered to the journal destination. To do this, click OK. On the Journal rules page, select an email address to send undeliverable journal reports to. Browse to select a mailbox in your organization or an external contact to receive the undeliverable reports.";

export function ndrRequiredError(): CmdletError {
  return new CmdletError(EXCEPTION.invalidOperation, NDR_REQUIRED_MESSAGE);
}

/** The transport config as cmdlets see it (may lag behind a recent change). */
export function visibleTransportConfig(record: TenantRecord, now: Date): TransportConfigRecord {
  return (
    viewOf(record.exchange, TRANSPORT_CONFIG_KEY, record.exchange.transportConfig, now) ??
    record.exchange.transportConfig
  );
}

const getTransportConfig: CmdletHandler = (ctx) => {
  const t = visibleTransportConfig(ctx.record, ctx.now);
  return output([
    annotate({
      Identity: "Transport Settings",
      Name: "Transport Settings",
      ...t,
      ExternalPostmasterAddress: null,
      MaxRecipientEnvelopeLimit: "Unlimited",
      SmtpClientAuthenticationDisabled: false,
      AllowLegacyTLSClients: false,
      Guid: ctx.record.exchange.organization.Guid,
    }),
  ]);
};

export function isUnsetNdr(value: unknown): boolean {
  return value === null || value === undefined || value === "" || value === "<>";
}

function setNdrAddress(ctx: CmdletContext, next: TransportConfigRecord, value: unknown): void {
  if (isUnsetNdr(value)) {
    if (ctx.record.exchange.journalRules.length > 0) throw ndrRequiredError();
    next.JournalingReportNdrTo = "<>";
    return;
  }
  const address = toSmtpAddress("JournalingReportNdrTo", String(value));
  const group = findRecipients(ctx.record, address, ctx.now).find((r) => r.kind === "group");
  if (group) {
    // The Purview page refuses group and team addresses here ("you cannot use a team or group
    // address", Cloudflare's setup guide); the cmdlet wording below is the emulator's [emulator].
    throw new CmdletError(
      EXCEPTION.invalidOperation,
      `The address '${address}' belongs to the group '${group.Name}'. Undeliverable journal reports can't be sent to a group or team; specify a user mailbox, a mail user, a mail contact or an external address.`,
    );
  }
  next.JournalingReportNdrTo = address;
}

const setTransportConfig: CmdletHandler = (ctx, p) => {
  const actual = ctx.record.exchange.transportConfig;
  const next = structuredClone(actual);
  if (has(p, "JournalingReportNdrTo")) setNdrAddress(ctx, next, p.JournalingReportNdrTo);
  if (typeof p.JournalMessageExpirationDays === "number") {
    checkRange("JournalMessageExpirationDays", p.JournalMessageExpirationDays, 0, 7);
    next.JournalMessageExpirationDays = p.JournalMessageExpirationDays;
  }
  const dup = bool(p, "PreventDuplicateJournalingEnabled");
  if (dup !== undefined) next.PreventDuplicateJournalingEnabled = dup;
  const voicemail = bool(p, "VoicemailJournalingEnabled");
  if (voicemail !== undefined) next.VoicemailJournalingEnabled = voicemail;
  // Other documented parameters bind (the catalog accepts them) but have no effect here.
  if (JSON.stringify(next) === JSON.stringify(actual)) return output([], [noChangeWarning("Transport Settings")]);
  next.WhenChanged = ctx.now.toISOString();
  const snapshot = structuredClone(actual);
  ctx.record.exchange.transportConfig = next;
  markChanged(ctx.record.exchange, TRANSPORT_CONFIG_KEY, snapshot, ctx.now);
  return output();
};

export const transportCmdlets: Record<string, CmdletHandler> = {
  "Get-TransportConfig": getTransportConfig,
  "Set-TransportConfig": setTransportConfig,
};
