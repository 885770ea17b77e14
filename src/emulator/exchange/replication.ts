import type { ExchangeState } from "./types";

/**
 * Replication delay: after a change, cmdlets keep seeing the previous version of the object
 * (or nothing, for a new object) for settings.replicationDelaySeconds. Name-uniqueness checks
 * look at the real objects, as the directory would refuse a duplicate at once.
 */
export function viewOf<T>(state: ExchangeState, key: string, actual: T, now: Date): T | undefined {
  const entry = state.replication[key];
  if (!entry || Date.parse(entry.visibleAt) <= now.getTime()) return actual;
  return entry.previous === undefined ? undefined : (entry.previous as T);
}

export function visibleList<T>(state: ExchangeState, items: readonly T[], keyOf: (t: T) => string, now: Date): T[] {
  const out: T[] = [];
  for (const item of items) {
    const v = viewOf(state, keyOf(item), item, now);
    if (v !== undefined) out.push(v);
  }
  return out;
}

/** Records a change of `key`; `before` is the object as it was (undefined when it is new). */
export function markChanged(state: ExchangeState, key: string, before: unknown, now: Date): void {
  const delayMs = state.settings.replicationDelaySeconds * 1000;
  if (delayMs <= 0) {
    delete state.replication[key];
    return;
  }
  const pending = state.replication[key];
  const stillPending = pending !== undefined && Date.parse(pending.visibleAt) > now.getTime();
  const previous = stillPending ? pending.previous : before === undefined ? undefined : structuredClone(before);
  state.replication[key] = {
    visibleAt: new Date(now.getTime() + delayMs).toISOString(),
    ...(previous === undefined ? {} : { previous }),
  };
}

export function forget(state: ExchangeState, key: string): void {
  delete state.replication[key];
}

export function pruneReplication(state: ExchangeState, now: Date): void {
  for (const [key, entry] of Object.entries(state.replication)) {
    if (Date.parse(entry.visibleAt) <= now.getTime()) delete state.replication[key];
  }
}
