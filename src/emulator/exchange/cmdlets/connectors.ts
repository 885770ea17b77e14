import {
  bool,
  has,
  resultSize,
  str,
  strList,
  toDate,
  toDomainWithSubdomains,
  toSmartHost,
  toSmtpAddress,
  type BoundParameters,
} from "../binding";
import { CmdletError, EXCEPTION } from "../errors";
import { markChanged } from "../replication";
import { newOutboundConnectorRecord, stableGuid } from "../state";
import type { OutboundConnectorRecord, Row } from "../types";
import {
  annotate,
  domainMatches,
  domainOf,
  limit,
  output,
  sameName,
  type CmdletContext,
  type CmdletHandler,
} from "./context";
import {
  checkUniqueRecordName,
  commitRecord,
  findRecord,
  matchesIdentity,
  renameRecord,
  visibleRecords,
  withoutRecord,
} from "./namedRecords";

// Texts marked [emulator] are not confirmed against the service; they name the rule plainly.
const ERR_SMART_HOSTS_REQUIRED = "SmartHosts must be specified when UseMXRecord is set to $false."; // [emulator]
const ERR_SMART_HOSTS_WITH_MX = "SmartHosts can't be specified when UseMXRecord is set to $true."; // [emulator]
const ERR_TLS_DOMAIN = "TlsDomain can only be specified when TlsSettings is set to DomainValidation."; // [emulator]
// The documented rule (New-/Set-OutboundConnector, -RouteAllMessagesViaOnPremises: "$true … requires
// OnPremises for the ConnectorType value"); the wording is ours.
const ERR_ROUTE_VIA_ON_PREMISES =
  "RouteAllMessagesViaOnPremises can only be set to $true when ConnectorType is OnPremises."; // [emulator]

/** How the name-uniqueness message starts. */
const CONNECTOR = "An outbound connector";

function connectorRow(c: OutboundConnectorRecord): Row {
  return annotate({
    Identity: c.Name,
    Id: c.Name,
    ...c,
    OriginatingServer: null,
    IsValid: true,
    ObjectState: "Unchanged",
  });
}

function findConnector(ctx: CmdletContext, identity: string): OutboundConnectorRecord {
  return findRecord(ctx, ctx.record.exchange.outboundConnectors, identity);
}

/** Applies the connector parameters of New-/Set-OutboundConnector onto `c` (mutates it). */
function applyConnectorParameters(c: OutboundConnectorRecord, p: BoundParameters): void {
  if (has(p, "RecipientDomains")) {
    c.RecipientDomains = (strList(p, "RecipientDomains") ?? []).map((d) =>
      toDomainWithSubdomains("RecipientDomains", d),
    );
  }
  if (has(p, "SmartHosts")) c.SmartHosts = (strList(p, "SmartHosts") ?? []).map((h) => toSmartHost("SmartHosts", h));
  if (has(p, "TlsDomain")) {
    const v = str(p, "TlsDomain");
    c.TlsDomain = v === undefined || v === "" ? null : toDomainWithSubdomains("TlsDomain", v);
  }
  if (has(p, "TlsSettings")) c.TlsSettings = (str(p, "TlsSettings") as OutboundConnectorRecord["TlsSettings"]) ?? null;
  // Enum values bind case-insensitively, as in PowerShell ("onpremises" is OnPremises).
  if (has(p, "ConnectorType"))
    c.ConnectorType = sameName(str(p, "ConnectorType") ?? "", "OnPremises") ? "OnPremises" : "Partner";
  if (has(p, "ConnectorSource")) c.ConnectorSource = str(p, "ConnectorSource") ?? c.ConnectorSource;
  if (has(p, "Comment")) c.Comment = str(p, "Comment") ?? null;
  if (has(p, "MtaStsMode")) c.MtaStsMode = str(p, "MtaStsMode") ?? c.MtaStsMode;
  if (has(p, "SmtpDaneMode")) c.SmtpDaneMode = str(p, "SmtpDaneMode") ?? c.SmtpDaneMode;
  if (has(p, "LinkForModifiedConnector")) c.LinkForModifiedConnector = str(p, "LinkForModifiedConnector") ?? null;
  const flags = [
    "UseMXRecord",
    "Enabled",
    "IsTransportRuleScoped",
    "RouteAllMessagesViaOnPremises",
    "CloudServicesMailEnabled",
    "AllAcceptedDomains",
    "SenderRewritingEnabled",
    "TestMode",
    "IsValidated",
  ] as const;
  for (const flag of flags) {
    const v = bool(p, flag);
    if (v !== undefined) c[flag] = v;
  }
  // Case canonicalisation of enum values ("certificatevalidation" -> "CertificateValidation").
  const tls = ["EncryptionOnly", "CertificateValidation", "DomainValidation"] as const;
  if (c.TlsSettings !== null) c.TlsSettings = tls.find((t) => sameName(t, c.TlsSettings ?? "")) ?? c.TlsSettings;
}

