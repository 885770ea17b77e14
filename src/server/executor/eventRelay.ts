import { Client } from "pg";
import type { Logger } from "../log";
import type { Store } from "../store/tenantStore";
import type { EventBus } from "./eventBus";

/**
 * Run events across backend instances that share a PostgreSQL store. The instance executing a run
 * stores each event, publishes it to its own SSE clients (EventBus) and announces it with NOTIFY;
 * every other instance LISTENs and, for runs that have SSE clients there, reads the event back from
 * the store and publishes it to them. Only ids travel in the notification (NOTIFY payloads are
 * limited to 8000 bytes: https://www.postgresql.org/docs/15/sql-notify.html), the store stays the
 * one copy, and an SSE client's Last-Event-ID works the same on any instance.
 */
export interface RunEventRelay {
  /** Tells the other instances that `runId` has an event `seq` (fire and forget: a lost notice only delays). */
  announce(tenantId: string, runId: string, seq: number): void;
  close(): Promise<void>;
}

/** One process, one database (SQLite): nobody else to tell. */
export const LOCAL_ONLY_RELAY: RunEventRelay = {
  announce: () => undefined,
  close: () => Promise.resolve(),
};

export const RUN_EVENTS_CHANNEL = "ja_run_events";

interface Notice {
  readonly i: string;
  readonly t: string;
  readonly r: string;
  readonly s: number;
}

function parseNotice(payload: string | undefined): Notice | undefined {
  try {
    const n = JSON.parse(payload ?? "") as Partial<Notice>;
    if (typeof n.i === "string" && typeof n.t === "string" && typeof n.r === "string" && typeof n.s === "number") {
      return n as Notice;
    }
  } catch {
    // Not ours: another program on the channel.
  }
  return undefined;
}

export async function startPostgresRelay(options: {
  readonly url: string;
  readonly instanceId: string;
  readonly bus: EventBus;
  readonly store: Store;
  readonly log: Logger;
  /** Wait before connecting again after the listening connection dropped. */
  readonly reconnectMs?: number;
}): Promise<RunEventRelay> {
  const { instanceId, bus, store, log } = options;
  let client: Client | undefined;
  let closed = false;
  let reconnect: NodeJS.Timeout | undefined;

  /** Reads the run's events after `afterSeq` from the store and hands them to this instance's SSE clients. */
  const deliver = async (tenantId: string, runId: string, afterSeq: number): Promise<void> => {
    if (!bus.hasSubscribers(tenantId, runId)) return;
    for (const e of await store.forTenant(tenantId).events(runId, afterSeq)) bus.publish(tenantId, runId, e);
  };

  const connect = async (): Promise<void> => {
    const c = new Client({ connectionString: options.url });
    c.on("notification", (msg) => {
      const n = parseNotice(msg.payload);
      if (!n || n.i === instanceId) return;
      deliver(n.t, n.r, n.s - 1).catch((err: unknown) => {
        log.warn("could not relay a run event", { runId: n.r, error: (err as Error).message });
      });
    });
    const retry = (why: string): void => {
      if (closed || client !== c) return;
      client = undefined;
      log.warn("run event relay lost its database connection; reconnecting", { error: why });
      reconnect = setTimeout(() => void connectAndCatchUp(), options.reconnectMs ?? 1000);
      reconnect.unref();
    };
    c.on("error", (err) => retry(err.message));
    c.on("end", () => retry("connection ended"));
    await c.connect();
    await c.query(`LISTEN ${RUN_EVENTS_CHANNEL}`);
    client = c;
  };

  const connectAndCatchUp = async (): Promise<void> => {
    try {
      await connect();
      // Notices sent while this instance was not listening are lost: read what its clients may have missed.
      for (const { tenantId, runId } of bus.subscribedRuns()) await deliver(tenantId, runId, 0);
    } catch (err) {
      if (closed) return;
      log.warn("run event relay could not connect; trying again", { error: (err as Error).message });
      reconnect = setTimeout(() => void connectAndCatchUp(), options.reconnectMs ?? 1000);
      reconnect.unref();
    }
  };

  await connect();
  return {
    announce(tenantId, runId, seq) {
      const c = client;
      if (!c) return;
      const payload = JSON.stringify({ i: instanceId, t: tenantId, r: runId, s: seq } satisfies Notice);
      c.query("SELECT pg_notify($1, $2)", [RUN_EVENTS_CHANNEL, payload]).catch((err: unknown) => {
        log.warn("could not announce a run event", { runId, error: (err as Error).message });
      });
    },
    async close() {
      closed = true;
      if (reconnect) clearTimeout(reconnect);
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
