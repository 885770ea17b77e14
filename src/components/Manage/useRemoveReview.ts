import { useCallback, useMemo, useState } from "react";
import type { DesiredStateInput } from "../../core/desired/schema";
import type { PlanResponse } from "../../services/backend/types";
import { useLoad } from "../common/useLoad";
import { useServices } from "../services/ServicesContext";

export interface RemoveReviewModel {
  readonly plan: PlanResponse | null;
  readonly desired: DesiredStateInput;
  readonly loading: boolean;
  readonly error: unknown;
  readonly reload: () => void;
  readonly clearNdr: boolean;
  readonly setClearNdr: (on: boolean) => void;
  /** What the admin must type: the organisation's display name (as in the header). */
  readonly tenantName: string;
  readonly typed: string;
  readonly setTyped: (text: string) => void;
  readonly confirmed: boolean;
  readonly canRemove: boolean;
}

/** The typed name matches the organisation's name: case and surrounding spaces do not matter. */
export function confirmsName(typed: string, name: string): boolean {
  return name.trim() !== "" && typed.trim().toLowerCase() === name.trim().toLowerCase();
}

/** Plans the saved setup with `state: "removed"` (again when the NDR option changes) and gates Apply on the typed name. */
export function useRemoveReview(saved: DesiredStateInput): RemoveReviewModel {
  const { backend, session } = useServices();
  const [clearNdr, setClearNdr] = useState(false);
  const [typed, setTyped] = useState("");
  const desired = useMemo<DesiredStateInput>(
    () => ({ ...saved, state: "removed", clearNdrAddress: clearNdr }),
    [saved, clearNdr],
  );
  const read = useCallback(() => backend.plan(desired), [backend, desired]);
  const { value, loading, error, reload } = useLoad<PlanResponse>(read);
  // A plan for the previous option is not the one to apply: hide it while the new one loads.
  const plan = loading ? null : value;
  const confirmed = confirmsName(typed, session.tenant.name);
  return {
    plan,
    desired,
    loading,
    error,
    reload,
    clearNdr,
    setClearNdr,
    tenantName: session.tenant.name,
    typed,
    setTyped,
    confirmed,
    canRemove: session.canChange && confirmed && plan !== null && plan.plan.actions.length > 0,
  };
}
