/**
 * When a watched tenant is checked next. Checks are spread over the interval so that many tenants
 * enabled at the same moment (or a restart) don't all hit Exchange together: each next check comes
 * up to 10% early, never late, so "within one interval" holds. `random` is injected (pure).
 */
export const JITTER_FRACTION = 0.1;

export function nextCheckMs(fromMs: number, intervalMinutes: number, random: number): number {
  const interval = intervalMinutes * 60_000;
  const r = Math.min(Math.max(random, 0), 1);
  return fromMs + Math.round(interval * (1 - JITTER_FRACTION * r));
}

/**
 * How long a check may hold its lease before another worker may take the tenant over. A check reads
 * for seconds; the lease outlives a slow one, and a crashed worker's tenants are due again when it
 * runs out.
 */
export const LEASE_MS = 2 * 60_000;
