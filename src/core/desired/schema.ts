import { z } from "zod";
import { MAX_NAME } from "./limits";
import { isValidLocalPart, isValidSmtpAddress } from "./smtp";

export { MAX_NAME };

const smtpAddress = z
  .string({ error: "must be a string holding an email address" })
  .trim()
  .refine(isValidSmtpAddress, { error: (i) => `${JSON.stringify(i.input)} is not a valid SMTP address` });

const objectName = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(MAX_NAME, { error: `must be at most ${MAX_NAME} characters (Exchange's limit)` })
  // eslint-disable-next-line no-control-regex
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), { error: "must not contain control characters or line breaks" });

export const groupSchema = z.strictObject({
  name: objectName,
  address: smtpAddress,
  /** When given, the list's membership is made exactly this; when absent, members are left alone. */
  members: z.array(smtpAddress).max(10000, { error: "at most 10000 members (Exchange's limit)" }).optional(),
});

export const regionEntrySchema = z.strictObject({
  region: z.string({ error: "must be a region id" }),
  group: groupSchema,
});

export const desiredStateSchema = z.strictObject({
  version: z.literal(1, { error: "must be 1 (the only version of this format)" }),
  profile: z.string({ error: 'must name a vendor profile, e.g. "area1"' }),
  customer: z
    .string({ error: "must be a string" })
    .trim()
    .refine(isValidLocalPart, {
      error: (i) =>
        `${JSON.stringify(i.input)} is not a valid mailbox local part (letters, digits and !#$%&'*+/=?^_\`{|}~- separated by single dots, at most 64 characters)`,
    }),
  ndrMailbox: smtpAddress,
  connector: z.enum(["auto", "always", "never"], { error: "must be one of auto, always, never" }).default("auto"),
  /**
   * The setup's lifecycle: "active" builds and keeps it (a saved setup without `state` is active),
   * "paused" disables its journal rules and touches nothing else, "removed" takes it out of the tenant.
   */
  state: z.enum(["active", "paused", "removed"], { error: "must be one of active, paused, removed" }).default("active"),
  /**
   * With state "removed": also remove the distribution lists the setup created. The product cannot
   * (Remove-DistributionGroup is not among the cmdlets it may run), so validation refuses `true`.
   */
  removeLists: z.boolean({ error: "must be true or false" }).default(false),
  /** With state "removed": clear the undeliverable-reports address when no other journal rule remains. */
  clearNdrAddress: z.boolean({ error: "must be true or false" }).default(false),
  journaling: z.union(
    [
      z.strictObject({ everyone: z.strictObject({ region: z.string({ error: "must be a region id" }) }) }),
      z.strictObject({
        regions: z.array(regionEntrySchema).min(1, { error: "must list at least one region" }),
      }),
    ],
    { error: 'must be either { "everyone": { "region": … } } or { "regions": [ … ] }' },
  ),
});

export type DesiredStateInput = z.input<typeof desiredStateSchema>;
export type DesiredState = z.output<typeof desiredStateSchema>;
export type DesiredGroup = z.output<typeof groupSchema>;
export type ConnectorMode = DesiredState["connector"];
export type SetupState = DesiredState["state"];
