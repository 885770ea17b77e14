import {
  Badge,
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
} from "@fluentui/react-components";
import type React from "react";
import { describeAction, type ActionPhase } from "../../../core/plan/describeAction";
import type { RunAction } from "../../../services/backend/types";
import { ErrorMessage } from "../../common/ErrorMessage";
import { StepSkeleton } from "../../common/StepSkeleton";
import { describeActionError } from "../../errors/describeError";
import { useStepStyles } from "../useStepStyles.styles";
import { WhatNext } from "../WhatNext/WhatNext";
import type { ApplyStepProps } from "./ApplyStep.types";
import { useApplyStep } from "./useApplyStep";
import { useApplyStepStyles } from "./useApplyStepStyles.styles";

type BadgeColor = "informative" | "brand" | "success" | "danger" | "subtle" | "warning";

/** How a run's action is shown: its badge and the tense of its sentence (describeAction). */
function presentAction(a: RunAction): { badge: string; color: BadgeColor; phase: ActionPhase } {
  switch (a.state) {
    case "pending":
      return { badge: "Waiting", color: "subtle", phase: "planned" };
    case "running":
      return { badge: "Running", color: "brand", phase: "running" };
    case "succeeded":
      return { badge: "Done", color: "success", phase: "done" };
    case "failed":
      return { badge: "Failed", color: "danger", phase: "failed" };
    case "skipped":
      // Skipped without an error: the re-read after a restart found the change already in place.
      return a.error
        ? { badge: "Not run", color: "warning", phase: "notRun" }
        : { badge: "Done", color: "success", phase: "done" };
  }
}

/** Step 6: each change as it happens (retries visible), and what to do if one fails. */
export default function ApplyStep(props: ApplyStepProps): React.JSX.Element {
  const m = useApplyStep(props);
  const styles = useApplyStepStyles();
  const step = useStepStyles();

  const retry = m.resume ? { onRetry: m.resume } : {};
  if (m.error && !m.run) {
    return (
      <div className={step.stack}>
        <ErrorMessage error={m.error} {...retry} />
        <div className={styles.footer}>
          <Button appearance="primary" onClick={props.onReview}>
            Review the plan again
          </Button>
        </div>
      </div>
    );
  }
  if (m.idle) {
    return (
      <div className={step.stack}>
        <p>Nothing is being applied right now. Review the plan, then choose Apply.</p>
        <div className={styles.footer}>
          <Button appearance="primary" onClick={props.onReview}>
            Go to Review
          </Button>
        </div>
      </div>
    );
  }
  if (!m.run)
    return (
      <div className={step.stack}>
        <div role="status" aria-live="polite" className={step.note}>
          {m.reconnecting ? "Reconnecting…" : ""}
        </div>
        <StepSkeleton label={m.starting ? "Starting the changes" : "Connecting to the run"} rows={5} />
      </div>
    );

  const { run } = m;
  const finished = run.actions.filter((a) => a.state === "succeeded" || a.state === "skipped").length;
  const failures = run.actions.filter((a) => a.state === "failed");
  const failed = failures.length === 1 ? failures[0] : undefined;
  return (
    <div className={step.stack}>
      <p className={step.note}>
        Started by {run.startedBy} at {new Date(run.startedAt).toLocaleTimeString()}. You can close the pane: the
        changes continue, and reopening it shows this run again.
      </p>
      <ProgressBar
        value={run.actions.length === 0 ? 1 : finished / run.actions.length}
        aria-label={`${finished} of ${run.actions.length} changes done`}
        color={run.state === "failed" ? "error" : run.state === "succeeded" ? "success" : "brand"}
      />
      <div role="status" aria-live="polite" className={step.note}>
        <span>
          {run.state === "running"
            ? `${finished} of ${run.actions.length} changes done`
            : run.state === "succeeded"
              ? "All changes are done."
              : "The run stopped."}
        </span>
        {m.reconnecting && run.state === "running" ? (
          <span className={styles.reconnecting}> Reconnecting… the changes continue on the server.</span>
        ) : null}
      </div>
      <ol className={styles.list} aria-label="Changes">
        {run.actions.map((a) => {
          const shown = presentAction(a);
          const why = a.state === "failed" && a.error ? describeActionError(a.error.code, a.error.message) : null;
          return (
            <li key={a.id} className={styles.item}>
              <Badge appearance="tint" color={shown.color} className={styles.badge}>
                {shown.badge}
              </Badge>
              <div>
                <div>{describeAction(a, shown.phase)}</div>
                <div className={styles.cmdlet}>{a.cmdlet}</div>
                {a.attempts > 1 ? (
                  <div className={styles.retry}>
                    Retried: attempt {a.attempts}
                    {a.state === "running" && a.error ? ` (${a.error.message})` : ""}
                  </div>
                ) : null}
                {why ? (
                  <div className={styles.failure}>
                    {why.detail} <strong>Next:</strong> {why.next}
                  </div>
                ) : null}
                {shown.phase === "notRun" ? (
                  <div className={styles.note}>A change it needs did not finish; applying again runs it.</div>
                ) : null}
                {a.state === "skipped" && !a.error ? (
                  <div className={styles.note}>Already in place when the run resumed.</div>
                ) : null}
              </div>
            </li>
          );
        })}
      </ol>
      {m.error ? <ErrorMessage error={m.error} {...retry} /> : null}
      {run.state === "failed" ? (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>
              {failed
                ? describeAction(failed, "failed")
                : failures.length > 1
                  ? `${failures.length} changes failed`
                  : "The run failed"}
            </MessageBarTitle>
            {failures.length > 0
              ? "The changes marked Failed above say what went wrong and what to do. "
              : "The run stopped before its changes finished. "}
            <strong>Next:</strong> review the plan again and apply it; changes that are done are not repeated.
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={props.onReview}>Review again</Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}
      {run.state === "succeeded" ? (
        <>
          <MessageBar intent="success">
            <MessageBarBody>
              <MessageBarTitle>{props.doneTitle ?? "Journaling is set up"}</MessageBarTitle>
              Check the status to see each part verified.
            </MessageBarBody>
            <MessageBarActions>
              <Button appearance="primary" onClick={() => props.onFinished(true)}>
                See status
              </Button>
            </MessageBarActions>
          </MessageBar>
          {props.doneTitle ? null : <WhatNext chart="on-status" />}
        </>
      ) : null}
    </div>
  );
}
