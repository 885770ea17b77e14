import type { AuditEntry } from "../../services/backend/types";

/** One earlier run as the audit shows it: who ran it, when, and the calls it made. */
export interface AuditedRun {
  readonly runId: string;
  readonly by: string;
  /** When its first audited call happened. */
  readonly at: string;
  /** Calls with a final outcome (retried attempts left out), oldest first. */
  readonly changes: readonly AuditEntry[];
  readonly failed: boolean;
}

/**
 * The runs before the latest one, newest first, from the audit (which lists the newest entry first).
 * Any of them can be undone, not only the latest: the backend computes the undo from that run's
 * audited before-values against the tenant as it is now.
 */
export function earlierRuns(entries: readonly AuditEntry[]): AuditedRun[] {
  const byRun = new Map<string, AuditEntry[]>();
  for (const e of entries) {
    if (e.runId === null) continue;
    const list = byRun.get(e.runId) ?? [];
    list.push(e);
    byRun.set(e.runId, list);
  }
  return [...byRun.entries()].slice(1).map(([runId, list]) => {
    const changes = list.filter((e) => e.outcome !== "retried").reverse();
    const first = changes[0] ?? list[list.length - 1];
    return {
      runId,
      by: first?.by ?? "",
      at: first?.at ?? "",
      changes,
      failed: changes.some((c) => c.outcome === "failed"),
    };
  });
}
