/**
 * The shared progress (GET/PUT /api/progress): the wizard's draft, which steps are done, and who
 * changed what. Everybody in the tenant reads it; saving needs a change role and the version read
 * (optimistic concurrency: a stale version answers 409 version_conflict).
 */

/** The wizard steps the pane records (the server accepts any step name of letters, digits and _ . -). */
export type StepId = "check" | "address" | "where" | "ndr" | "review" | "apply" | "status";

/** The wizard's steps in order with their titles: the pane shows them, the shared history names them. */
export const SETUP_STEPS: readonly { readonly id: StepId; readonly title: string }[] = [
  { id: "check", title: "Check" },
  { id: "address", title: "Service address" },
  { id: "where", title: "Where mail is processed" },
  { id: "ndr", title: "Undeliverable reports" },
  { id: "review", title: "Review" },
  { id: "apply", title: "Apply" },
  { id: "status", title: "Status" },
];

export const STEP_STATES = ["todo", "done"] as const;
export type StepState = (typeof STEP_STATES)[number];

/** Step name -> state: every step the pane knows may be absent; any name when the step names are not known. */
export type StepStates<Step extends string = string> = string extends Step
  ? Readonly<Record<string, StepState>>
  : Readonly<Partial<Record<Step, StepState>>>;

export interface ProgressHistoryEntry {
  readonly at: string;
  readonly by: string;
  /** In an admin's words: "Chose the regions: …; finished step 3 Where mail is processed". */
  readonly what: string;
  /**
   * Set while the entry is an edit of the draft only: the parts of the draft it changed. The next
   * save by the same person within minutes folds into this entry instead of adding one.
   */
  readonly edited?: readonly string[];
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
