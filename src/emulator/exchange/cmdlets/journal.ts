import { has, isSmtpAddress, str, toSmtpAddress, type BoundParameters } from "../binding";
import { CmdletError, EXCEPTION, objectNotFound, recipientNotFound } from "../errors";
import { findRecipients } from "../recipients";
import { markChanged } from "../replication";
import { stableGuid } from "../state";
import type { JournalRuleRecord, Row } from "../types";
import { domainOf, output, sameName, type CmdletContext, type CmdletHandler } from "./context";
import {
  checkUniqueRecordName,
  commitRecord,
  findRecord,
  matchesIdentity,
  renameRecord,
  visibleRecords,
  withoutRecord,
} from "./namedRecords";
import { isUnsetNdr, ndrRequiredError, visibleTransportConfig } from "./transport";

/** Exact text and type from MicrosoftDocs/OfficeDocs-Exchange#2774 (also raised for consumer webmail). */
export const JOURNAL_ADDRESS_MESSAGE =
  "The JournalEmailAddress can only be a mail user, a mail contact or an external address.";

/**
 * Consumer webmail domains refused as journaling addresses (I2774: live.com, hotmail.com,
 * gmail.com, "etc."). The list is the emulator's; the same domains are fine for the NDR address.
 */
export const CONSUMER_DOMAINS: ReadonlySet<string> = new Set([
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "hotmail.com",
  "hotmail.co.uk",
  "live.com",
  "msn.com",
  "yahoo.com",
  "yahoo.co.uk",
  "ymail.com",
  "aol.com",
  "icloud.com",
  "me.com",
  "mail.com",
  "gmx.com",
  "gmx.de",
  "web.de",
  "proton.me",
  "protonmail.com",
  "yandex.com",
  "zoho.com",
]);

/** How the name-uniqueness message starts. */
const JOURNAL_RULE = "A journal rule";

function ruleRow(r: JournalRuleRecord): Row {
  return {
    Identity: r.Name,
    Name: r.Name,
    Guid: r.Guid,
    ImmutableId: r.Guid,
    Recipient: r.Recipient,
    JournalEmailAddress: r.JournalEmailAddress,
    Scope: r.Scope,
    Enabled: r.Enabled,
    IsValid: true,
    WhenChanged: r.WhenChanged,
  };
}

function invalidJournalAddress(): CmdletError {
  return new CmdletError(EXCEPTION.invalidOperation, JOURNAL_ADDRESS_MESSAGE, "FC07E026");
}

/** JournalEmailAddress: a mail user, mail contact or external (non-consumer) address. */
function resolveJournalAddress(ctx: CmdletContext, value: string): string {
  const found = findRecipients(ctx.record, value, ctx.now);
  const hit = found[0];
  if (hit) {
    if (hit.RecipientTypeDetails !== "MailUser" && hit.RecipientTypeDetails !== "MailContact")
      throw invalidJournalAddress();
    return hit.PrimarySmtpAddress;
  }
  if (!isSmtpAddress(value)) throw recipientNotFound(value);
  const domain = domainOf(value);
  if (CONSUMER_DOMAINS.has(domain)) throw invalidJournalAddress();
  // An address in one of the tenant's own domains that names no recipient can't be an external address.
  if (ctx.record.directory.acceptedDomains.some((d) => d.toLowerCase() === domain)) throw recipientNotFound(value);
  return value;
}

/** Recipient: one SMTP address of a recipient of this tenant (mailbox, contact, group). */
function resolveRuleRecipient(ctx: CmdletContext, value: unknown): string | null {
  if (value === null) return null;
  const address = toSmtpAddress("Recipient", typeof value === "string" ? value : JSON.stringify(value));
  const hit = findRecipients(ctx.record, address, ctx.now).find((r) => sameName(r.PrimarySmtpAddress, address));
  if (!hit) throw recipientNotFound(address);
  return hit.PrimarySmtpAddress;
}

