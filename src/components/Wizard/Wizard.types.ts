import { SETUP_STEPS } from "../../core/contract/progress";
import type { ObservedState } from "../../core/observed/types";
import type { DesiredStateInput } from "../../core/desired/schema";
import type { StepId, StepState } from "../../services/backend/types";
import type { SetupDraft } from "../setup/draft";

export interface StepInfo {
  readonly id: StepId;
  readonly title: string;
}

/** The steps in order (their titles are in the contract: the shared history names them too). */
export const STEPS: readonly StepInfo[] = SETUP_STEPS;

/** The tenant as the backend read it, parsed by the core. */
export interface TenantSnapshot {
  readonly observed: ObservedState | null;
  readonly readAt: string | null;
  readonly loading: boolean;
  readonly error: unknown;
  readonly reload: () => void;
}

/** What every data-entry step gets. */
export interface StepProps {
  readonly draft: SetupDraft;
  readonly update: (patch: Partial<SetupDraft>) => void;
  readonly tenant: TenantSnapshot;
  /** Show every validation message (after Next was pressed with problems). */
  readonly showErrors: boolean;
  /** The tenant's mail domain (from the signed-in user), for suggested addresses. */
  readonly domain: string;
}

/** A reviewed plan waiting to be applied. */
export interface PendingApply {
  readonly desired: DesiredStateInput;
  readonly planHash: string;
}

export type StepStates = Partial<Record<StepId, StepState>>;
