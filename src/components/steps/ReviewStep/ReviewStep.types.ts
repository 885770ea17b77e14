import type { DesiredStateInput } from "../../../core/desired/schema";
import type { StepId } from "../../../services/backend/types";
import type { SetupDraft } from "../../setup/draft";
import type { PendingApply } from "../../Wizard/Wizard.types";

export interface ReviewStepProps {
  readonly draft: SetupDraft;
  readonly onApply: (pending: PendingApply) => void;
  readonly onBack: () => void;
  readonly onGoTo: (step: StepId) => void;
  /** Plan this desired state instead of the draft's (Manage: the saved setup paused or resumed). */
  readonly desired?: DesiredStateInput;
}

export type ReviewView = "steps" | "powershell";
