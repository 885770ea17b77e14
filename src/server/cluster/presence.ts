import { Client } from "pg";
import type { Logger } from "../log";

/**
 * Which backend instances share the database right now, so that limits meant per tenant (Exchange's
 * concurrent requests, the message-trace budget) hold across them: each instance takes its share,
 * the limit over the live instances. Instances say hello on a PostgreSQL channel every few seconds
 * (and answer a newcomer at once, so a new instance learns of the others before its first request
 * is served) and goodbye when they stop; one not heard from for three rounds counts as gone.
 */
export interface InstancePresence {
  /** Live instances, this one included (at least 1). */
  live(): number;
  close(): Promise<void>;
}

export const SINGLE_INSTANCE: InstancePresence = { live: () => 1, close: () => Promise.resolve() };

/** This instance's part of a limit the live instances share (at least 1, so nothing stops outright). */
export function shareOf(limit: number, presence: InstancePresence): number {
  return Math.max(1, Math.floor(limit / Math.max(1, presence.live())));
}

export const PRESENCE_CHANNEL = "ja_instances";

export async function startPostgresPresence(options: {
  readonly url: string;
  readonly instanceId: string;
  readonly log: Logger;
  readonly everyMs?: number;
  readonly now?: () => number;
}): Promise<InstancePresence> {
  const everyMs = options.everyMs ?? 5000;
  const now = options.now ?? Date.now;
  const others = new Map<string, number>();
  let client: Client | undefined;
  let closed = false;
  let reconnect: NodeJS.Timeout | undefined;
  const say = async (what: "hello" | "bye"): Promise<void> => {
    const c = client;
    if (!c) return;
    await c.query("SELECT pg_notify($1, $2)", [PRESENCE_CHANNEL, JSON.stringify({ i: options.instanceId, what })]);
  };
  const heard = (payload: string | undefined): void => {
    let n: { i?: unknown; what?: unknown };
    try {
      n = JSON.parse(payload ?? "") as { i?: unknown; what?: unknown };
    } catch {
      return;
    }
    if (typeof n.i !== "string" || n.i === options.instanceId) return;
    if (n.what === "bye") {
      others.delete(n.i);
      return;
    }
    const known = others.has(n.i);
    others.set(n.i, now());
    // A newcomer: answer at once, so it counts us before it serves anything.
    if (!known && !closed) say("hello").catch(() => undefined);
  };
  // A lost connection: the others stop hearing us (and we them) until it is back; try every second.
  const reconnectSoon = (why: string): void => {
    if (closed) return;
    options.log.warn("instance presence lost its database connection; reconnecting", { error: why });
    reconnect = setTimeout(() => {
      connect().catch((err: unknown) => reconnectSoon((err as Error).message));
    }, 1000);
    reconnect.unref();
  };
  const connect = async (): Promise<void> => {
    // Named, so an operator sees in pg_stat_activity which instance holds it.
    const c = new Client({
      connectionString: options.url,
      application_name: `journaling-assistant presence ${options.instanceId}`,
    });
    c.on("notification", (msg) => heard(msg.payload));
    const lost = (why: string): void => {
      if (client !== c) return;
      client = undefined;
      reconnectSoon(why);
    };
    c.on("error", (err) => lost(err.message));
    c.on("end", () => lost("connection ended"));
    await c.connect();
    await c.query(`LISTEN ${PRESENCE_CHANNEL}`);
    client = c;
    await say("hello");
  };
  await connect();
  const timer = setInterval(() => {
    say("hello").catch((err: unknown) =>
      options.log.warn("instance presence could not say hello", { error: (err as Error).message }),
    );
  }, everyMs);
  timer.unref();
  return {
    live() {
      const t = now();
      for (const [id, seen] of others) if (t - seen > 3 * everyMs) others.delete(id);
      return 1 + others.size;
    },
    async close() {
      clearInterval(timer);
      if (reconnect) clearTimeout(reconnect);
      await say("bye").catch(() => undefined);
      closed = true;
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
