import type { TenantDirectory } from "../directory/types";
import type { ExchangeSettings } from "./settingsSchema";

/**
 * A tenant as the Exchange part works on it: its Exchange organisation, and the directory that its
 * recipients, groups and roles come from. Declared here, not imported from ../tenant: the emulator's
 * tenant record is built from ExchangeState, so importing it back would make the two import each other.
 * ../tenant's TenantRecord has this shape; the compiler checks it wherever one is passed in.
 */
export interface TenantRecord {
  directory: TenantDirectory;
  exchange: ExchangeState;
}

/**
 * Per-tenant Exchange Online state of the emulator. Plain JSON (dates as ISO strings) so the
 * platform can persist it in the --state file as is. Object records keep Exchange's property
 * names so Get- cmdlets can return them with little mapping.
 */
export interface OutboundConnectorRecord {
  Guid: string;
  Name: string;
  Enabled: boolean;
  ConnectorType: "Partner" | "OnPremises";
  /** "Default" from PowerShell; "AdminUI" for connectors made in the admin center (seed). */
  ConnectorSource: string;
  Comment: string | null;
  RecipientDomains: string[];
  SmartHosts: string[];
  UseMXRecord: boolean;
  TlsSettings: "EncryptionOnly" | "CertificateValidation" | "DomainValidation" | null;
  TlsDomain: string | null;
  IsTransportRuleScoped: boolean;
  RouteAllMessagesViaOnPremises: boolean;
  CloudServicesMailEnabled: boolean;
  AllAcceptedDomains: boolean;
  SenderRewritingEnabled: boolean;
  TestMode: boolean;
  IsValidated: boolean;
  LastValidationTimestamp: string | null;
  ValidationRecipients: string[];
  MtaStsMode: string;
  SmtpDaneMode: string;
  LinkForModifiedConnector: string | null;
  WhenCreated: string;
  WhenChanged: string;
}

export interface InboundConnectorRecord {
  Guid: string;
  Name: string;
  Enabled: boolean;
  ConnectorType: "Partner" | "OnPremises";
  ConnectorSource: string;
  SenderDomains: string[];
  SenderIPAddresses: string[];
  RequireTls: boolean;
  RestrictDomainsToCertificate: boolean;
  TlsSenderCertificateName: string | null;
  WhenCreated: string;
  WhenChanged: string;
}

export interface JournalRuleRecord {
  Guid: string;
  Name: string;
  /** SMTP address of the journaled recipient or group; null = everyone. */
  Recipient: string | null;
  JournalEmailAddress: string;
  Scope: "Global" | "Internal" | "External";
  Enabled: boolean;
  WhenCreated: string;
  WhenChanged: string;
}

export interface TransportConfigRecord {
  /** "<>" when unset, as Exchange prints a null SmtpAddress. */
  JournalingReportNdrTo: string;
  JournalMessageExpirationDays: number;
  PreventDuplicateJournalingEnabled: boolean;
  VoicemailJournalingEnabled: boolean;
  WhenChanged: string;
}

export interface OrganizationRecord {
  Guid: string;
  IsDehydrated: boolean;
  WhenCreated: string;
}

export type TraceStatus =
  "Delivered" | "Expanded" | "Failed" | "FilteredAsSpam" | "GettingStatus" | "Pending" | "Quarantined";

export interface TraceEvent {
  Date: string;
  Event: "Receive" | "Send" | "Deliver" | "Fail" | "Journal" | "Defer";
  Action: string | null;
  Detail: string;
  Data: string | null;
}

/** One message trace row (one message to one recipient), with Get-MessageTraceV2's field names. */
export interface TraceEntry {
  MessageTraceId: string;
  MessageId: string;
  Received: string;
  SenderAddress: string;
  RecipientAddress: string;
  Subject: string;
  Status: TraceStatus;
  FromIP: string | null;
  ToIP: string | null;
  Size: number;
  /** What the row is, for tests and the demo: the original message, a journal report or its NDR. */
  Kind: "message" | "journalReport" | "ndr";
  Events: TraceEvent[];
  /**
   * When message trace starts to show the row (settings.messageTraceLagSeconds after it happened):
   * trace data lags mail flow. Absent: at once.
   */
  VisibleAt?: string;
}

/** A created or changed object stays invisible (or shows its previous version) until visibleAt. */
export interface ReplicationEntry {
  visibleAt: string;
  /** JSON copy of the object before the change; absent for a new object. */
  previous?: unknown;
}

