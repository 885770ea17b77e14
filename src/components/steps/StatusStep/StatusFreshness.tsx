import { mergeClasses } from "@fluentui/react-components";
import type React from "react";
import { useEffect } from "react";
import type { StatusResponse } from "../../../services/backend/types";
import { describeChecked, type StatusSource } from "../../common/useSnapshotStatus";
import { useStepStyles } from "../useStepStyles.styles";
import { useStatusStepStyles } from "./useStatusStepStyles.styles";

/** Performance marks bench/tabStatus.ts reads: the first status on screen, and the first live one. */
export const STATUS_SHOWN_MARK = "status:shown";
export const STATUS_FRESH_MARK = "status:fresh";

function markOnce(name: string, detail?: string): void {
  if (typeof performance === "undefined" || typeof performance.mark !== "function") return;
  if (typeof performance.getEntriesByName !== "function") return; // jsdom has mark() only
  if (performance.getEntriesByName(name).length === 0) performance.mark(name, { detail });
}

/**
 * How fresh the status on screen is ("Checked 4 minutes ago by the monitor") and, while the live read
 * runs, a quiet "Checking…". The line keeps its place and height whatever it says, so the fresh
 * status replaces the snapshot without moving anything.
 */
export function StatusFreshness({
  status,
  source,
  checking,
}: {
  status: StatusResponse;
  source: StatusSource | null;
  checking: boolean;
}): React.JSX.Element {
  const step = useStepStyles();
  const styles = useStatusStepStyles();
  useEffect(() => {
    // The detail says what was shown first: the saved snapshot, or the live status.
    markOnce(STATUS_SHOWN_MARK, source?.kind);
    if (source?.kind === "live") markOnce(STATUS_FRESH_MARK);
  }, [source]);
  const checked = describeChecked(source, status, Date.now());
  return (
    <div className={mergeClasses(step.note, styles.freshness)} data-testid="status-freshness">
      <span aria-live="polite">{checked.charAt(0).toUpperCase() + checked.slice(1)}.</span>
      <span className={styles.checking} aria-live="polite">
        {/* Words, not a spinner: quiet, and no extra Fluent code on the way to the first status. */}
        {checking ? "Checking…" : null}
      </span>
    </div>
  );
}
