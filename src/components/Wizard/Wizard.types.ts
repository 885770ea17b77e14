import type { ObservedState } from "../../core/observed/types";
import type { DesiredStateInput } from "../../core/desired/schema";
import type { StepId, StepState } from "../../services/backend/types";
import type { SetupDraft } from "../setup/draft";

export interface StepInfo {
  readonly id: StepId;
  readonly title: string;
}

export const STEPS: readonly StepInfo[] = [
  { id: "check", title: "Check" },
  { id: "address", title: "Service address" },
  { id: "where", title: "Where mail is processed" },
  { id: "ndr", title: "Undeliverable reports" },
  { id: "review", title: "Review" },
  { id: "apply", title: "Apply" },
  { id: "status", title: "Status" },
];

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
