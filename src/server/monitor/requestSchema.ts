import { z } from "zod";
import { isValidSmtpAddress } from "../../core/desired/smtp";
import { MONITOR_INTERVAL_MAX, MONITOR_INTERVAL_MIN } from "../../core/contract/monitor";

/** PUT /api/monitor (server only: zod). A failure answers 400 invalid_request with these texts per field. */
export const monitorSettingsRequestSchema = z.strictObject({
  watching: z.boolean({ error: "is required: true to keep watching, false to stop" }),
  intervalMinutes: z
    .number({ error: "must be a number of minutes" })
    .int({ error: "must be a whole number of minutes" })
    .min(MONITOR_INTERVAL_MIN, { error: `must be at least ${MONITOR_INTERVAL_MIN} minute` })
    .max(MONITOR_INTERVAL_MAX, { error: `must be at most ${MONITOR_INTERVAL_MAX} minutes (a day)` })
    .optional(),
  recipients: z
    .array(z.string().refine(isValidSmtpAddress, { error: "must be a user principal name such as admin@contoso.com" }))
    .max(25, { error: "at most 25 people (use a channel for a team)" })
    .optional(),
  channel: z
    .strictObject({
      teamId: z.string().regex(/^[0-9a-f-]{36}$/i, { error: "must be the team's id (a GUID)" }),
      channelId: z
        .string()
        .min(1)
        .max(200)
        .regex(/^[^/?#\s]+$/, { error: "must be the channel's id" }),
    })
    .nullable()
    .optional(),
});
export type MonitorSettingsRequestBody = z.infer<typeof monitorSettingsRequestSchema>;
