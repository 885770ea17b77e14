import type { DesiredStateInput } from "../../core/desired/schema";
import type { StatusResponse } from "../../services/backend/types";
import type { PendingApply } from "../Wizard/Wizard.types";

export interface ManageProps {
  /** "Change regions or members": the wizard, prefilled from the saved setup, at its regions step. */
  readonly onChangeSetup?: () => void;
  /** A review or a run is open (the page hides the wizard meanwhile), or closed again. */
  readonly onBusyChange?: (busy: boolean) => void;
  /** A pause, resume or removal finished: whatever shows the tenant reads it again. */
  readonly onChanged?: () => void;
}

/** What the Manage area shows: the overview with its buttons, a plan under review, or a run. */
export type ManageMode =
  | { readonly kind: "overview" }
  | { readonly kind: "review"; readonly action: "pause" | "resume"; readonly desired: DesiredStateInput }
  | { readonly kind: "remove" }
  | {
      readonly kind: "apply";
      readonly pending: PendingApply | null;
      readonly runId: string | null;
      readonly title: string;
    };

/** Where the setup stands, as the Manage area tells it. */
export type SetupPhase = "active" | "paused" | "removed";

export interface ManageModel {
  readonly loading: boolean;
  readonly error: unknown;
  readonly status: StatusResponse | null;
  /** True once the tenant has the setup (its journal rules, paused or not) or the setup was removed. */
  readonly exists: boolean;
  readonly phase: SetupPhase;
  readonly canChange: boolean;
  readonly mode: ManageMode;
  /** The saved setup as a desired state (from the shared progress), null until it is loaded. */
  readonly saved: DesiredStateInput | null;
  readonly pause: () => void;
  readonly resume: () => void;
  readonly remove: () => void;
  readonly startApply: (pending: PendingApply, title: string) => void;
  readonly attachRun: (runId: string) => void;
  readonly finish: (succeeded: boolean) => void;
  /** The run succeeded (ApplyStep's onApplied). */
  readonly applied: () => void;
  readonly backToOverview: () => void;
  readonly reload: () => void;
}
