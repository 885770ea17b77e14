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
  const client = new Client({ connectionString: options.url });
  let closed = false;
  const say = (what: "hello" | "bye"): Promise<void> =>
    client
      .query("SELECT pg_notify($1, $2)", [PRESENCE_CHANNEL, JSON.stringify({ i: options.instanceId, what })])
      .then(() => undefined);
  client.on("notification", (msg) => {
    let n: { i?: unknown; what?: unknown };
    try {
      n = JSON.parse(msg.payload ?? "") as { i?: unknown; what?: unknown };
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
  });
  client.on("error", (err) =>
    options.log.warn("instance presence lost its database connection", { error: err.message }),
  );
  await client.connect();
  await client.query(`LISTEN ${PRESENCE_CHANNEL}`);
  await say("hello");
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
      closed = true;
      clearInterval(timer);
      await say("bye").catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
