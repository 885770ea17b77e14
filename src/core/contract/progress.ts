/**
 * The shared progress (GET/PUT /api/progress): the wizard's draft, which steps are done, and who
 * changed what. Everybody in the tenant reads it; saving needs a change role and the version read
 * (optimistic concurrency: a stale version answers 409 version_conflict).
 */

/** The wizard steps the pane records (the server accepts any step name of letters, digits and _ . -). */
export type StepId = "check" | "address" | "where" | "ndr" | "review" | "apply" | "status";

export const STEP_STATES = ["todo", "done"] as const;
export type StepState = (typeof STEP_STATES)[number];

/** Step name -> state: every step the pane knows may be absent; any name when the step names are not known. */
export type StepStates<Step extends string = string> = string extends Step
  ? Readonly<Record<string, StepState>>
  : Readonly<Partial<Record<Step, StepState>>>;

export interface ProgressHistoryEntry {
  readonly at: string;
  readonly by: string;
  readonly what: string;
}

export interface ProgressDocument<Draft = unknown, Step extends string = string> {
  /** The pane's draft as it saved it (null before the first save). */
  readonly draft: Draft | null;
  readonly steps: StepStates<Step>;
  /** 0 before the first save; send it back with the next PUT. */
  readonly version: number;
  readonly updatedBy: string | null;
  readonly updatedAt: string | null;
  /** The latest changes, oldest first. */
  readonly history: readonly ProgressHistoryEntry[];
}
