import { bool, resultSize, str, strList } from "../binding";
import { objectNotFound } from "../errors";
import { listRecipients, recipientRow, resolveIdentity, type Recipient } from "../recipients";
import type { InboundConnectorRecord, Row } from "../types";
import { annotate, anrMatches, applyFilter, limit, output, sameName, type CmdletHandler } from "./context";

function filterByTypes(
  recipients: Recipient[],
  types: string[] | undefined,
  key: "RecipientTypeDetails" | "RecipientType",
): Recipient[] {
  if (types === undefined) return recipients;
  return recipients.filter((r) => types.some((t) => sameName(t, r[key])));
}

const getRecipient: CmdletHandler = (ctx, p) => {
  const identity = str(p, "Identity");
  let recipients =
    identity === undefined ? listRecipients(ctx.record, ctx.now) : [resolveIdentity(ctx.record, identity, ctx.now)];
  const details = strList(p, "RecipientTypeDetails");
  // Microsoft 365 groups appear only when asked for by type (documented for Get-Recipient).
  if (details === undefined && identity === undefined)
    recipients = recipients.filter((r) => r.RecipientTypeDetails !== "GroupMailbox");
  recipients = filterByTypes(recipients, details, "RecipientTypeDetails");
  recipients = filterByTypes(recipients, strList(p, "RecipientType"), "RecipientType");
  const anr = str(p, "Anr");
  recipients = recipients.filter((r) => anrMatches(anr, [r.Name, r.Alias, r.DisplayName, r.PrimarySmtpAddress]));
  const rows = applyFilter(
    recipients.map((r) => recipientRow(ctx.record, r)),
    str(p, "Filter"),
  );
  const warnings: string[] = [];
  return output(limit(rows, resultSize(p), warnings), warnings);
};

function mailboxRow(ctx: Parameters<CmdletHandler>[0], r: Recipient): Row {
  return {
    ...recipientRow(ctx.record, r),
    IsMailboxEnabled: true,
    IsShared: r.RecipientTypeDetails === "SharedMailbox",
    ArchiveStatus: "None",
    LitigationHoldEnabled: false,
  };
}

const getMailbox: CmdletHandler = (ctx, p) => {
  const groupMailbox = bool(p, "GroupMailbox") === true;
  const details = strList(p, "RecipientTypeDetails");
  const isMailbox = (r: Recipient): boolean =>
    r.RecipientTypeDetails === "UserMailbox" ||
    r.RecipientTypeDetails === "SharedMailbox" ||
    (r.RecipientTypeDetails === "GroupMailbox" && (groupMailbox || (details ?? []).includes("GroupMailbox")));
  const identity = str(p, "Identity");
  let recipients =
    identity === undefined
      ? listRecipients(ctx.record, ctx.now).filter(isMailbox)
      : [resolveIdentity(ctx.record, identity, ctx.now, isMailbox)];
  recipients = filterByTypes(recipients, details, "RecipientTypeDetails");
  const anr = str(p, "Anr");
  recipients = recipients.filter((r) => anrMatches(anr, [r.Name, r.Alias, r.DisplayName, r.PrimarySmtpAddress]));
  const rows = applyFilter(
    recipients.map((r) => mailboxRow(ctx, r)),
    str(p, "Filter"),
  );
  const warnings: string[] = [];
  return output(limit(rows, resultSize(p), warnings), warnings);
};

const getAcceptedDomain: CmdletHandler = (ctx, p) => {
  const { directory } = ctx.record;
  const defaultDomain =
    directory.acceptedDomains.find((d) => !d.toLowerCase().endsWith(".onmicrosoft.com")) ?? directory.initialDomain;
  let domains = directory.acceptedDomains;
  const identity = str(p, "Identity");
  if (identity !== undefined) {
    const hit = domains.filter((d) => sameName(d, identity));
    // Documented caution (same as Get-OutboundConnector): an unknown Identity returns all domains.
    if (hit.length > 0) domains = hit;
  }
  const rows = domains.map((d) => ({
    Identity: d,
    Id: d,
    Name: d,
    DomainName: d,
    DomainType: "Authoritative",
    Default: sameName(d, defaultDomain),
    InitialDomain: sameName(d, directory.initialDomain),
    MatchSubDomains: false,
    IsValid: true,
  }));
  const warnings: string[] = [];
  return output(limit(rows, resultSize(p), warnings), warnings);
};

function inboundRow(c: InboundConnectorRecord): Row {
  return annotate({ Identity: c.Name, Id: c.Name, ...c });
}

const getInboundConnector: CmdletHandler = (ctx, p) => {
  const connectors = ctx.record.exchange.inboundConnectors;
  const identity = str(p, "Identity");
  if (identity === undefined) return output(connectors.map(inboundRow));
  const hit = connectors.filter((c) => sameName(c.Name, identity) || sameName(c.Guid, identity));
  if (hit.length === 0) throw objectNotFound(identity, ctx.record.exchange.domainController);
  return output(hit.map(inboundRow));
};

const getOrganizationConfig: CmdletHandler = (ctx) => {
  const { directory, exchange } = ctx.record;
  return output([
    {
      Identity: directory.initialDomain,
      Name: directory.initialDomain,
      DisplayName: directory.displayName,
      Guid: exchange.organization.Guid,
      ExchangeObjectId: exchange.organization.Guid,
      IsDehydrated: exchange.organization.IsDehydrated,
      WhenCreated: exchange.organization.WhenCreated,
      OrganizationId: directory.tenantId,
    },
  ]);
};

export const directoryCmdlets: Record<string, CmdletHandler> = {
  "Get-Recipient": getRecipient,
  "Get-Mailbox": getMailbox,
  "Get-AcceptedDomain": getAcceptedDomain,
  "Get-InboundConnector": getInboundConnector,
  "Get-OrganizationConfig": getOrganizationConfig,
};
