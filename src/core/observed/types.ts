import { z } from "zod";

/**
 * The tenant as Exchange reports it: objects returned by the Get- cmdlets, with Exchange's
 * property names, keyed by cmdlet name. Only the properties the planner reads are typed; extra
 * properties are kept so a read round-trips.
 */
const multiValued = z
  .union([z.array(z.string()), z.string(), z.null()])
  .transform((v) => (v === null ? [] : Array.isArray(v) ? v : [v]));

export const outboundConnectorSchema = z.looseObject({
  Identity: z.string().optional(),
  Name: z.string(),
  Enabled: z.boolean().default(true),
  ConnectorType: z.string().default("Partner"),
  RecipientDomains: multiValued.default([]),
  SmartHosts: multiValued.default([]),
  UseMXRecord: z.boolean().default(true),
  TlsSettings: z.string().nullable().default(null),
  IsTransportRuleScoped: z.boolean().default(false),
  /** With ConnectorType OnPremises: hybrid centralized mail transport (journal reports go on-premises). */
  RouteAllMessagesViaOnPremises: z.boolean().default(false),
  TestMode: z.boolean().default(false),
  IsValidated: z.boolean().default(false),
  LastValidationTimestamp: z.string().nullable().default(null),
});

export const transportConfigSchema = z.looseObject({
  JournalingReportNdrTo: z.string().nullable().default("<>"),
});

export const journalRuleSchema = z.looseObject({
  Identity: z.string().optional(),
  Name: z.string(),
  Recipient: z.string().nullable().default(null),
  JournalEmailAddress: z.string(),
  Scope: z.enum(["Global", "Internal", "External"]).default("Global"),
  Enabled: z.boolean().default(false),
});

export const distributionGroupSchema = z.looseObject({
  Identity: z.string().optional(),
  Name: z.string(),
  DisplayName: z.string().optional(),
  PrimarySmtpAddress: z.string(),
  RecipientTypeDetails: z.string().default("MailUniversalDistributionGroup"),
});

export const groupMemberSchema = z.looseObject({
  Name: z.string().optional(),
  PrimarySmtpAddress: z.string(),
  RecipientType: z.string().optional(),
});

export const observedStateSchema = z.strictObject({
  "Get-OutboundConnector": z.array(outboundConnectorSchema).default([]),
  "Get-TransportConfig": transportConfigSchema.default({ JournalingReportNdrTo: "<>" }),
  "Get-JournalRule": z.array(journalRuleSchema).default([]),
  "Get-DistributionGroup": z.array(distributionGroupSchema).default([]),
  "Get-DistributionGroupMember": z.record(z.string(), z.array(groupMemberSchema)).default({}),
});

export type OutboundConnector = z.output<typeof outboundConnectorSchema>;
export type TransportConfig = z.output<typeof transportConfigSchema>;
export type JournalRule = z.output<typeof journalRuleSchema>;
export type DistributionGroup = z.output<typeof distributionGroupSchema>;
export type GroupMember = z.output<typeof groupMemberSchema>;
export type ObservedState = z.output<typeof observedStateSchema>;
export type ObservedStateInput = z.input<typeof observedStateSchema>;

/** A tenant with nothing configured: what the CLI assumes without --observed. */
export function emptyTenant(): ObservedState {
  return observedStateSchema.parse({});
}
