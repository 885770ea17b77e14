import type { EventRecord } from "../store/tenantStore";

/** Live run events inside this process (the contract's RunEventData); the store keeps them for late subscribers. */
export class EventBus {
  private readonly listeners = new Map<string, Set<(e: EventRecord) => void>>();

  private key(tenantId: string, runId: string): string {
    return `${tenantId}/${runId}`;
  }

  publish(tenantId: string, runId: string, event: EventRecord): void {
    for (const l of this.listeners.get(this.key(tenantId, runId)) ?? []) l(event);
  }

  hasSubscribers(tenantId: string, runId: string): boolean {
    return this.listeners.has(this.key(tenantId, runId));
  }

  /** The runs that have a subscriber here (the relay catches them up after a lost connection). */
  subscribedRuns(): { tenantId: string; runId: string }[] {
    return [...this.listeners.keys()].map((k) => {
      const [tenantId = "", runId = ""] = k.split("/");
      return { tenantId, runId };
    });
  }

  subscribe(tenantId: string, runId: string, listener: (e: EventRecord) => void): () => void {
    const k = this.key(tenantId, runId);
    let set = this.listeners.get(k);
    if (!set) {
      set = new Set();
      this.listeners.set(k, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(k);
    };
  }
}
