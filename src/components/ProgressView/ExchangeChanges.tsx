import type React from "react";
import { describeAction } from "../../core/plan/describeAction";
import type { AuditEntry } from "../../services/backend/types";
import { describeError } from "../errors/describeError";
import { useProgressViewStyles } from "./useProgressViewStyles.styles";

const SHOWN = 20;

/** What the latest apply changed in Exchange, in the words the Apply step uses (from the audit). */
export function ExchangeChanges({
  changes,
  error,
}: {
  changes: readonly AuditEntry[] | null;
  error: unknown;
}): React.JSX.Element | null {
  const styles = useProgressViewStyles();
  if (error) {
    const e = describeError(error);
    return (
      <p className={styles.note}>
        Couldn't read the changes made in Exchange: {e.title}. {e.next}
      </p>
    );
  }
  if (!changes || changes.length === 0) return null;
  const first = changes[0];
  return (
    <>
      <h3 className={styles.subheading}>Changes in Exchange</h3>
      <p className={styles.note}>
        The last apply, by {first?.by} on {first ? new Date(first.at).toLocaleString() : ""}:
      </p>
      <ol className={styles.history} aria-label="Changes in Exchange">
        {changes.slice(0, SHOWN).map((c, i) => (
          <li key={`${c.at}-${i}`}>
            {describeAction(c, c.outcome === "failed" ? "failed" : "done")}
            {c.outcome === "failed" && c.error ? ` (${c.error.message})` : ""}
          </li>
        ))}
      </ol>
      {changes.length > SHOWN ? <p className={styles.note}>… and {changes.length - SHOWN} more.</p> : null}
    </>
  );
}
