import type { Store } from "../store/tenantStore";
import { upstream } from "../net/upstreamTiming";
import { SingleFlight } from "./singleFlight";

/**
 * One read of a tenant for everyone asking at the same moment, across instances that share the
 * database: callers in this process share one promise (SingleFlight); across processes, the first to
 * claim the flight (a row in `flights`, one claim wins) reads, and puts the result in the shared trace
 * cache; the others wait for it there. A reader that dies lets its claim run out (`leaseMs`), and a
 * waiter then reads for itself. The result must be plain JSON.
 */
export class SharedFlight<T> {
  private readonly local = new SingleFlight<T>();
  private readonly now: () => number;

  constructor(
    private readonly o: {
      readonly store: Store;
      /** This instance (the claim's owner). */
      readonly owner: string;
      /** How long a claim holds: longer than a read takes. */
      readonly leaseMs: number;
      readonly pollMs?: number;
      readonly now?: () => number;
    },
  ) {
    this.now = o.now ?? Date.now;
  }

  run(tenantId: string, key: string, read: () => Promise<T>): Promise<T> {
    return this.local.run(`${tenantId}/${key}`, () => this.acrossInstances(tenantId, key, read));
  }

  private async acrossInstances(tenantId: string, key: string, read: () => Promise<T>): Promise<T> {
    const tenant = this.o.store.forTenant(tenantId);
    const asked = this.now();
    const resultKey = `flight:${key}`;
    if (!(await tenant.claimFlight(key, this.o.owner, asked + this.o.leaseMs, asked))) {
      // Waiting for another instance's read is upstream time for this caller, as in SingleFlight.
      const theirs = await upstream(this.waitForResult(tenantId, key, resultKey, asked));
      if (theirs !== undefined) return theirs;
      // Their read failed or its instance died: read for ourselves (without a claim: no second wait).
      return read();
    }
    try {
      const value = await read();
      await tenant.putTrace(resultKey, new Date(this.now()).toISOString(), value);
      return value;
    } finally {
      await tenant.endFlight(key, this.o.owner).catch(() => undefined);
    }
  }

  /** The result of a read that ended after `asked`, once the flight ends; undefined if it ended without one. */
  private async waitForResult(tenantId: string, key: string, resultKey: string, asked: number): Promise<T | undefined> {
    const tenant = this.o.store.forTenant(tenantId);
    const pollMs = this.o.pollMs ?? 50;
    const deadline = asked + this.o.leaseMs;
    while (this.now() < deadline) {
      await new Promise((r) => setTimeout(r, pollMs));
      const hit = await tenant.getTrace(resultKey);
      if (hit && Date.parse(hit.asOf) >= asked) return hit.data as T;
      if (!(await tenant.flightUnderWay(key, this.now()))) {
        // Ended: its result may have landed between the two reads.
        const last = await tenant.getTrace(resultKey);
        return last && Date.parse(last.asOf) >= asked ? (last.data as T) : undefined;
      }
    }
    return undefined;
  }
}
