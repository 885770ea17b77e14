import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Measures how long a request waited on other services (Entra, Exchange, Graph), as wall time
 * during which at least one upstream call was pending, so the server's own time per request is
 * total minus upstream (reported in the Server-Timing header and the request log).
 */
export class UpstreamTimer {
  private pending = 0;
  private since = 0;
  private totalMs = 0;

  begin(): void {
    if (this.pending++ === 0) this.since = performance.now();
  }

  end(): void {
    if (--this.pending === 0) this.totalMs += performance.now() - this.since;
  }

  get ms(): number {
    return this.pending > 0 ? this.totalMs + (performance.now() - this.since) : this.totalMs;
  }
}

const storage = new AsyncLocalStorage<UpstreamTimer>();

export function withUpstreamTimer<T>(timer: UpstreamTimer, fn: () => T): T {
  return storage.run(timer, fn);
}

/** Counts the time `p` is pending as upstream time of the current request, if any. */
export function upstream<T>(p: Promise<T>): Promise<T> {
  const timer = storage.getStore();
  if (!timer) return p;
  timer.begin();
  return p.finally(() => timer.end());
}
