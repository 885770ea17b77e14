import type { TenantDirectory } from "../directory/types";
import { hashString } from "./prng";
import { defaultExchangeSettings } from "./settingsSchema";
import type { ExchangeState, OutboundConnectorRecord } from "./types";

/** A GUID derived from a name, so seeded state is the same on every start. */
export function stableGuid(seed: string): string {
  const hex = [0, 1, 2, 3].map((i) => hashString(`${i}:${seed}`).toString(16).padStart(8, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const GATEWAY_HOST = "gateway.contoso-mailsec.example";

/** A connector as New-OutboundConnector makes it before its parameters are applied (the service's defaults). */
export function newOutboundConnectorRecord(guid: string, name: string, created: string): OutboundConnectorRecord {
  return {
    Guid: guid,
    Name: name,
    Enabled: true,
    ConnectorType: "Partner",
    ConnectorSource: "Default",
    Comment: null,
    RecipientDomains: [],
    SmartHosts: [],
    UseMXRecord: true,
    TlsSettings: null,
    TlsDomain: null,
    IsTransportRuleScoped: false,
    RouteAllMessagesViaOnPremises: false,
    CloudServicesMailEnabled: false,
    AllAcceptedDomains: false,
    SenderRewritingEnabled: false,
    TestMode: false,
    IsValidated: false,
    LastValidationTimestamp: null,
    ValidationRecipients: [],
    MtaStsMode: "Opportunistic",
    SmtpDaneMode: "Opportunistic",
    LinkForModifiedConnector: null,
    WhenCreated: created,
    WhenChanged: created,
  };
}

/**
 * The "gateway" variant: all outbound mail goes through a third-party security gateway, the way
 * such services ask to be set up (Partner connector, "Only when email messages are sent to
 * these domains: *", route through a smart host, TLS with a trusted CA). Journal reports to the
 * journaling service would take this connector too unless a more specific one exists.
 */
function gatewayConnector(directory: TenantDirectory, created: string): OutboundConnectorRecord {
  const guid = stableGuid(`${directory.tenantId}:outbound:gateway`);
  return {
    ...newOutboundConnectorRecord(guid, "Outbound to mail security gateway", created),
    ConnectorSource: "AdminUI",
    RecipientDomains: ["*"],
    SmartHosts: [GATEWAY_HOST],
    UseMXRecord: false,
    TlsSettings: "CertificateValidation",
    IsValidated: true,
    LastValidationTimestamp: created,
    ValidationRecipients: [`postmaster@${GATEWAY_HOST}`],
  };
}

export function createExchangeState(
  directory: TenantDirectory,
  variant: "default" | "gateway",
  options: {
    latency?: "realistic" | "none";
    /** Role group name -> member user principal names (seed); unknown names are left out. */
    roleGroupMembers?: Readonly<Record<string, readonly string[]>>;
  } = {},
): ExchangeState {
  const settings = defaultExchangeSettings(options.latency ?? "realistic");
  // Seeded objects get a fixed creation time so the seed is identical on every start.
  const created = "2024-01-15T09:30:00.000Z";
  return {
    version: 1,
    variant,
    domainController: "NAMPR01A001DC01.NAMPR01A001.PROD.OUTLOOK.COM",
    organization: {
      Guid: stableGuid(`${directory.tenantId}:organization`),
      IsDehydrated: false,
      WhenCreated: created,
    },
    transportConfig: {
      JournalingReportNdrTo: "<>",
      JournalMessageExpirationDays: 0,
      PreventDuplicateJournalingEnabled: false,
      VoicemailJournalingEnabled: true,
      WhenChanged: created,
    },
    outboundConnectors: variant === "gateway" ? [gatewayConnector(directory, created)] : [],
    inboundConnectors:
      variant === "gateway"
        ? [
            {
              Guid: stableGuid(`${directory.tenantId}:inbound:gateway`),
              Name: "Inbound from mail security gateway",
              Enabled: true,
              ConnectorType: "Partner",
              ConnectorSource: "AdminUI",
              SenderDomains: ["*"],
              SenderIPAddresses: ["198.51.100.10", "198.51.100.11"],
              RequireTls: true,
              RestrictDomainsToCertificate: false,
              TlsSenderCertificateName: null,
              WhenCreated: created,
              WhenChanged: created,
            },
          ]
        : [],
    journalRules: [],
    groupExtras: {},
    roleGroups: roleGroupsFor(directory, options.roleGroupMembers ?? {}),
    replication: {},
    settings,
    runtime: {
      prng: settings.seed,
      callTimes: [],
      traceQueryTimes: [],
      failNextRemaining: 0,
      mailFlow: { prng: settings.mailFlow.seed, lastAdvancedAt: null, generated: 0 },
    },
    messageTrace: [],
  };
}

/** Role group members by user principal name -> by directory user id (as Exchange keeps them). */
function roleGroupsFor(
  directory: TenantDirectory,
  members: Readonly<Record<string, readonly string[]>>,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [group, upns] of Object.entries(members)) {
    out[group] = upns.flatMap((upn) => {
      const user = directory.users.find((u) => u.userPrincipalName.toLowerCase() === upn.toLowerCase());
      return user ? [user.id] : [];
    });
  }
  return out;
}
