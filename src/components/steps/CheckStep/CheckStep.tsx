import { Badge, Button } from "@fluentui/react-components";
import type React from "react";
import { ErrorMessage } from "../../common/ErrorMessage";
import { StepSkeleton } from "../../common/StepSkeleton";
import { useStepStyles } from "../useStepStyles.styles";
import type { CheckStepProps, Finding } from "./CheckStep.types";
import { useCheckStep } from "./useCheckStep";
import { useCheckStepStyles } from "./useCheckStepStyles.styles";

const BADGE: Record<Finding["intent"], { color: "success" | "warning" | "informative"; text: string }> = {
  success: { color: "success", text: "OK" },
  warning: { color: "warning", text: "Note" },
  info: { color: "informative", text: "Info" },
};

/** Step 1: what the tenant already has, and what that means for the setup. */
export function CheckStep({ tenant }: CheckStepProps): React.JSX.Element {
  const styles = useCheckStepStyles();
  const step = useStepStyles();
  const findings = useCheckStep(tenant.observed);
  if (tenant.error) return <ErrorMessage error={tenant.error} onRetry={tenant.reload} retryLabel="Read again" />;
  if (tenant.loading || !findings) return <StepSkeleton label="Reading the tenant's Exchange settings" />;
  return (
    <div className={step.stack}>
      <p className={step.note}>
        What Exchange Online has today{tenant.readAt ? ` (read ${new Date(tenant.readAt).toLocaleTimeString()})` : ""}.
      </p>
      <ul className={styles.list} aria-label="What the tenant already has">
        {findings.map((f) => (
          <li key={f.id} className={styles.item}>
            <Badge appearance="tint" color={BADGE[f.intent].color}>
              {BADGE[f.intent].text}
            </Badge>
            <div>
              <div>
                <span className={styles.label}>{f.label}:</span> <span className={styles.value}>{f.value}</span>
              </div>
              <p className={styles.reason}>{f.reason}</p>
            </div>
          </li>
        ))}
      </ul>
      <div className={step.row}>
        <Button appearance="subtle" onClick={tenant.reload}>
          Read again
        </Button>
      </div>
    </div>
  );
}
