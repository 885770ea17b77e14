import { request } from "node:https";
import type { ActivityItem } from "./page/activityFeed";

/**
 * The host page's Activity feed (Teams' Activity pane): the notifications the emulator's Teams accepted for
 * the signed-in user (`GET /_emulator/teams/notifications?tenant=&user=`). The page's CSP allows only its
 * own origin, so the host server asks the emulator on the page's behalf.
 */

/** The emulator as the host knows it (hostServer's DevHostEmulator; not imported, to keep imports one-way). */
interface EmulatorEndpoint {
  origin: string;
  tenantId: string;
  caPem?: string;
}

export function fetchActivity(emulator: EmulatorEndpoint, upn: string): Promise<ActivityItem[]> {
  const url = `${emulator.origin}/_emulator/teams/notifications?${new URLSearchParams({ tenant: emulator.tenantId, user: upn }).toString()}`;
  return new Promise((resolve, reject) => {
    const req = request(url, { ...(emulator.caPem === undefined ? {} : { ca: emulator.caPem }) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        if (res.statusCode !== 200) return reject(new Error(`the emulator answered ${res.statusCode ?? 0}`));
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { notifications?: ActivityItem[] };
          resolve(
            (body.notifications ?? []).map((n) => ({
              id: n.id,
              at: n.at,
              activityType: n.activityType,
              text: n.text,
              previewText: n.previewText,
              deepLink: n.deepLink,
            })),
          );
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
    });
    req.on("error", reject);
    req.end();
  });
}
