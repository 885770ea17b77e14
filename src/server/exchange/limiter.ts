/** A counting semaphore: at most `limit` holders at once, waiters served in arrival order. */
export class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async use<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.active--;
  }
}

/** One semaphore per tenant: Exchange limits concurrent requests per tenant, not per process. */
export class TenantLimiter {
  private readonly byTenant = new Map<string, Semaphore>();

  constructor(private readonly perTenant: number) {}

  forTenant(tenantId: string): Semaphore {
    let s = this.byTenant.get(tenantId);
    if (!s) {
      s = new Semaphore(this.perTenant);
      this.byTenant.set(tenantId, s);
    }
    return s;
  }
}
