import type React from "react";
import AlertHistory from "../Monitor/AlertHistory";
import StatusStep from "../steps/StatusStep/StatusStep";
import { useStatusViewStyles } from "./useStatusViewStyles.styles";

/**
 * The Status view (`#/status`, or an alert's deep link with subPageId "status"): the tenant's status,
 * the saved snapshot at once and the live one after, then the monitor's alerts.
 */
export default function StatusView({ onChangeSetup }: { onChangeSetup: () => void }): React.JSX.Element {
  const styles = useStatusViewStyles();
  return (
    <div className={styles.view}>
      <section className={styles.card} aria-labelledby="status-view-heading">
        <h2 id="status-view-heading" className={styles.heading}>
          Journaling status
        </h2>
        <StatusStep onChangeSetup={onChangeSetup} whatNext={false} />
      </section>
      <AlertHistory />
    </div>
  );
}
