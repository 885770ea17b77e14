import type { Logger } from "../log";
import type { PruneCounts, RetentionCutoffs } from "./prune";

/**
 * The retention job (issue 16 §3): once at start and then hourly, deletes what is older than the
 * configured number of days (runs with their actions and events, audit entries, mail-flow tests,
 * resolved alerts; see prune.ts for what is always kept). Every instance runs it; deleting the same
 * old rows twice is harmless. Its timer never keeps the process up.
 */
export interface RetentionDays {
  readonly runs: number;
  readonly audit: number;
  readonly mailflowTests: number;
  readonly alerts: number;
}

const DAY_MS = 86_400_000;
export const RETENTION_INTERVAL_MS = 3_600_000;

export function retentionCutoffs(days: RetentionDays, nowMs: number): RetentionCutoffs {
  const before = (d: number): string => new Date(nowMs - d * DAY_MS).toISOString();
  return {
    runsBefore: before(days.runs),
    auditBefore: before(days.audit),
    mailflowTestsBefore: before(days.mailflowTests),
    alertsBefore: before(days.alerts),
  };
}

export interface RetentionJob {
  /** Resolves when a prune under way has finished; no prune starts after. */
  stop(): Promise<void>;
}

export function startRetentionJob(deps: {
  readonly store: { prune(cutoffs: RetentionCutoffs): Promise<PruneCounts> };
  readonly days: RetentionDays;
  readonly log: Logger;
  readonly now?: () => number;
  readonly intervalMs?: number;
}): RetentionJob {
  const now = deps.now ?? Date.now;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const pruneOnce = (): void => {
    if (stopped) return;
    running = running.then(async () => {
      if (stopped) return;
      try {
        const counts = await deps.store.prune(retentionCutoffs(deps.days, now()));
        if (Object.values(counts).some((n) => n > 0))
          deps.log.info("retention: deleted expired records", { ...counts });
      } catch (err) {
        deps.log.warn("retention: prune failed; it is tried again in an hour", {
          error: err instanceof Error ? err.message : String(err),
        });
      }
    });
  };
  const first = setTimeout(pruneOnce, 0);
  first.unref();
  const timer = setInterval(pruneOnce, deps.intervalMs ?? RETENTION_INTERVAL_MS);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
