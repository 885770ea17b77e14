import { upstream } from "../net/upstreamTiming";

/** Concurrent callers asking for the same key share one in-flight promise (nothing is kept after it settles). */
export class SingleFlight<T> {
  private readonly inflight = new Map<string, Promise<T>>();

  run(key: string, fn: () => Promise<T>): Promise<T> {
    const existing = this.inflight.get(key);
    // Waiting for another caller's read is upstream time for this caller too.
    if (existing) return upstream(existing);
    const p = fn().finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }
}