function checkCombination(c: OutboundConnectorRecord): void {
  if (!c.UseMXRecord && c.SmartHosts.length === 0)
    throw new CmdletError(EXCEPTION.dataValidation, ERR_SMART_HOSTS_REQUIRED);
  if (c.UseMXRecord && c.SmartHosts.length > 0)
    throw new CmdletError(EXCEPTION.dataValidation, ERR_SMART_HOSTS_WITH_MX);
  if (c.TlsDomain !== null && c.TlsSettings !== "DomainValidation") {
    throw new CmdletError(EXCEPTION.dataValidation, ERR_TLS_DOMAIN);
  }
  if (c.RouteAllMessagesViaOnPremises && c.ConnectorType !== "OnPremises") {
    throw new CmdletError(EXCEPTION.dataValidation, ERR_ROUTE_VIA_ON_PREMISES);
  }
}

const getOutboundConnector: CmdletHandler = (ctx, p) => {
  let rows = visibleRecords(ctx, ctx.record.exchange.outboundConnectors);
  const identity = str(p, "Identity");
  if (identity !== undefined) {
    const hit = rows.filter((c) => matchesIdentity(c, identity));
    // Documented caution: an Identity that doesn't exist returns ALL connectors.
    if (hit.length > 0) rows = hit;
  }
  const testMode = bool(p, "IncludeTestModeConnectors");
  if (testMode !== undefined) rows = rows.filter((c) => c.TestMode === testMode);
  const scoped = bool(p, "IsTransportRuleScoped");
  if (scoped !== undefined) rows = rows.filter((c) => c.IsTransportRuleScoped === scoped);
  const warnings: string[] = [];
  return output(limit(rows, resultSize(p), warnings).map(connectorRow), warnings);
};

const newOutboundConnector: CmdletHandler = (ctx, p) => {
  const name = str(p, "Name") ?? "";
  checkUniqueRecordName(ctx.record.exchange.outboundConnectors, CONNECTOR, name);
  const now = ctx.now.toISOString();
  const guid = stableGuid(`${ctx.record.directory.tenantId}:outbound:${name}:${now}`);
  const c = newOutboundConnectorRecord(guid, name, now);
  applyConnectorParameters(c, p);
  checkCombination(c);
  ctx.record.exchange.outboundConnectors.push(c);
  markChanged(ctx.record.exchange, c.Guid, undefined, ctx.now);
  return output([connectorRow(c)]);
};

const setOutboundConnector: CmdletHandler = (ctx, p) => {
  const actual = findConnector(ctx, str(p, "Identity") ?? "");
  const next = structuredClone(actual);
  renameRecord(ctx.record.exchange.outboundConnectors, CONNECTOR, next, str(p, "Name"));
  applyConnectorParameters(next, p);
  if (has(p, "LastValidationTimestamp")) {
    const v = p.LastValidationTimestamp;
    next.LastValidationTimestamp = v === null ? null : toDate("LastValidationTimestamp", v).toISOString();
  }
  if (has(p, "ValidationRecipients")) {
    next.ValidationRecipients = (strList(p, "ValidationRecipients") ?? []).map((r) =>
      toSmtpAddress("ValidationRecipients", r),
    );
  }
  checkCombination(next);
  return commitRecord(ctx, actual, next);
};

const removeOutboundConnector: CmdletHandler = (ctx, p) => {
  const actual = findConnector(ctx, str(p, "Identity") ?? "");
  const state = ctx.record.exchange;
  state.outboundConnectors = withoutRecord(state, state.outboundConnectors, actual.Guid);
  return output();
};

