import { useCallback, useEffect, useRef, useState } from "react";
import type { IntervalTrace, SnapshotSource } from "../../core/contract";
import type { BackendApi, StatusResponse, StatusSnapshotResponse } from "../../services/backend/types";
import { describeAge } from "./describeAge";
import { peekPrefetchedSnapshot, takePrefetchedStatus } from "./statusPrefetch";

/** Where the status on screen comes from. */
export type StatusSource =
  /** The last status saved for the tenant (GET /api/status/snapshot), `ageSeconds` old when it was read. */
  | {
      readonly kind: "snapshot";
      readonly checkedBy: SnapshotSource | null;
      readonly ageSeconds: number;
      readonly readAt: number;
    }
  /** A live read of the tenant (GET /api/status). */
  | { readonly kind: "live" };

export interface SnapshotStatusState {
  readonly status: StatusResponse | null;
  readonly source: StatusSource | null;
  /** A live read is running (the status on screen, if any, stays there meanwhile). */
  readonly loading: boolean;
  /** The live read failed (a snapshot on screen stays). */
  readonly error: unknown;
  /** Reads the tenant live again (Check again); the status on screen stays until the answer is in. */
  readonly reload: () => void;
}

function snapshotSource(s: StatusSnapshotResponse, snapshot: StatusResponse): StatusSource {
  return {
    kind: "snapshot",
    checkedBy: s.checkedBy,
    ageSeconds: s.ageSeconds ?? Math.max(0, (Date.now() - Date.parse(s.checkedAt ?? snapshot.checkedAt)) / 1000),
    readAt: Date.now(),
  };
}

/**
 * The status at once, then fresh: on first load the saved snapshot (one store read, no Exchange
 * call) and the live status are asked for together; the snapshot is shown as soon as it is in
 * (with its age), the live answer replaces it. A missing or failed snapshot is not an error: the
 * live read is what counts. Reloads read live only.
 */
export function useSnapshotStatus(backend: BackendApi): SnapshotStatusState {
  // A snapshot prefetched at sign-in that is already in is shown by the very first render.
  const [initial] = useState(() => peekPrefetchedSnapshot(backend));
  const [status, setStatus] = useState<StatusResponse | null>(initial?.snapshot ?? null);
  const [source, setSource] = useState<StatusSource | null>(() =>
    initial?.snapshot ? snapshotSource(initial, initial.snapshot) : null,
  );
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);

  // The monitor's last interval (in the snapshot only): kept on screen when the live status replaces it.
  const lastCheck = useRef<IntervalTrace | undefined>(initial?.snapshot?.sinceLastCheck);

  useEffect(() => {
    let current = true;
    let liveIn = false;
    setLoading(true);
    setError(null);
    // The first read may already be under way (started at sign-in, see statusPrefetch).
    const early = generation === 0 ? takePrefetchedStatus(backend) : undefined;
    if (generation === 0) {
      (early?.snapshot ?? backend.statusSnapshot())
        .then((s) => {
          if (!current || s.snapshot === null) return;
          const snapshot = s.snapshot;
          lastCheck.current = snapshot.sinceLastCheck ?? lastCheck.current;
          if (liveIn) {
            setStatus((live) => withLastCheck(live, lastCheck.current));
            return;
          }
          setStatus(snapshot);
          setSource(snapshotSource(s, snapshot));
        })
        .catch(() => undefined);
    }
    (early?.live ?? backend.status())
      .then((s) => {
        liveIn = true;
        if (!current) return;
        setStatus(withLastCheck(s, lastCheck.current));
        setSource({ kind: "live" });
      })
      .catch((err: unknown) => current && setError(err))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [backend, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { status, source, loading, error, reload };
}

function withLastCheck<T extends StatusResponse | null>(status: T, last: IntervalTrace | undefined): T {
  return status && last && !status.sinceLastCheck ? { ...status, sinceLastCheck: last } : status;
}

const BY: Record<SnapshotSource, string> = {
  monitor: " by the monitor",
  pane: " in the pane",
  cli: " from the command line",
};

/** "checked 4 minutes ago by the monitor" for a snapshot; "checked just now" for a live read. */
export function describeChecked(source: StatusSource | null, status: StatusResponse, now: number): string {
  if (source?.kind === "snapshot") {
    const age = source.ageSeconds + Math.max(0, (now - source.readAt) / 1000);
    return `checked ${describeAge(age)}${source.checkedBy ? BY[source.checkedBy] : ""}`;
  }
  return `checked ${describeAge(Math.max(0, (now - Date.parse(status.checkedAt)) / 1000))}`;
}
