import { z } from "zod";

/** Get-DistributionGroup: one object per list. */
export const distributionGroupSchema = z.looseObject({
  Identity: z.string().optional(),
  Name: z.string(),
  DisplayName: z.string().optional(),
  PrimarySmtpAddress: z.string(),
  RecipientTypeDetails: z.string().default("MailUniversalDistributionGroup"),
});

/** Get-DistributionGroupMember: one object per member of one list. */
export const groupMemberSchema = z.looseObject({
  Name: z.string().optional(),
  PrimarySmtpAddress: z.string(),
  RecipientType: z.string().optional(),
});

export type DistributionGroup = z.output<typeof distributionGroupSchema>;
export type GroupMember = z.output<typeof groupMemberSchema>;
