import { z } from "zod";

/** Get-JournalRule: one object per rule (only what the planner reads is typed; the rest round-trips). */
export const journalRuleSchema = z.looseObject({
  Identity: z.string().optional(),
  Name: z.string(),
  Recipient: z.string().nullable().default(null),
  JournalEmailAddress: z.string(),
  Scope: z.enum(["Global", "Internal", "External"]).default("Global"),
  Enabled: z.boolean().default(false),
});

export type JournalRule = z.output<typeof journalRuleSchema>;