/** The hosts Exchange would connect to for a recipient through this connector. */
export function connectorHosts(c: OutboundConnectorRecord, recipientDomain: string): string[] {
  return c.UseMXRecord ? [recipientDomain] : c.SmartHosts;
}

/** TLS result of connecting to `host`; opportunistic TLS (TlsSettings $null) falls back to plain SMTP. */
export function connectOutcome(
  ctx: { record: { exchange: { settings: { connectorValidation: Record<string, string> } } } },
  c: OutboundConnectorRecord,
  host: string,
): { ok: boolean; detail: string } {
  const outcome = ctx.record.exchange.settings.connectorValidation[host.toLowerCase()] ?? "success";
  if (outcome === "success") return { ok: true, detail: `Connected to ${host} using TLS.` };
  if (c.TlsSettings === null) return { ok: true, detail: `TLS negotiation with ${host} failed; sent without TLS.` };
  return {
    ok: false,
    detail: `450 4.4.317 Cannot connect to remote server [Message=The remote certificate is invalid according to the validation procedure.] [LastAttemptedServerName=${host}]`,
  };
}

const validateOutboundConnector: CmdletHandler = (ctx, p) => {
  const c = findConnector(ctx, str(p, "Identity") ?? "");
  const recipients = (strList(p, "Recipients") ?? []).map((r) => toSmtpAddress("Recipients", r));
  for (const r of recipients) {
    if (!c.RecipientDomains.some((d) => domainMatches(d, domainOf(r)))) {
      // [emulator] wording of the documented rule "recipients must be in the connector's domain".
      throw new CmdletError(
        EXCEPTION.invalidOperation,
        `The recipient '${r}' isn't in a domain that the connector '${c.Name}' sends to (RecipientDomains: ${c.RecipientDomains.join(", ") || "none"}).`,
      );
    }
  }
  const rows: Row[] = [];
  const seenHosts = new Set<string>();
  let connected = true;
  for (const r of recipients) {
    for (const host of connectorHosts(c, domainOf(r))) {
      if (seenHosts.has(host)) continue;
      seenHosts.add(host);
      const result = connectOutcome(ctx, c, host);
      connected &&= result.ok;
      rows.push({ TaskName: `Connectivity check to ${host}`, IsTaskSuccessful: result.ok, Details: result.detail });
    }
  }
  for (const r of recipients) {
    rows.push({
      TaskName: `Send test email to ${r}`,
      IsTaskSuccessful: connected,
      Details: connected
        ? `Test message delivered to ${r}.`
        : `Test message to ${r} couldn't be sent: connectivity check failed.`,
    });
  }
  // Deliberately leaves IsValidated/LastValidationTimestamp alone, as the service does.
  return output(validationOutput(ctx.record.exchange.settings.validateOutboundConnectorOutput, rows));
};

/**
 * Validate-OutboundConnector's answer in the shape the tenant's settings ask for. Microsoft documents
 * no output type for the cmdlet (learn.microsoft.com/powershell/module/exchangepowershell/
 * validate-outboundconnector, OUTPUTS is empty; TaskName/IsTaskSuccessful are seen only in a
 * community script, reference cmdlets.json), so the emulator can also answer with nothing or with
 * rows a JSON client can't read, for tests that a client claims success only on evidence.
 */
function xmlText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function validationOutput(shape: "taskRows" | "empty" | "unrecognised", rows: Row[]): Row[] {
  if (shape === "empty") return [];
  if (shape === "unrecognised") {
    // CliXml rows, as the admin API returns them to the module (reference §3: each row a _clixml string).
    return rows.map((r) => ({
      _clixml: `<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj RefId="0"><MS><S N="TaskName">${xmlText(String(r.TaskName))}</S></MS></Obj></Objs>`,
    }));
  }
  return rows;
}

export const connectorCmdlets: Record<string, CmdletHandler> = {
  "Get-OutboundConnector": getOutboundConnector,
  "New-OutboundConnector": newOutboundConnector,
  "Set-OutboundConnector": setOutboundConnector,
  "Remove-OutboundConnector": removeOutboundConnector,
  "Validate-OutboundConnector": validateOutboundConnector,
};
