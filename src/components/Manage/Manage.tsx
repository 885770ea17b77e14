import { Button, MessageBar, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import React, { Suspense, useEffect, useRef } from "react";
import { pausedSummary } from "../../core/resources/journalRule/pause";
import { ErrorMessage } from "../common/ErrorMessage";
import { emptyDraft } from "../setup/draft";
import { StepSkeleton } from "../common/StepSkeleton";
import { useServices } from "../services/ServicesContext";
import { useStepStyles } from "../steps/useStepStyles.styles";
import type { ManageModel, ManageProps } from "./Manage.types";
import { RemoveReview } from "./RemoveReview";
import { useManage } from "./useManage";
import { useManageStyles } from "./useManageStyles.styles";

// The same chunks as the wizard's Review and Apply steps: one plan review and one run view everywhere.
const ReviewStep = React.lazy(() => import(/* webpackChunkName: "review" */ "../steps/ReviewStep/ReviewStep"));
const ApplyStep = React.lazy(() => import(/* webpackChunkName: "apply" */ "../steps/ApplyStep/ApplyStep"));
// Keep watching (issue 14) is its own chunk: the first render never pays for it.
const KeepWatching = React.lazy(() => import(/* webpackChunkName: "monitor" */ "../Monitor/KeepWatching"));

/** "Paused since <time> by <who>." from the status (who from the audit), or just "Paused." when paused by hand. */
function stateLine(m: ManageModel): { title: string; text: string } {
  if (m.phase === "paused") {
    const p = m.status?.paused;
    return {
      title: "Journaling is paused",
      text: p ? `${pausedSummary({ since: new Date(p.since).toLocaleString(), by: p.by })}.` : "Paused.",
    };
  }
  if (m.phase === "removed") {
    return {
      title: "Journaling is removed",
      text: "No journal reports are sent. To set it up again, go through the setup steps and apply them.",
    };
  }
  return { title: "Journaling is on", text: "Every journal rule of the setup is switched on." };
}

function Overview({ m, onChangeSetup }: { m: ManageModel; onChangeSetup?: () => void }): React.JSX.Element {
  const { session } = useServices();
  const step = useStepStyles();
  const line = stateLine(m);
  const disabled = !m.canChange || m.saved === null;
  return (
    <>
      <MessageBar intent={m.phase === "active" ? "success" : "info"} layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{line.title}</MessageBarTitle>
          {line.text}
        </MessageBarBody>
      </MessageBar>
      {m.error ? <ErrorMessage error={m.error} onRetry={m.reload} /> : null}
      {m.canChange ? null : (
        <p className={step.note}>
          Pausing, resuming, changing and removing journaling need the {session.requiredRoles.join(" or ")} role.
        </p>
      )}
      {m.phase === "removed" ? null : (
        <div className={step.row}>
          {m.phase === "paused" ? (
            <Button appearance="primary" disabled={disabled} onClick={m.resume}>
              Resume journaling
            </Button>
          ) : (
            <Button disabled={disabled} onClick={m.pause}>
              Pause journaling
            </Button>
          )}
          <Button disabled={!m.canChange || !onChangeSetup} onClick={onChangeSetup}>
            Change regions or members
          </Button>
          <Button disabled={disabled} onClick={m.remove}>
            Remove journaling
          </Button>
        </div>
      )}
    </>
  );
}

const DONE_TITLE = { pause: "Journaling is paused", resume: "Journaling is on again", remove: "Journaling is removed" };

/**
 * The Manage area once a setup exists: its state, and Pause / Resume, Change regions or members,
 * Remove journaling. Each goes through the same plan -> review -> apply as the setup (POST /api/plan,
 * then POST /api/runs with the plan's hash). Readers see the state and no enabled button.
 */
export default function Manage(props: ManageProps): React.JSX.Element | null {
  const m = useManage(props);
  const styles = useManageStyles();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);

  useEffect(() => {
    // Announce the new view (review, run, overview) to screen readers by moving focus to its heading.
    if (first.current) {
      first.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [m.mode.kind]);

  if (m.loading && !m.status) return null;
  // A failed read is shown to admins (who came to change something); a user whose rights do not reach
  // Exchange has the read-only view's own explanation, not a second error.
  if (!m.status) return m.error && m.canChange ? <ErrorMessage error={m.error} onRetry={m.reload} /> : null;
  if (!m.exists) return null;

  let title = "Manage journaling";
  let content: React.JSX.Element;
  const { mode } = m;
  switch (mode.kind) {
    case "overview":
      content = (
        <>
          <Overview m={m} {...(props.onChangeSetup ? { onChangeSetup: props.onChangeSetup } : {})} />
          <KeepWatching />
        </>
      );
      break;
    case "review":
      title = mode.action === "pause" ? "Pause journaling: review" : "Resume journaling: review";
      content = (
        <ReviewStep
          // Unused: `desired` (the saved setup with its new state) is what is planned.
          draft={emptyDraft()}
          desired={mode.desired}
          onApply={(pending) => m.startApply(pending, DONE_TITLE[mode.action])}
          onBack={m.backToOverview}
          onGoTo={m.backToOverview}
        />
      );
      break;
    case "remove":
      title = "Remove journaling";
      content = m.saved ? (
        <RemoveReview
          saved={m.saved}
          onApply={(pending) => m.startApply(pending, DONE_TITLE.remove)}
          onCancel={m.backToOverview}
        />
      ) : (
        <StepSkeleton label="Loading the setup" />
      );
      break;
    case "apply":
      title = "Applying the change";
      content = (
        <ApplyStep
          pending={mode.pending}
          runId={mode.runId}
          onAttach={m.attachRun}
          onFinished={m.finish}
          onApplied={m.applied}
          onReview={m.backToOverview}
          doneTitle={mode.title}
        />
      );
      break;
  }
  return (
    // One name for the area whatever it shows (its heading names the view: review, run).
    <section className={styles.card} aria-label="Manage journaling">
      <h3 id="manage-heading" className={styles.heading} ref={headingRef} tabIndex={-1}>
        {title}
      </h3>
      <Suspense fallback={<StepSkeleton label={`Loading ${title}`} />}>{content}</Suspense>
    </section>
  );
}
