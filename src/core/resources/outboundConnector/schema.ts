import { z } from "zod";

/** Exchange prints a multi-valued property as an array, a single string or null. */
const multiValued = z
  .union([z.array(z.string()), z.string(), z.null()])
  .transform((v) => (v === null ? [] : Array.isArray(v) ? v : [v]));

/** Get-OutboundConnector: one object per connector (only what the planner reads is typed). */
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

export type OutboundConnector = z.output<typeof outboundConnectorSchema>;