export interface ExchangeRuntime {
  /** PRNG state for fault and latency decisions (seeded from settings.seed). */
  prng: number;
  /** Epoch ms of recent admin API calls, for throttling. */
  callTimes: number[];
  /** Epoch ms of recent message trace queries (100 per 5 minutes per tenant). */
  traceQueryTimes: number[];
  /** Remaining "fail the next N calls" budget. */
  failNextRemaining: number;
  mailFlow: { prng: number; lastAdvancedAt: string | null; generated: number };
  /**
   * Journal reports waiting in the transport queue for a retry, per-address undeliverable
   * bookkeeping and journal rules the service disabled (see ./journalQueue). Optional: state files
   * written before these existed load without them.
   */
  journalQueue?: JournalQueueState;
}

/** One deferred journal report (its trace row is `Pending` until delivered or expired). */
export interface QueuedReport {
  MessageTraceId: string;
  RecipientAddress: string;
  /** When it was first deferred; it expires a day later. */
  queuedAt: string;
  nextAttemptAt: string;
  attempts: number;
  host: string;
  connector: string | null;
}

/** A journaling address whose reports stay undeliverable: since when, and when "Microsoft" contacted the tenant. */
export interface UndeliverableAddress {
  since: string;
  contactedAt: string | null;
}

/** A journal rule the service disabled because its reports stayed undeliverable (not visible in Exchange). */
export interface AutoDisabledRule {
  ruleGuid: string;
  ruleName: string;
  journalEmailAddress: string;
  disabledAt: string;
  contactedAt: string;
  reason: string;
}

export interface JournalQueueState {
  queue: QueuedReport[];
  undeliverable: Record<string, UndeliverableAddress>;
  autoDisabled: AutoDisabledRule[];
  /** Earliest retry, expiry or disabling due (null: nothing queued), so idle checks are cheap. */
  nextDueAt?: string | null;
}

/** Exchange-only settings of groups created or changed through Exchange (not in the directory). */
export interface GroupExtras {
  ManagedBy: string[];
  MemberJoinRestriction: "Open" | "Closed" | "ApprovalRequired";
  MemberDepartRestriction: "Open" | "Closed";
  RequireSenderAuthenticationEnabled: boolean;
  HiddenFromAddressListsEnabled: boolean;
  Description: string[];
  WhenChanged: string;
}

export interface ExchangeState {
  version: 1;
  variant: "default" | "gateway";
  /** Host name shown in "couldn't be found on '…'" messages, like a real domain controller. */
  domainController: string;
  organization: OrganizationRecord;
  transportConfig: TransportConfigRecord;
  outboundConnectors: OutboundConnectorRecord[];
  inboundConnectors: InboundConnectorRecord[];
  journalRules: JournalRuleRecord[];
  /** Keyed by directory group id. */
  groupExtras: Record<string, GroupExtras>;
  /**
   * Members (directory user ids) of Exchange's own role groups, by role group name (e.g.
   * "Organization Management"): Exchange RBAC that Entra knows nothing of (see ./permissions).
   * Optional: state files written before it existed load without it.
   */
  roleGroups?: Record<string, string[]>;
  /** Keyed by object Guid (groups: directory id; transport config: "TransportConfig"). */
  replication: Record<string, ReplicationEntry>;
  settings: ExchangeSettings;
  runtime: ExchangeRuntime;
  messageTrace: TraceEntry[];
  /**
   * Mailbox contents by directory user id (./mailboxes): what users sent and received. Optional:
   * state files written before it existed load without it.
   */
  mailboxes?: Record<string, MailboxMessage[]>;
}

/** A message in a mailbox folder, with Graph's message property names (the parts the emulator serves). */
export interface MailboxMessage {
  id: string;
  internetMessageId: string;
  folder: "inbox" | "sentitems";
  subject: string;
  bodyPreview: string;
  body: { contentType: "text" | "html"; content: string };
  from: { emailAddress: { name: string; address: string } };
  sender: { emailAddress: { name: string; address: string } };
  toRecipients: { emailAddress: { name: string; address: string } }[];
  ccRecipients: { emailAddress: { name: string; address: string } }[];
  bccRecipients: { emailAddress: { name: string; address: string } }[];
  receivedDateTime: string;
  sentDateTime: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  isRead: boolean;
  isDraft: boolean;
  hasAttachments: boolean;
  importance: "low" | "normal" | "high";
  conversationId: string;
  parentFolderId: string;
}

export type Row = Record<string, unknown>;

export interface CmdletOutput {
  rows: Row[];
  warnings: string[];
}

/** Who is calling, from the token. */
export interface Caller {
  /** Directory role template ids (wids). */
  roles: readonly string[];
  upn: string | null;
  appOnly: boolean;
}

export interface ExchangeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: unknown;
}

export interface ExchangeResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type VerifyResult = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string };

export interface ExchangeDeps {
  getTenant(idOrName: string): TenantRecord | undefined;
  verifyToken(authorizationHeader: string | undefined): Promise<VerifyResult>;
  now(): Date;
  sleep(ms: number): Promise<void>;
}
