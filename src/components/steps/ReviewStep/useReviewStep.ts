import { useCallback, useEffect, useMemo, useState } from "react";
import type { DesiredStateInput } from "../../../core/desired/schema";
import type { PlanResponse, StepId } from "../../../services/backend/types";
import { PaneError } from "../../../services/errors";
import { useLoad } from "../../common/useLoad";
import { toDesiredState } from "../../setup/draft";
import { useServices } from "../../services/ServicesContext";
import type { ReviewStepProps, ReviewView } from "./ReviewStep.types";

/** Which step owns a field of the desired state (to send the admin back to fix it). */
export function stepForPath(path: string): StepId {
  if (path.startsWith("customer")) return "address";
  if (path.startsWith("ndrMailbox")) return "ndr";
  if (path.startsWith("journaling")) return "where";
  return "review";
}

export interface ReviewModel {
  readonly desired: DesiredStateInput;
  readonly plan: PlanResponse | null;
  readonly loading: boolean;
  readonly error: unknown;
  readonly view: ReviewView;
  readonly copied: boolean;
  readonly copyError: unknown;
  readonly canChange: boolean;
  readonly setView: (view: ReviewView) => void;
  readonly reload: () => void;
  readonly copy: () => void;
  /** A .ps1 file for the script, as an object URL (revoked on unmount). */
  readonly downloadUrl: string | null;
}

export function useReviewStep({ draft, desired: given }: ReviewStepProps): ReviewModel {
  const { backend, host, profile, session } = useServices();
  const desired = useMemo(() => given ?? toDesiredState(draft, profile), [given, draft, profile]);
  const read = useCallback(() => backend.plan(desired), [backend, desired]);
  const { value: plan, loading, error, reload } = useLoad<PlanResponse>(read);
  const [view, setView] = useState<ReviewView>("steps");
  const [copied, setCopied] = useState(false);
  const [copyError, setCopyError] = useState<unknown>(null);

  const downloadUrl = useMemo(
    () =>
      plan && typeof URL.createObjectURL === "function"
        ? URL.createObjectURL(new Blob([plan.script], { type: "text/plain" }))
        : null,
    [plan],
  );
  useEffect(() => () => void (downloadUrl && URL.revokeObjectURL(downloadUrl)), [downloadUrl]);

  const copy = useCallback(() => {
    if (!plan) return;
    host
      .copyText(plan.script)
      .then(() => {
        setCopied(true);
        setCopyError(null);
      })
      .catch(() => setCopyError(new PaneError("clipboard_unavailable", "clipboard write refused")));
  }, [host, plan]);

  return {
    desired,
    plan,
    loading,
    error,
    view,
    copied,
    copyError,
    canChange: session.canChange,
    setView,
    reload,
    copy,
    downloadUrl,
  };
}
