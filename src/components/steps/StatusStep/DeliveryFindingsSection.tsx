import { MessageBar, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import type React from "react";
import type { DeliveryFinding } from "../../../core/contract";
import { describeFinding } from "../../../core/status/deliveryFindings";
import { useStepStyles } from "../useStepStyles.styles";
import { useStatusStepStyles } from "./useStatusStepStyles.styles";

const when = (iso: string): string => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
};

/**
 * Journal report delivery problems, cause first, then what to do: queued reports (the destination
 * refuses them), and a journal rule Microsoft disabled because its reports stayed undeliverable. The
 * pane never re-enables a rule by itself: re-enabling is a plan the admin reviews and applies.
 */
export function DeliveryFindingsSection({
  findings,
}: {
  findings: readonly DeliveryFinding[];
}): React.JSX.Element | null {
  const step = useStepStyles();
  const styles = useStatusStepStyles();
  if (findings.length === 0) return null;
  return (
    <div className={step.stack}>
      {findings.map((f) => {
        const t = describeFinding(f, when);
        return (
          <MessageBar
            key={`${f.code}:${f.address}`}
            intent="warning"
            layout="multiline"
            className={styles.wrapAnywhere}
          >
            <MessageBarBody className={styles.wrapAnywhere}>
              <MessageBarTitle className={styles.wrapAnywhere}>{t.title}</MessageBarTitle>
              {t.text} <strong>Next:</strong> {t.next}
            </MessageBarBody>
          </MessageBar>
        );
      })}
    </div>
  );
}
