import { Button } from "@fluentui/react-components";
import React, { Suspense, useEffect, useRef } from "react";
import { ErrorMessage } from "../common/ErrorMessage";
import { StepSkeleton } from "../common/StepSkeleton";
import { VisuallyHidden } from "../common/VisuallyHidden";
import { CheckStep } from "../steps/CheckStep/CheckStep";
import { ServiceAddressStep } from "../steps/ServiceAddressStep/ServiceAddressStep";
import { RegionsStep } from "../steps/RegionsStep/RegionsStep";
import { NdrStep } from "../steps/NdrStep/NdrStep";
import { useWizard } from "./useWizard";
import { useWizardStyles } from "./useWizardStyles.styles";
import type { StepId } from "../../services/backend/types";
import { STEPS, type StepProps } from "./Wizard.types";

// Review, Apply and Status are needed only at the end: separate chunks, prefetched while the admin types.
const ReviewStep = React.lazy(
  () => import(/* webpackChunkName: "review", webpackPrefetch: true */ "../steps/ReviewStep/ReviewStep"),
);
const ApplyStep = React.lazy(
  () => import(/* webpackChunkName: "apply", webpackPrefetch: true */ "../steps/ApplyStep/ApplyStep"),
);
const StatusStep = React.lazy(
  () => import(/* webpackChunkName: "status", webpackPrefetch: true */ "../steps/StatusStep/StatusStep"),
);

/** The guided setup: seven steps, one at a time, with the progress shared through the backend. */
export default function Wizard({
  startAt,
  onApplied,
}: {
  readonly startAt?: StepId;
  /** A run from the Apply step succeeded (the Manage area above reads the tenant again). */
  readonly onApplied?: () => void;
} = {}): React.JSX.Element {
  const styles = useWizardStyles();
  const w = useWizard(startAt, onApplied);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);

  useEffect(() => {
    // Move focus to the new step's heading so screen readers announce it (not on the first load).
    if (first.current) {
      first.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [w.step]);

  if (w.loading) return <StepSkeleton label="Loading the setup" rows={6} />;
  if (w.loadError) return <ErrorMessage error={w.loadError} onRetry={w.retryLoad} />;

  const current = STEPS[w.stepIndex] ?? STEPS[0]!;
  const stepProps: StepProps = {
    draft: w.draft,
    update: w.update,
    tenant: w.tenant,
    showErrors: w.showErrors,
    domain: w.domain,
  };
  const reachable = (i: number): boolean =>
    i <= w.stepIndex ||
    STEPS.slice(0, i).every((s) => w.steps[s.id] === "done") ||
    // Once a setup is applied its status can always be looked at.
    (STEPS[i]?.id === "status" && w.steps.apply === "done");

  let content: React.JSX.Element;
  let footer: React.JSX.Element | null = null;
  const backButton = w.stepIndex > 0 ? <Button onClick={w.back}>Back</Button> : <span />;
  const nextButton = (
    <Button appearance="primary" onClick={w.next}>
      Next
    </Button>
  );
  switch (current.id) {
    case "check":
      content = <CheckStep tenant={w.tenant} />;
      footer = (
        <>
          <span />
          {nextButton}
        </>
      );
      break;
    case "address":
      content = <ServiceAddressStep {...stepProps} regionChosen={w.steps.where === "done"} />;
      footer = (
        <>
          {backButton}
          {nextButton}
        </>
      );
      break;
    case "where":
      content = <RegionsStep {...stepProps} />;
      footer = (
        <>
          {backButton}
          {nextButton}
        </>
      );
      break;
    case "ndr":
      content = <NdrStep {...stepProps} extraGroups={w.extraGroups} onGroupsFound={w.rememberGroups} />;
      footer = (
        <>
          {backButton}
          {nextButton}
        </>
      );
      break;
    case "review":
      content = <ReviewStep draft={w.draft} onApply={w.startApply} onBack={w.back} onGoTo={w.goTo} />;
      break;
    case "apply":
      content = (
        <ApplyStep
          pending={w.pendingApply}
          runId={w.runId}
          onAttach={w.attachRun}
          onFinished={w.finishApply}
          onApplied={w.markApplied}
          onReview={() => w.goTo("review")}
        />
      );
      break;
    case "status":
      content = <StatusStep onChangeSetup={() => w.goTo("address")} />;
      break;
  }

  return (
    <div className={styles.layout}>
      <nav className={styles.nav} aria-label="Setup steps">
        <ol className={styles.stepList}>
          {STEPS.map((s, i) => (
            <li key={s.id}>
              <Button
                className={styles.stepButton}
                appearance={s.id === current.id ? "primary" : "subtle"}
                aria-current={s.id === current.id ? "step" : undefined}
                disabled={!reachable(i)}
                onClick={() => w.goTo(s.id)}
                size="small"
              >
                <span className={styles.stepLabel}>
                  {i + 1}. {s.title}
                </span>
                {w.steps[s.id] === "done" ? (
                  <>
                    <span className={styles.stepDone} aria-hidden="true">
                      ✓
                    </span>
                    <VisuallyHidden> (done)</VisuallyHidden>
                  </>
                ) : null}
              </Button>
            </li>
          ))}
        </ol>
      </nav>
      <section className={styles.panel} aria-labelledby="step-heading">
        <span className={styles.counter}>
          Step {w.stepIndex + 1} of {STEPS.length}
        </span>
        <h2 id="step-heading" className={styles.heading} ref={headingRef} tabIndex={-1}>
          {current.title}
        </h2>
        {w.notice ? <ErrorMessage error={w.notice} /> : null}
        <Suspense fallback={<StepSkeleton label={`Loading ${current.title}`} />}>{content}</Suspense>
        {footer ? <div className={styles.footer}>{footer}</div> : null}
      </section>
    </div>
  );
}
