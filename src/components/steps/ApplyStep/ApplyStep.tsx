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
import type { ActionState } from "../../../services/backend/types";
import { ErrorMessage } from "../../common/ErrorMessage";
import { StepSkeleton } from "../../common/StepSkeleton";
import { describeActionError } from "../../errors/describeError";
import { useStepStyles } from "../useStepStyles.styles";
import type { ApplyStepProps } from "./ApplyStep.types";
import { useApplyStep } from "./useApplyStep";
import { useApplyStepStyles } from "./useApplyStepStyles.styles";

const STATE: Record<ActionState, { text: string; color: "informative" | "brand" | "success" | "danger" | "subtle" }> = {
  pending: { text: "Waiting", color: "subtle" },
  running: { text: "Running", color: "brand" },
  succeeded: { text: "Done", color: "success" },
  failed: { text: "Failed", color: "danger" },
  skipped: { text: "Skipped", color: "informative" },
};

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
  const failed = run.actions.find((a) => a.state === "failed");
  const failure = failed?.error ? describeActionError(failed.error.code, failed.error.message) : null;
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
        {run.actions.map((a) => (
          <li key={a.id} className={styles.item}>
            <Badge appearance="tint" color={STATE[a.state].color}>
              {STATE[a.state].text}
            </Badge>
            <div>
              <div>{a.reason}</div>
              <div className={styles.cmdlet}>{a.cmdlet}</div>
              {a.attempts > 1 ? (
                <div className={styles.retry}>
                  Retried: attempt {a.attempts}
                  {a.state === "running" && a.error ? ` (${a.error.message})` : ""}
                </div>
              ) : null}
              {a.state === "failed" && a.error ? <div className={styles.failure}>{a.error.message}</div> : null}
            </div>
          </li>
        ))}
      </ol>
      {m.error ? <ErrorMessage error={m.error} {...retry} /> : null}
      {run.state === "failed" ? (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{failed ? `"${failed.reason}" failed` : "The run failed"}</MessageBarTitle>
            {failure ? failure.detail : "One of the changes failed."} <strong>Next:</strong>{" "}
            {failure ? failure.next : "Review the plan again and apply; finished steps are not repeated."}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={props.onReview}>Review again</Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}
      {run.state === "succeeded" ? (
        <MessageBar intent="success">
          <MessageBarBody>
            <MessageBarTitle>Journaling is set up</MessageBarTitle>
            Check the status to see each part verified.
          </MessageBarBody>
          <MessageBarActions>
            <Button appearance="primary" onClick={() => props.onFinished(true)}>
              See status
            </Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}
    </div>
  );
}
