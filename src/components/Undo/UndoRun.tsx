import { Badge, Button } from "@fluentui/react-components";
import type React from "react";
import { describeAction, type ActionPhase } from "../../core/plan/describeAction";
import type { RunAction } from "../../services/backend/types";
import { ErrorMessage } from "../common/ErrorMessage";
import { useReviewStepStyles } from "../steps/ReviewStep/useReviewStepStyles.styles";
import { useUndoRun } from "./useUndoRun";

const PHASE: Record<RunAction["state"], { badge: string; phase: ActionPhase }> = {
  pending: { badge: "Waiting", phase: "planned" },
  running: { badge: "Running", phase: "running" },
  succeeded: { badge: "Done", phase: "done" },
  failed: { badge: "Failed", phase: "failed" },
  skipped: { badge: "Not run", phase: "notRun" },
};

/**
 * "Undo this run" for a finished run: the undo plan for review like every plan (each step in words,
 * what stays and why, the PowerShell, the plan hash), then applied with live progress. Readers may
 * look but not apply.
 */
export function UndoRun({
  runId,
  onFinished,
  label = "Undo this run",
}: {
  runId: string;
  onFinished?: () => void;
  /** The section's accessible name, distinct per run where several are on one page. */
  label?: string;
}): React.JSX.Element {
  const m = useUndoRun(runId, onFinished);
  const styles = useReviewStepStyles();
  if (!m.canReview) return <></>;
  return (
    <section aria-label={label}>
      {m.error ? <ErrorMessage error={m.error} /> : null}
      {m.phase === "idle" || m.phase === "loading" ? (
        <>
          <Button onClick={m.review} disabled={m.phase === "loading"}>
            Undo this run
          </Button>
          {m.canChange ? null : <p>Only an admin can apply an undo; you can review what it would do.</p>}
        </>
      ) : null}
      {m.phase === "review" && m.plan ? (
        <>
          <h3>Undo: review</h3>
          {m.plan.plan.actions.length === 0 ? (
            <p>Nothing to undo: everything this run changed is already as it was before.</p>
          ) : (
            <ol aria-label="Undo plan">
              {m.plan.plan.actions.map((a) => (
                <li key={a.id}>
                  {describeAction(a, "planned")}. <span>{a.reason}</span>
                </li>
              ))}
            </ol>
          )}
          {m.plan.plan.warnings.length > 0 ? (
            <ul aria-label="What the undo keeps">
              {m.plan.plan.warnings.map((w, i) => (
                <li key={i}>{w.message}</li>
              ))}
            </ul>
          ) : null}
          <details>
            <summary>PowerShell (plan {m.plan.planHash})</summary>
            <pre className={styles.script} tabIndex={0} aria-label="Undo PowerShell script">
              {m.plan.script}
            </pre>
          </details>
          <Button appearance="primary" disabled={!m.canChange || m.plan.plan.actions.length === 0} onClick={m.apply}>
            Apply the undo
          </Button>{" "}
          <Button onClick={m.cancel}>Cancel</Button>
        </>
      ) : null}
      {(m.phase === "applying" || m.phase === "finished") && m.run ? (
        <>
          <h3>Undo: {m.run.state === "running" ? "applying" : m.run.state === "succeeded" ? "done" : "failed"}</h3>
          <ol aria-label="Undo progress">
            {m.run.actions.map((a) => (
              <li key={a.id}>
                <Badge appearance="tint">{PHASE[a.state].badge}</Badge>{" "}
                {describeAction(a, a.state === "skipped" && !a.error ? "done" : PHASE[a.state].phase)}
                {a.error ? ` (${a.error.message})` : ""}
              </li>
            ))}
          </ol>
          <p role="status">
            {m.run.state === "succeeded"
              ? "The run is undone."
              : m.run.state === "failed"
                ? "The undo did not finish; see the failed step."
                : ""}
          </p>
        </>
      ) : null}
    </section>
  );
}
