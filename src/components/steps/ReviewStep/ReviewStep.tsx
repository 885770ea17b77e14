import { Button, Link, MessageBar, MessageBarBody, MessageBarTitle, Tab, TabList } from "@fluentui/react-components";
import type React from "react";
import { describeAction } from "../../../core/plan/describeAction";
import { PaneError } from "../../../services/errors";
import { ErrorMessage } from "../../common/ErrorMessage";
import { StepSkeleton } from "../../common/StepSkeleton";
import { STEPS } from "../../Wizard/Wizard.types";
import { useStepStyles } from "../useStepStyles.styles";
import type { ReviewStepProps } from "./ReviewStep.types";
import { stepForPath, useReviewStep } from "./useReviewStep";
import { useReviewStepStyles } from "./useReviewStepStyles.styles";

/** Step 5: the plan in words and as PowerShell, warnings first, then Apply. */
export default function ReviewStep(props: ReviewStepProps): React.JSX.Element {
  const m = useReviewStep(props);
  const styles = useReviewStepStyles();
  const step = useStepStyles();

  if (m.loading) return <StepSkeleton label="Working out the plan" rows={6} />;
  if (m.error || !m.plan) {
    const fieldErrors = m.error instanceof PaneError ? (m.error.details.fieldErrors ?? []) : [];
    return (
      <div className={step.stack}>
        <ErrorMessage error={m.error} onRetry={m.reload} />
        {fieldErrors.length > 0 ? (
          <ul className={step.list}>
            {fieldErrors.map((f) => {
              const target = stepForPath(f.path);
              return (
                <li key={`${f.path}:${f.message}`}>
                  {f.message}{" "}
                  <Link as="button" onClick={() => props.onGoTo(target)}>
                    Go to {STEPS.find((s) => s.id === target)?.title}
                  </Link>
                </li>
              );
            })}
          </ul>
        ) : null}
        <div className={styles.footer}>
          <Button onClick={props.onBack}>Back</Button>
        </div>
      </div>
    );
  }

  const { plan, script, planHash } = m.plan;
  const nothingToDo = plan.actions.length === 0;
  return (
    <div className={step.stack}>
      {plan.warnings.length > 0 ? (
        <section aria-labelledby="review-warnings" className={step.stack}>
          <h3 id="review-warnings" className={step.note}>
            Warnings ({plan.warnings.length})
          </h3>
          {plan.warnings.map((w) => (
            <MessageBar key={w.code} intent="warning" layout="multiline">
              <MessageBarBody>{w.message}</MessageBarBody>
            </MessageBar>
          ))}
        </section>
      ) : null}
      <TabList
        selectedValue={m.view}
        onTabSelect={(_, d) => m.setView(d.value === "powershell" ? "powershell" : "steps")}
        aria-label="Plan views"
      >
        <Tab value="steps">Steps ({plan.actions.length})</Tab>
        <Tab value="powershell">PowerShell</Tab>
      </TabList>
      {m.view === "steps" ? (
        nothingToDo ? (
          <MessageBar intent="success">
            <MessageBarBody>
              <MessageBarTitle>Nothing to change</MessageBarTitle>The tenant already matches this setup.
            </MessageBarBody>
          </MessageBar>
        ) : (
          <ol className={styles.actions} aria-label="Planned changes">
            {plan.actions.map((a) => (
              <li key={a.id}>
                {describeAction(a, "planned")}
                <span className={styles.why}>Why: {a.reason}</span>
                <span className={styles.cmdlet}>{a.cmdlet}</span>
              </li>
            ))}
          </ol>
        )
      ) : (
        <div className={step.stack}>
          {m.copyError ? <ErrorMessage error={m.copyError} /> : null}
          {/* Only the script scrolls (up and down; long lines wrap), so Copy stays in view above it at any width. */}
          <div className={styles.scriptBox}>
            <div className={styles.scriptTools}>
              <Button onClick={m.copy}>{m.copied ? "Copied" : "Copy script"}</Button>
              {m.downloadUrl ? (
                <Button as="a" href={m.downloadUrl} download="journaling-setup.ps1">
                  Download .ps1
                </Button>
              ) : null}
              <span aria-live="polite" className={step.note}>
                {m.copied ? "The script is on the clipboard." : ""}
              </span>
            </div>
            <pre className={styles.script} tabIndex={0} aria-label="PowerShell script">
              {script.split("\n").map((line, i) => (
                <span key={i} className={styles.line}>
                  {line === "" ? " " : line}
                </span>
              ))}
            </pre>
          </div>
        </div>
      )}
      <div className={styles.footer}>
        <Button onClick={props.onBack}>Back</Button>
        {nothingToDo ? (
          <Button appearance="primary" onClick={() => props.onGoTo("status")}>
            See status
          </Button>
        ) : (
          <Button
            appearance="primary"
            disabled={!m.canChange}
            onClick={() => props.onApply({ desired: m.desired, planHash })}
          >
            Apply {plan.actions.length} change{plan.actions.length === 1 ? "" : "s"}
          </Button>
        )}
      </div>
    </div>
  );
}
