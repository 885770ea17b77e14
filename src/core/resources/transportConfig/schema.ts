import { z } from "zod";

/** Get-TransportConfig: the organization's one transport configuration (only what the planner reads is typed). */
export const transportConfigSchema = z.looseObject({
  JournalingReportNdrTo: z.string().nullable().default("<>"),
});

export type TransportConfig = z.output<typeof transportConfigSchema>;
