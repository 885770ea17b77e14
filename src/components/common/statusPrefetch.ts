import type { BackendApi, StatusResponse, StatusSnapshotResponse } from "../../services/backend/types";

interface Early {
  readonly snapshot: Promise<StatusSnapshotResponse>;
  readonly live: Promise<StatusResponse>;
  /** The snapshot once it is in: the Status view's first render shows it without waiting a turn. */
  snapshotValue?: StatusSnapshotResponse;
}

const early = new WeakMap<BackendApi, Early>();

/**
 * Starts the status reads (the saved snapshot and the live status) as soon as the pane is signed in,
 * while the Status view's code is still loading: a tab opened on the status (an alert's deep link)
 * then shows it without waiting for its chunks first. The Status view takes them over once.
 */
export function prefetchStatus(backend: BackendApi): void {
  if (early.has(backend)) return;
  const snapshot = backend.statusSnapshot();
  const live = backend.status();
  // Failures are the Status view's to show (or, for the snapshot, to ignore) when it takes them.
  snapshot.catch(() => undefined);
  live.catch(() => undefined);
  const entry: Early = { snapshot, live };
  snapshot.then((v) => (entry.snapshotValue = v)).catch(() => undefined);
  early.set(backend, entry);
}

/** The reads prefetchStatus started for this backend, once; undefined when none were. */
export function takePrefetchedStatus(backend: BackendApi): Early | undefined {
  const found = early.get(backend);
  early.delete(backend);
  return found;
}

/** The prefetched snapshot if it has arrived already (read during the Status view's first render). */
export function peekPrefetchedSnapshot(backend: BackendApi): StatusSnapshotResponse | undefined {
  return early.get(backend)?.snapshotValue;
}
