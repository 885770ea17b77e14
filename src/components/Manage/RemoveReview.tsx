import {
  Button,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
} from "@fluentui/react-components";
import type React from "react";
import type { DesiredStateInput } from "../../core/desired/schema";
import { describeAction } from "../../core/plan/describeAction";
import { ErrorMessage } from "../common/ErrorMessage";
import { StepSkeleton } from "../common/StepSkeleton";
import { useStepStyles } from "../steps/useStepStyles.styles";
import type { PendingApply } from "../Wizard/Wizard.types";
import { useManageStyles } from "./useManageStyles.styles";
import { useRemoveReview } from "./useRemoveReview";

export interface RemoveReviewProps {
  readonly saved: DesiredStateInput;
  readonly onApply: (pending: PendingApply) => void;
  readonly onCancel: () => void;
}

/**
 * Remove journaling: every object the plan removes, everything it keeps and why (the plan's
 * "removal-keeps" notes), the NDR option, and the organisation's name typed before Remove enables.
 */
export function RemoveReview({ saved, onApply, onCancel }: RemoveReviewProps): React.JSX.Element {
  const m = useRemoveReview(saved);
  const step = useStepStyles();
  const styles = useManageStyles();
  const keeps = m.plan?.plan.warnings.filter((w) => w.code === "removal-keeps") ?? [];
  const otherWarnings = m.plan?.plan.warnings.filter((w) => w.code !== "removal-keeps") ?? [];

  let body: React.JSX.Element;
  if (m.loading) body = <StepSkeleton label="Working out what to remove" rows={4} />;
  else if (!m.plan) body = <ErrorMessage error={m.error} onRetry={m.reload} />;
  else
    body = (
      <>
        {otherWarnings.map((w) => (
          <MessageBar key={`${w.code}:${w.message}`} intent="warning" layout="multiline">
            <MessageBarBody>{w.message}</MessageBarBody>
          </MessageBar>
        ))}
        <section aria-labelledby="remove-what" className={step.stack}>
          <h4 id="remove-what" className={styles.subheading}>
            Removed ({m.plan.plan.actions.length})
          </h4>
          {m.plan.plan.actions.length === 0 ? (
            <p className={step.note}>Nothing of the setup is left in the tenant: there is nothing to remove.</p>
          ) : (
            <ol className={step.list} aria-label="Objects to remove">
              {m.plan.plan.actions.map((a) => (
                <li key={a.id} className={styles.item}>
                  {describeAction(a, "planned")}
                  <div className={step.note}>Why: {a.reason}</div>
                </li>
              ))}
            </ol>
          )}
        </section>
        <section aria-labelledby="remove-kept" className={step.stack}>
          <h4 id="remove-kept" className={styles.subheading}>
            Kept ({keeps.length})
          </h4>
          {keeps.length === 0 ? (
            <p className={step.note}>Nothing the setup made is kept.</p>
          ) : (
            <ul className={step.list} aria-label="Objects kept">
              {keeps.map((w) => (
                <li key={w.message} className={styles.item}>
                  {w.message}
                </li>
              ))}
            </ul>
          )}
        </section>
      </>
    );

  return (
    <div className={step.stack}>
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>Mail stops being journaled</MessageBarTitle>
          Once removed, no journal report reaches the service until journaling is set up again.
        </MessageBarBody>
      </MessageBar>
      <Checkbox
        checked={m.clearNdr}
        onChange={(_, d) => m.setClearNdr(d.checked === true)}
        label="Also clear the address for undeliverable journal reports (only when no other journal rule remains in the tenant)"
      />
      {body}
      <Field
        label={`To confirm, type the organisation's display name: ${m.tenantName}`}
        hint="The name shown after “in” at the top of the pane."
        validationState={m.typed !== "" && !m.confirmed ? "error" : "none"}
        validationMessage={m.typed !== "" && !m.confirmed ? `This is not ${m.tenantName}.` : undefined}
      >
        <Input value={m.typed} onChange={(_, d) => m.setTyped(d.value)} autoComplete="off" spellCheck={false} />
      </Field>
      <div className={step.row}>
        <Button onClick={onCancel}>Cancel</Button>
        <Button
          appearance="primary"
          disabled={!m.canRemove}
          onClick={() => m.plan && onApply({ desired: m.desired, planHash: m.plan.planHash })}
        >
          Remove journaling
        </Button>
      </div>
    </div>
  );
}
