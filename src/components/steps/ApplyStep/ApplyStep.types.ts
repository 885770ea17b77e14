import type { Run } from "../../../services/backend/types";
import type { PendingApply } from "../../Wizard/Wizard.types";

export interface ApplyStepProps {
  /** A reviewed plan to start (null when reattaching or when nothing is pending). */
  readonly pending: PendingApply | null;
  /** A run to follow (reattaching after the pane was reopened). */
  readonly runId: string | null;
  readonly onAttach: (runId: string) => void;
  readonly onFinished: (succeeded: boolean) => void;
  /** Called once when the run is seen to have succeeded (before the admin moves on), so Status opens up. */
  readonly onApplied?: () => void;
  readonly onReview: () => void;
  /** The title once the run succeeded (default "Journaling is set up"); with it, no "What next" follows. */
  readonly doneTitle?: string;
}

export interface ApplyModel {
  readonly run: Run | null;
  readonly starting: boolean;
  readonly error: unknown;
  /** Set while the live connection is being re-established. */
  readonly reconnecting: boolean;
  readonly idle: boolean;
  /** Set when following the run gave up (a long outage): starts following again, resuming after the last event. */
  readonly resume: (() => void) | null;
}
