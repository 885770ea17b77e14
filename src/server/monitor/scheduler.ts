import { randomUUID } from "node:crypto";
import { LEASE_MS } from "../../core/monitor/schedule";
import type { Logger } from "../log";
import type { MonitorSchedule } from "../store/monitorStore";
import type { MonitorService } from "./service";

/**
 * Runs due checks: every tick it leases as many due tenants as it has free slots (bounded
 * concurrency across tenants; within a tenant, Exchange calls queue on the tenant's limiter and the
 * message trace spends the tenant's shared budget). The schedule and leases live in the store, so a
 * restart picks up where it stopped, and several instances may share one database: each lease is
 * taken by one UPDATE, so a tenant is never checked twice at once.
 */
export interface SchedulerOptions {
  readonly schedule: MonitorSchedule;
  readonly service: MonitorService;
  readonly concurrency: number;
  readonly log: Logger;
  /** How often the store is asked for due tenants. */
  readonly tickMs?: number;
  readonly now?: () => number;
}

export class MonitorScheduler {
  /** This process's name on the leases it holds. */
  readonly owner = `${process.pid}/${randomUUID()}`;
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private ticking = false;
  private readonly now: () => number;
  private checks = 0;
  private failures = 0;

  constructor(private readonly o: SchedulerOptions) {
    this.now = o.now ?? Date.now;
  }

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => this.tick(), this.o.tickMs ?? 1000);
    // The timer alone must not keep the process up; close() stops it.
    this.timer.unref();
    this.tick();
  }

  /** Looks for due tenants now (after "Check now"), instead of at the next tick. */
  kick(): void {
    setImmediate(() => this.tick());
  }

  /** Checks done and failed since start (the benchmark reads them). */
  stats(): { checks: number; failures: number; inFlight: number } {
    return { checks: this.checks, failures: this.failures, inFlight: this.running.size };
  }

  /** Graceful: no new checks, waits for running ones (up to timeoutMs), gives back the leases. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.race([Promise.allSettled([...this.running]), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    try {
      await this.o.schedule.releaseAll(this.owner, this.now());
    } catch (err) {
      this.o.log.warn("monitor could not release its leases", { error: (err as Error).message });
    }
  }

  private tick(): void {
    this.claimAndCheck().catch((err: unknown) => {
      this.o.log.error("monitor tick failed", { error: (err as Error).message });
    });
  }

  private async claimAndCheck(): Promise<void> {
    if (this.stopped || this.ticking) return;
    this.ticking = true;
    try {
      const free = this.o.concurrency - this.running.size;
      if (free <= 0) return;
      const nowMs = this.now();
      const due = await this.o.schedule.claimDue(this.owner, nowMs, LEASE_MS, free);
      for (const t of due) {
        // Stopped while claiming: the lease runs out, or stop() gives it back.
        if (this.stopped) break;
        const p = this.o.service
          .check(t.tenantId, t.intervalMinutes, this.owner)
          .then(
            () => {
              this.checks++;
            },
            (err: unknown) => {
              this.failures++;
              this.o.log.error("monitor check crashed", { tenantId: t.tenantId, error: (err as Error).message });
            },
          )
          .finally(() => {
            this.running.delete(p);
            // A slot is free: the next due tenant need not wait for the tick.
            if (!this.stopped) this.kick();
          });
        this.running.add(p);
      }
    } catch (err) {
      this.o.log.error("monitor tick failed", { error: (err as Error).message });
    } finally {
      this.ticking = false;
    }
  }
}
