import { useCallback, useEffect, useMemo, useState } from "react";
import type { DesiredStateInput } from "../../core/desired/schema";
import type { StatusResponse } from "../../services/backend/types";
import { useLoad } from "../common/useLoad";
import { normalizeDraft, toDesiredState, type SetupDraft } from "../setup/draft";
import { useServices } from "../services/ServicesContext";
import type { PendingApply } from "../Wizard/Wizard.types";
import type { ManageMode, ManageModel, ManageProps, SetupPhase } from "./Manage.types";

interface Loaded {
  readonly status: StatusResponse;
  readonly draft: SetupDraft;
  /** What the tenant was last set up from, when it was applied through the product. */
  readonly applied: DesiredStateInput | null;
}

/**
 * A setup "exists" once the tenant has one of its journal rules (on or paused) or it was removed:
 * a draft that was never applied has nothing to pause or remove.
 */
export function setupExists(status: StatusResponse): boolean {
  if (!status.hasSetup) return false;
  if (status.setupState === "paused" || status.setupState === "removed") return true;
  return status.resources.some((r) => r.kind === "journalRule" && r.state !== "missing");
}

/** The Manage area's state: the tenant's status and saved setup, and which view (overview, review, run) is open. */
export function useManage({ onBusyChange, onChanged }: ManageProps): ManageModel {
  const { backend, profile, session } = useServices();
  const read = useCallback(
    () =>
      Promise.all([backend.status(), backend.getProgress<SetupDraft>(), backend.appliedSetup()]).then(
        ([status, doc, applied]): Loaded => ({
          status,
          draft: normalizeDraft(doc.draft),
          // The backend validated it when it ran; the planner validates it again on review.
          applied: (applied.desired as DesiredStateInput | null) ?? null,
        }),
      ),
    [backend],
  );
  const { value, loading, error, reload } = useLoad(read);
  const [mode, setModeState] = useState<ManageMode>({ kind: "overview" });

  const setMode = useCallback(
    (next: ManageMode) => {
      setModeState(next);
      onBusyChange?.(next.kind !== "overview");
    },
    [onBusyChange],
  );
  // Unmounted mid-review: the page shows its wizard again.
  useEffect(() => () => onBusyChange?.(false), [onBusyChange]);

  // The setup last applied is what the tenant was set up from (the shared draft may hold a colleague's
  // unapplied edits); only `state` changes. A tenant set up before the product kept runs: the draft.
  const saved = useMemo<DesiredStateInput | null>(
    () => (value ? (value.applied ?? toDesiredState(value.draft, profile)) : null),
    [value, profile],
  );
  const status = value?.status ?? null;
  const phase: SetupPhase = status?.setupState ?? "active";

  // The run succeeded: read the state again here, and let the page refresh what it shows.
  const applied = useCallback(() => {
    reload();
    onChanged?.();
  }, [reload, onChanged]);

  const review = (action: "pause" | "resume"): void => {
    if (!saved) return;
    setMode({ kind: "review", action, desired: { ...saved, state: action === "pause" ? "paused" : "active" } });
  };

  return {
    loading,
    error,
    status,
    exists: status !== null && setupExists(status),
    phase,
    canChange: session.canChange,
    mode,
    saved,
    pause: () => review("pause"),
    resume: () => review("resume"),
    remove: () => setMode({ kind: "remove" }),
    startApply: (pending: PendingApply, title: string) => setMode({ kind: "apply", pending, runId: null, title }),
    attachRun: useCallback(
      (runId: string) => setModeState((m) => (m.kind === "apply" ? { ...m, pending: null, runId } : m)),
      [],
    ),
    // "See status": back to the overview (the tenant was read again when the run succeeded).
    finish: () => setMode({ kind: "overview" }),
    applied,
    backToOverview: () => setMode({ kind: "overview" }),
    reload,
  };
}
