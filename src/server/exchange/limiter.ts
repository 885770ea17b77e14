/**
 * A counting semaphore: at most `limit` holders at once, waiters served in arrival order. The limit
 * may be a function (this instance's share of a limit several instances share: it changes as they
 * come and go); a lower limit takes effect as holders release.
 */
export class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly limit: () => number;

  constructor(limit: number | (() => number)) {
    this.limit = typeof limit === "number" ? () => limit : limit;
  }

  async use<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.limit()) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(): void {
    this.active--;
    while (this.waiters.length > 0 && this.active < this.limit()) {
      this.active++;
      this.waiters.shift()?.();
    }
  }
}

/**
 * One semaphore per tenant: Exchange limits concurrent requests per tenant, not per process. With
 * several instances `perTenant` is this instance's share (the tenant's limit over the live instances).
 */
export class TenantLimiter {
  private readonly byTenant = new Map<string, Semaphore>();

  constructor(private readonly perTenant: number | (() => number)) {}

  forTenant(tenantId: string): Semaphore {
    let s = this.byTenant.get(tenantId);
    if (!s) {
      s = new Semaphore(this.perTenant);
      this.byTenant.set(tenantId, s);
    }
    return s;
  }
}
