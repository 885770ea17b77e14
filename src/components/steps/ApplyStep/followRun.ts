import type { BackendApi, Run, RunEvent } from "../../../services/backend/types";
import { PaneError, type PaneErrorCode } from "../../../services/errors";
import { applyRunEvent } from "./applyRunEvent";

/** Waits between reconnects: short at first (a blip), then capped so a long outage doesn't hammer the backend. */
export const RECONNECT_DELAYS_MS: readonly number[] = [1000, 2000, 5000];
/** How long the pane keeps reconnecting quietly before it says so and offers "Try again". */
export const GIVE_UP_AFTER_MS = 60_000;

/** Failures that a later attempt can fix; anything else (signed out, forbidden, run gone) is said at once. */
const TRANSIENT: ReadonlySet<PaneErrorCode> = new Set([
  "network_unreachable",
  "stream_interrupted",
  "server_error",
  "unknown",
]);

function isTransient(err: unknown): boolean {
  return !(err instanceof PaneError) || TRANSIENT.has(err.code);
}

/** Where the live stream got to; kept by the caller so "Try again" resumes instead of replaying. */
export interface StreamCursor {
  lastEventId?: string;
}

function alreadySeen(id: string | undefined, last: string | undefined): boolean {
  if (id === undefined || last === undefined) return false;
  const [a, b] = [Number(id), Number(last)];
  // The backend's ids are sequence numbers; compare them as such so a replayed older event is dropped too.
  return Number.isFinite(a) && Number.isFinite(b) ? a <= b : id === last;
}

export interface FollowRunOptions {
  readonly backend: BackendApi;
  readonly runId: string;
  readonly cursor: StreamCursor;
  readonly signal: AbortSignal;
  readonly onRun: (update: (r: Run | null) => Run | null) => void;
  readonly onReconnecting: (on: boolean) => void;
  /** Resolves after ms, or at once when the signal aborts. */
  readonly wait: (ms: number) => Promise<void>;
  readonly now: () => number;
}

/**
 * Follows a run until it finishes: reads the run (the truth), streams its events, and when the stream
 * ends or fails while the run is still running, reconnects with backoff, resuming after the last event
 * seen (Last-Event-ID). Transient failures are retried for GIVE_UP_AFTER_MS; then it throws
 * `stream_interrupted`. Resolves with the finished run, or null when the signal aborted.
 */
export async function followRun(o: FollowRunOptions): Promise<Run | null> {
  let failures = 0;
  let outageSince: number | null = null;

  const lost = async (err: unknown): Promise<void> => {
    const now = o.now();
    outageSince ??= now;
    if (now - outageSince >= GIVE_UP_AFTER_MS) {
      const why = err instanceof Error ? err.message : String(err);
      throw new PaneError("stream_interrupted", `lost the live connection to the run (${why})`);
    }
    o.onReconnecting(true);
    await o.wait(RECONNECT_DELAYS_MS[Math.min(failures, RECONNECT_DELAYS_MS.length - 1)] ?? 5000);
    failures++;
  };

  let finished = false;
  const onEvent = (e: RunEvent): void => {
    if (e.type === "run-finished") finished = true;
    if (alreadySeen(e.id, o.cursor.lastEventId)) return;
    if (e.id !== undefined) o.cursor.lastEventId = e.id;
    failures = 0; // real progress: the next drop starts again with a short wait
    o.onRun((r) => (r ? applyRunEvent(r, e) : r));
  };

  for (;;) {
    if (o.signal.aborted) return null;
    let run: Run;
    try {
      run = await o.backend.getRun(o.runId);
    } catch (err) {
      if (o.signal.aborted) return null;
      if (!isTransient(err)) throw err;
      await lost(err);
      continue;
    }
    if (o.signal.aborted) return null;
    o.onRun(() => run);
    if (run.state !== "running") {
      o.onReconnecting(false);
      return run;
    }
    try {
      await o.backend.runEvents(o.runId, onEvent, o.signal, {
        ...(o.cursor.lastEventId !== undefined ? { lastEventId: o.cursor.lastEventId } : {}),
        onOpen: () => {
          outageSince = null;
          o.onReconnecting(false);
        },
      });
    } catch (err) {
      if (o.signal.aborted) return null;
      if (!isTransient(err)) throw err;
      await lost(err);
      continue;
    }
    if (o.signal.aborted) return null;
    // The stream ended. After run-finished the re-read below confirms the outcome at once; otherwise
    // the connection dropped while the run goes on: wait, then re-read and resume.
    if (!finished) await lost(new PaneError("stream_interrupted", "the event stream ended"));
  }
}