function findRule(ctx: CmdletContext, identity: string): JournalRuleRecord {
  return findRecord(ctx, ctx.record.exchange.journalRules, identity);
}

const getJournalRule: CmdletHandler = (ctx, p) => {
  const rules = visibleRecords(ctx, ctx.record.exchange.journalRules);
  const identity = str(p, "Identity");
  if (identity === undefined) return output(rules.map(ruleRow));
  const hit = rules.filter((r) => matchesIdentity(r, identity));
  if (hit.length === 0) throw objectNotFound(identity, ctx.record.exchange.domainController);
  return output(hit.map(ruleRow));
};

const newJournalRule: CmdletHandler = (ctx, p) => {
  const state = ctx.record.exchange;
  if (isUnsetNdr(visibleTransportConfig(ctx.record, ctx.now).JournalingReportNdrTo)) throw ndrRequiredError();
  const name = str(p, "Name") ?? "";
  checkUniqueRecordName(ctx.record.exchange.journalRules, JOURNAL_RULE, name);
  const max = state.settings.maxJournalRules;
  if (state.journalRules.length >= max) {
    // [emulator] wording for the journal rule limit.
    throw new CmdletError(
      EXCEPTION.invalidOperation,
      `The maximum number of journal rules (${max}) has been reached. Remove a journal rule before you create a new one.`,
    );
  }
  const journalAddress = resolveJournalAddress(ctx, str(p, "JournalEmailAddress") ?? "");
  const recipient = has(p, "Recipient") ? resolveRuleRecipient(ctx, p.Recipient) : null;
  const now = ctx.now.toISOString();
  const rule: JournalRuleRecord = {
    Guid: stableGuid(`${ctx.record.directory.tenantId}:journal:${name}:${now}`),
    Name: name,
    Recipient: recipient,
    JournalEmailAddress: journalAddress,
    Scope: scopeOf(p) ?? "Global",
    Enabled: p.Enabled === true, // new rules are disabled unless -Enabled $true
    WhenCreated: now,
    WhenChanged: now,
  };
  state.journalRules.push(rule);
  markChanged(state, rule.Guid, undefined, ctx.now);
  return output([ruleRow(rule)]);
};

function scopeOf(p: BoundParameters): JournalRuleRecord["Scope"] | undefined {
  const v = str(p, "Scope");
  if (v === undefined) return undefined;
  return (["Global", "Internal", "External"] as const).find((s) => sameName(s, v));
}

const setJournalRule: CmdletHandler = (ctx, p) => {
  const actual = findRule(ctx, str(p, "Identity") ?? "");
  const next = structuredClone(actual);
  renameRecord(ctx.record.exchange.journalRules, JOURNAL_RULE, next, str(p, "Name"));
  const address = str(p, "JournalEmailAddress");
  if (address !== undefined) next.JournalEmailAddress = resolveJournalAddress(ctx, address);
  if (has(p, "Recipient")) next.Recipient = resolveRuleRecipient(ctx, p.Recipient);
  next.Scope = scopeOf(p) ?? next.Scope;
  return commitRecord(ctx, actual, next);
};

function setEnabled(enabled: boolean): CmdletHandler {
  return (ctx, p) => {
    const actual = findRule(ctx, str(p, "Identity") ?? "");
    return commitRecord(ctx, actual, { ...structuredClone(actual), Enabled: enabled });
  };
}

const removeJournalRule: CmdletHandler = (ctx, p) => {
  const actual = findRule(ctx, str(p, "Identity") ?? "");
  const state = ctx.record.exchange;
  state.journalRules = withoutRecord(state, state.journalRules, actual.Guid);
  return output();
};

export const journalCmdlets: Record<string, CmdletHandler> = {
  "Get-JournalRule": getJournalRule,
  "New-JournalRule": newJournalRule,
  "Set-JournalRule": setJournalRule,
  "Enable-JournalRule": setEnabled(true),
  "Disable-JournalRule": setEnabled(false),
  "Remove-JournalRule": removeJournalRule,
};
