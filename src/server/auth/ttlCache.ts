/**
 * A small bounded cache with a time to live, for per-user answers that are costly to ask for on
 * every request (directory roles from Graph, Exchange's verdict on an account). Concurrent misses
 * for one key share one look-up; failures are not remembered, so the next request asks again.
 */
export class TtlCache<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();
  private readonly inflight = new Map<string, Promise<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<T>, remember: (value: T) => boolean = () => true): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.until > this.now()) return Promise.resolve(hit.value);
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const p = load()
      .then((value) => {
        if (remember(value)) this.set(key, value);
        return value;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  private set(key: string, value: T): void {
    const t = this.now();
    this.entries.delete(key);
    for (const [k, v] of this.entries) if (v.until <= t) this.entries.delete(k);
    // Oldest first: a Map iterates in insertion order.
    while (this.entries.size >= this.maxEntries) {
      const first = this.entries.keys().next();
      if (first.done) break;
      this.entries.delete(first.value);
    }
    this.entries.set(key, { value, until: t + this.ttlMs });
  }
}
