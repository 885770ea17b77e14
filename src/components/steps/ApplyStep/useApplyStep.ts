import { useCallback, useEffect, useRef, useState } from "react";
import type { Run } from "../../../services/backend/types";
import { PaneError } from "../../../services/errors";
import { useServices } from "../../services/ServicesContext";
import type { ApplyModel, ApplyStepProps } from "./ApplyStep.types";
import { followRun, type StreamCursor } from "./followRun";

export { applyRunEvent } from "./applyRunEvent";

/** setTimeout that also ends when the step unmounts or resumes (so nothing waits on a dead run). */
function abortableWait(signal: AbortSignal): (ms: number) => Promise<void> {
  return (ms) =>
    new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
    });
}

export function useApplyStep({ pending, runId, onAttach, onApplied }: ApplyStepProps): ApplyModel {
  const { backend } = useServices();
  const [run, setRunState] = useState<Run | null>(null);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<unknown>(null);
  const [followError, setFollowError] = useState<unknown>(null);
  const [reconnecting, setReconnecting] = useState(false);
  const [idle, setIdle] = useState(false);
  const [resumes, setResumes] = useState(0);
  const started = useRef<PendingApply | null>(null);
  // Survives "Try again" (a new follow) so it resumes after the last event instead of replaying it.
  const cursor = useRef<{ runId: string | null } & StreamCursor>({ runId: null });

  // Start the reviewed plan once (a re-render must never start a second run).
  useEffect(() => {
    if (runId || !pending || started.current === pending) return;
    started.current = pending;
    setStarting(true);
    setStartError(null);
    backend
      .startRun(pending.desired, pending.planHash)
      .then(({ runId: id }) => onAttach(id))
      .catch(async (err: unknown) => {
        if (err instanceof PaneError && err.code === "run_in_progress") {
          const active = await backend.activeRun().catch(() => null);
          if (active) {
            onAttach(active.id);
            return;
          }
        }
        setStartError(err);
      })
      .finally(() => setStarting(false));
  }, [backend, pending, runId, onAttach]);

  // Nothing to start and nothing to follow: look for a run a colleague started.
  useEffect(() => {
    if (runId || pending) return;
    let current = true;
    backend
      .activeRun()
      .then((active) => {
        if (!current) return;
        if (active) onAttach(active.id);
        else setIdle(true);
      })
      .catch((err: unknown) => current && setStartError(err));
    return () => {
      current = false;
    };
  }, [backend, runId, pending, onAttach]);

  useEffect(() => {
    if (!runId) return;
    if (cursor.current.runId !== runId) cursor.current = { runId };
    const controller = new AbortController();
    setIdle(false);
    setFollowError(null);
    followRun({
      backend,
      runId,
      cursor: cursor.current,
      signal: controller.signal,
      onRun: setRunState,
      onReconnecting: setReconnecting,
      wait: abortableWait(controller.signal),
      now: () => Date.now(),
    }).catch((err: unknown) => {
      if (controller.signal.aborted) return;
      setReconnecting(false);
      setFollowError(err);
    });
    return () => controller.abort();
  }, [backend, runId, resumes]);

  const resume = useCallback(() => setResumes((n) => n + 1), []);

  // A finished run is recorded at once (apply done), not only when the admin chooses See status.
  const succeededRun = run?.state === "succeeded" ? run.id : null;
  const reported = useRef<string | null>(null);
  useEffect(() => {
    if (succeededRun === null || reported.current === succeededRun) return;
    reported.current = succeededRun;
    onApplied?.();
  }, [succeededRun, onApplied]);

  return {
    run,
    starting,
    error: followError ?? startError,
    reconnecting,
    idle,
    resume: followError ? resume : null,
  };
}

type PendingApply = NonNullable<ApplyStepProps["pending"]>;
