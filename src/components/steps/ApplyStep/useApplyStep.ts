import { useEffect, useRef, useState } from "react";
import type { BackendApi, Run, RunAction, RunEvent } from "../../../services/backend/types";
import { PaneError } from "../../../services/errors";
import { useServices } from "../../services/ServicesContext";
import type { ApplyModel, ApplyStepProps } from "./ApplyStep.types";

const MAX_RECONNECTS = 5;
const RECONNECT_DELAY_MS = 1000;

/** Applies one server event to the run the pane shows (the server's GET /api/runs/{id} stays the truth). */
export function applyRunEvent(run: Run, event: RunEvent): Run {
  if (event.type === "run-finished")
    return {
      ...run,
      state: event.state ?? (run.actions.some((a) => a.state === "failed") ? "failed" : "succeeded"),
      finishedAt: event.at,
    };
  const update = (a: RunAction): RunAction => {
    if (a.id !== event.actionId) return a;
    switch (event.type) {
      case "action-started":
        return { ...a, state: "running", attempts: event.attempt ?? Math.max(a.attempts, 1) };
      case "action-retried":
        return {
          ...a,
          state: "running",
          attempts: event.attempt ?? a.attempts + 1,
          ...(event.error ? { error: event.error } : {}),
        };
      case "action-succeeded":
        return { ...a, state: "succeeded", attempts: event.attempt ?? a.attempts, error: undefined };
      case "action-failed":
        return {
          ...a,
          state: "failed",
          attempts: event.attempt ?? a.attempts,
          ...(event.error ? { error: event.error } : {}),
        };
      default:
        return a;
    }
  };
  return { ...run, actions: run.actions.map(update) };
}

async function follow(
  backend: BackendApi,
  runId: string,
  setRun: (update: (r: Run | null) => Run | null) => void,
  setReconnecting: (on: boolean) => void,
  signal: AbortSignal,
  wait: (ms: number) => Promise<void>,
): Promise<Run> {
  let latest = await backend.getRun(runId);
  setRun(() => latest);
  for (let attempt = 0; latest.state === "running" && !signal.aborted; attempt++) {
    try {
      await backend.runEvents(runId, (e) => setRun((r) => (r ? applyRunEvent(r, e) : r)), signal);
    } catch (err) {
      if (attempt >= MAX_RECONNECTS) throw err;
    }
    if (signal.aborted) break;
    // The stream ended (finished, or the connection dropped): the server's record says which.
    latest = await backend.getRun(runId);
    setRun(() => latest);
    if (latest.state === "running") {
      if (attempt >= MAX_RECONNECTS) throw new PaneError("stream_interrupted", "lost the live connection to the run");
      setReconnecting(true);
      await wait(RECONNECT_DELAY_MS);
      setReconnecting(false);
    }
  }
  return latest;
}

export function useApplyStep({ pending, runId, onAttach }: ApplyStepProps): ApplyModel {
  const { backend } = useServices();
  const [run, setRunState] = useState<Run | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [reconnecting, setReconnecting] = useState(false);
  const [idle, setIdle] = useState(false);
  const started = useRef<PendingApply | null>(null);

  // Start the reviewed plan once (a re-render must never start a second run).
  useEffect(() => {
    if (runId || !pending || started.current === pending) return;
    started.current = pending;
    setStarting(true);
    setError(null);
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
        setError(err);
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
      .catch((err: unknown) => current && setError(err));
    return () => {
      current = false;
    };
  }, [backend, runId, pending, onAttach]);

  useEffect(() => {
    if (!runId) return;
    const controller = new AbortController();
    setIdle(false);
    const setRun = (update: (r: Run | null) => Run | null): void => setRunState(update);
    follow(
      backend,
      runId,
      setRun,
      setReconnecting,
      controller.signal,
      (ms) => new Promise((r) => setTimeout(r, ms)),
    ).catch((err: unknown) => {
      if (!controller.signal.aborted) setError(err);
    });
    return () => controller.abort();
  }, [backend, runId]);

  return { run, starting, error, reconnecting, idle };
}

type PendingApply = NonNullable<ApplyStepProps["pending"]>;
