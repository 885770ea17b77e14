import { z } from "zod";
import { STEP_STATES } from "./progress";

/**
 * The API's request bodies, as the server parses them (a failure answers 400 invalid_request with
 * these texts as field errors). Only the server imports this module: it carries zod, which stays
 * out of the pane's bundle; the pane may `import type` the inferred types.
 */

/** The desired state is passed through as is: the planner validates it (400 invalid_desired_state). */
const desiredField = z
  .unknown()
  .refine((v) => v !== undefined && v !== null, { error: "is required: the desired state" });

/** POST /api/plan */
export const planRequestSchema = z.strictObject({ desired: desiredField });
export type PlanRequest = z.infer<typeof planRequestSchema>;

/** POST /api/runs */
export const runRequestSchema = z.strictObject({
  desired: desiredField,
  planHash: z.string({ error: "is required: the planHash of the plan you reviewed" }).regex(/^[0-9a-f]{16}$/, {
    error: "must be the 16-hex-digit planHash returned by POST /api/plan",
  }),
});
export type RunRequest = z.infer<typeof runRequestSchema>;

/** POST /api/runs with `undoOf`: apply the undo plan of a finished run (GET /api/runs/{id}/undo). */
export const undoRunRequestSchema = z.strictObject({
  undoOf: z.uuid({ error: "must be the id of a finished run" }),
  planHash: z.string({ error: "is required: the planHash of the undo plan you reviewed" }).regex(/^[0-9a-f]{16}$/, {
    error: "must be the 16-hex-digit planHash returned by GET /api/runs/{id}/undo",
  }),
});
export type UndoRunRequest = z.infer<typeof undoRunRequestSchema>;

/** POST /api/connector/validate: every journaling host of the setup, or just `host`. The body may be absent. */
export const connectorValidateRequestSchema = z
  .strictObject({ host: z.string().min(1).max(253).optional() })
  .optional();
export type ConnectorValidateRequest = z.infer<typeof connectorValidateRequestSchema>;

/** PUT /api/progress: the draft (kept when absent), every step's state, and the version read. */
export const progressRequestSchema = z.strictObject({
  draft: z.unknown().optional(),
  steps: z.record(
    z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_.-]+$/, { error: "step names are letters, digits, _ . -" }),
    z.enum(STEP_STATES, { error: "must be todo or done" }),
  ),
  version: z.number({ error: "is required: the version you read" }).int().min(0),
});
export type ProgressRequest = z.infer<typeof progressRequestSchema>;

const emailAddress = z
  .string()
  .trim()
  .max(320)
  .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, { error: "must be an email address" });

/** POST /api/mailflow-tests (issue 15): an external recipient (default: the admin's own address) and, per region key, the member who sends. */
export const mailFlowTestRequestSchema = z.strictObject({
  recipient: emailAddress.optional(),
  senders: z.record(z.string().regex(/^[a-z0-9-]{1,40}$/, { error: "must be a region key" }), emailAddress).optional(),
});
export type MailFlowTestRequestBody = z.infer<typeof mailFlowTestRequestSchema>;
