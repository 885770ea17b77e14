import { useCallback, useEffect, useRef, useState } from "react";
import type { Run, UndoPlanResponse } from "../../services/backend/types";
import { useServices } from "../services/ServicesContext";
import { followRun, type StreamCursor } from "../steps/ApplyStep/followRun";

export type UndoPhase = "idle" | "loading" | "review" | "applying" | "finished";

export interface UndoModel {
  readonly phase: UndoPhase;
  readonly canChange: boolean;
  /** Readers and admins may review an undo; anyone else would only meet the API's 403. */
  readonly canReview: boolean;
  readonly plan: UndoPlanResponse | null;
  readonly run: Run | null;
  readonly error: unknown;
  readonly review: () => void;
  readonly apply: () => void;
  readonly cancel: () => void;
}

/**
 * Undo of one finished run: load its undo plan for review (GET /api/runs/{id}/undo), apply it
 * (POST /api/runs {undoOf, planHash}) and follow the undo run live, as the Apply step follows a run.
 */
export function useUndoRun(runId: string, onFinished?: () => void): UndoModel {
  const { backend, session } = useServices();
  const [phase, setPhase] = useState<UndoPhase>("idle");
  const [plan, setPlan] = useState<UndoPlanResponse | null>(null);
  const [run, setRun] = useState<Run | null>(null);
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const review = useCallback(() => {
    setError(null);
    setPhase("loading");
    backend
      .undoPlan(runId)
      .then((p) => {
        setPlan(p);
        setPhase("review");
      })
      .catch((err: unknown) => {
        setError(err);
        setPhase("idle");
      });
  }, [backend, runId]);

  const apply = useCallback(() => {
    if (!plan) return;
    setError(null);
    setPhase("applying");
    const controller = new AbortController();
    abort.current = controller;
    const cursor: StreamCursor = {};
    backend
      .startUndo(runId, plan.planHash)
      .then(({ runId: undoRunId }) =>
        followRun({
          backend,
          runId: undoRunId,
          cursor,
          signal: controller.signal,
          onRun: (update) => setRun((r) => update(r)),
          onReconnecting: () => undefined,
          wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
          now: () => Date.now(),
        }),
      )
      .then((finished) => {
        if (!finished) return;
        setPhase("finished");
        onFinished?.();
      })
      .catch((err: unknown) => {
        setError(err);
        // A refused start (plan changed, run in progress) goes back to the review with the reason.
        setPhase((p) => (p === "applying" && run === null ? "review" : "finished"));
      });
  }, [backend, runId, plan, onFinished, run]);

  const cancel = useCallback(() => {
    setPhase("idle");
    setPlan(null);
    setError(null);
  }, []);

  const canReview = session.canChange || session.access.kind === "entraReader";
  return { phase, canChange: session.canChange, canReview, plan, run, error, review, apply, cancel };
}
