import type { Run, RunAction, RunEvent } from "../../../services/backend/types";

const FINAL: ReadonlySet<RunAction["state"]> = new Set(["succeeded", "failed", "skipped"]);

/**
 * Applies one server event to the run the pane shows (the server's GET /api/runs/{id} stays the truth).
 * Monotonic on purpose: the server replays events the pane's snapshot may already include (first
 * connect, reconnect), so a replayed "started" must not send a finished action back to running.
 */
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
        if (FINAL.has(a.state)) return a;
        return { ...a, state: "running", attempts: Math.max(a.attempts, event.attempt ?? 1) };
      case "action-retried":
        if (FINAL.has(a.state)) return a;
        return {
          ...a,
          state: "running",
          attempts: event.attempt !== undefined ? Math.max(a.attempts, event.attempt) : a.attempts + 1,
          ...(event.error ? { error: event.error } : {}),
        };
      case "action-succeeded":
        return { ...a, state: "succeeded", attempts: Math.max(a.attempts, event.attempt ?? 0), error: undefined };
      case "action-failed":
        return {
          ...a,
          state: "failed",
          attempts: Math.max(a.attempts, event.attempt ?? 0),
          ...(event.error ? { error: event.error } : {}),
        };
      default:
        return a;
    }
  };
  return { ...run, actions: run.actions.map(update) };
}
