import { mergeClasses } from "@fluentui/react-components";
import type React from "react";
import type { IntervalTrace } from "../../../core/contract";
import { intervalLine, undeliverableLine } from "../../../core/monitor/interval";
import { useStepStyles } from "../useStepStyles.styles";
import { useStatusStepStyles } from "./useStatusStepStyles.styles";

/**
 * What the monitor's last check counted over its interval (issue 14), under the status's freshness:
 * per journaling address "Since the last check (15 min): 12 delivered, 0 pending, 1 failed", and the
 * undeliverable reports that arrived at the NDR mailbox. Only when Keep watching has checked once.
 */
export function LastCheckSection({ interval }: { interval: IntervalTrace }): React.JSX.Element {
  const step = useStepStyles();
  const styles = useStatusStepStyles();
  const ndr = undeliverableLine(interval);
  return (
    <ul
      className={mergeClasses(step.note, styles.lastCheck)}
      aria-label="The monitor's last check"
      data-testid="status-last-check"
    >
      {interval.perAddress.map((c) => (
        <li key={c.address} className={styles.wrapAnywhere}>
          <span className={step.mono}>{c.address}</span>: {intervalLine(interval, c)}.
        </li>
      ))}
      {ndr ? (
        <li className={mergeClasses(styles.wrapAnywhere, (interval.undeliverable?.count ?? 0) > 0 && styles.failed)}>
          {ndr}.
        </li>
      ) : null}
    </ul>
  );
}
