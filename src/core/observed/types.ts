import { z } from "zod";
import { distributionGroupSchema, groupMemberSchema } from "../resources/distributionGroup/schema";
import { journalRuleSchema } from "../resources/journalRule/schema";
import { outboundConnectorSchema } from "../resources/outboundConnector/schema";
import { transportConfigSchema } from "../resources/transportConfig/schema";

/**
 * The tenant as Exchange reports it: objects returned by the Get- cmdlets, with Exchange's
 * property names, keyed by cmdlet name. Each resource module owns the schema of what it reads
 * (src/core/resources/<resource>/schema.ts); this is their composition. Extra properties are kept
 * so a read round-trips.
 */
export const observedStateSchema = z.strictObject({
  "Get-OutboundConnector": z.array(outboundConnectorSchema).default([]),
  "Get-TransportConfig": transportConfigSchema.default({ JournalingReportNdrTo: "<>" }),
  "Get-JournalRule": z.array(journalRuleSchema).default([]),
  "Get-DistributionGroup": z.array(distributionGroupSchema).default([]),
  "Get-DistributionGroupMember": z.record(z.string(), z.array(groupMemberSchema)).default({}),
});

export {
  distributionGroupSchema,
  groupMemberSchema,
  journalRuleSchema,
  outboundConnectorSchema,
  transportConfigSchema,
};
export type { DistributionGroup, GroupMember } from "../resources/distributionGroup/schema";
export type { JournalRule } from "../resources/journalRule/schema";
export type { OutboundConnector } from "../resources/outboundConnector/schema";
export type { TransportConfig } from "../resources/transportConfig/schema";
export type ObservedState = z.output<typeof observedStateSchema>;
export type ObservedStateInput = z.input<typeof observedStateSchema>;

/** A tenant with nothing configured: what the CLI assumes without --observed. */
export function emptyTenant(): ObservedState {
  return observedStateSchema.parse({});
}
