import type React from "react";
import { describeAction } from "../../core/plan/describeAction";
import { UndoRun } from "../Undo/UndoRun";
import type { AuditedRun } from "./earlierRuns";
import { useProgressViewStyles } from "./useProgressViewStyles.styles";

const SHOWN = 10;

/**
 * The runs before the latest, each folded: what it changed and its own "Undo this run" review. Folded
 * so one screen does not hold ten undo buttons; the latest run's undo stays next to its changes.
 */
export function EarlierRuns({
  runs,
  onChanged,
}: {
  runs: readonly AuditedRun[];
  onChanged: () => void;
}): React.JSX.Element | null {
  const styles = useProgressViewStyles();
  if (runs.length === 0) return null;
  return (
    <>
      <h3 className={styles.subheading}>Earlier runs</h3>
      <ul className={styles.history} aria-label="Earlier runs">
        {runs.slice(0, SHOWN).map((r) => {
          const when = r.at ? new Date(r.at).toLocaleString() : "";
          return (
            <li key={r.runId}>
              <details>
                <summary>
                  {when} by <strong>{r.by}</strong>: {r.changes.length} change{r.changes.length === 1 ? "" : "s"}
                  {r.failed ? " (a step failed)" : ""}
                </summary>
                <ol aria-label={`Changes of the run of ${when}`}>
                  {r.changes.map((c, i) => (
                    <li key={`${c.at}-${i}`}>
                      {describeAction(c, c.outcome === "failed" ? "failed" : "done")}
                      {c.outcome === "failed" && c.error ? ` (${c.error.message})` : ""}
                    </li>
                  ))}
                </ol>
                <UndoRun runId={r.runId} onFinished={onChanged} label={`Undo the run of ${when}`} />
              </details>
            </li>
          );
        })}
      </ul>
      {runs.length > SHOWN ? <p className={styles.note}>… and {runs.length - SHOWN} older runs in the audit.</p> : null}
    </>
  );
}
