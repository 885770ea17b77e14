import { ApiError } from "../errors";

/** How many run event streams may be open at once, and for how long one stays open. */
export interface StreamLimitSettings {
  readonly perUser: number;
  readonly perTenant: number;
  readonly total: number;
  /** A stream is closed after this long; the client reconnects with Last-Event-ID and loses nothing. */
  readonly maxSeconds: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimitSettings = { perUser: 10, perTenant: 200, total: 5000, maxSeconds: 900 };

/**
 * Counts open server-sent event streams per user, per tenant and in all, so one caller (or one
 * tenant) cannot hold the server's sockets: a stream over a cap is refused with 429 and a
 * Retry-After, before anything is written.
 */
export class StreamLimits {
  private readonly byUser = new Map<string, number>();
  private readonly byTenant = new Map<string, number>();
  private open = 0;

  constructor(readonly settings: StreamLimitSettings = DEFAULT_STREAM_LIMITS) {}

  /** Takes a slot for the caller, or throws 429; the returned function gives it back (once). */
  acquire(tenantId: string, oid: string): () => void {
    const user = `${tenantId}/${oid}`;
    const which =
      (this.byUser.get(user) ?? 0) >= this.settings.perUser
        ? `you already follow ${this.settings.perUser} runs`
        : (this.byTenant.get(tenantId) ?? 0) >= this.settings.perTenant
          ? `your organisation already follows ${this.settings.perTenant} runs`
          : this.open >= this.settings.total
            ? "the server follows as many runs as it can"
            : null;
    if (which !== null) {
      throw new ApiError(
        429,
        "too_many_requests",
        `Too many open progress streams: ${which}. Close a tab that follows a run, or try again shortly.`,
        {},
        { "retry-after": "10" },
      );
    }
    bump(this.byUser, user, 1);
    bump(this.byTenant, tenantId, 1);
    this.open++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      bump(this.byUser, user, -1);
      bump(this.byTenant, tenantId, -1);
      this.open--;
    };
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const n = (map.get(key) ?? 0) + by;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}
