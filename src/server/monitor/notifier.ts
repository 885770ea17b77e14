import type { AlertNotification, MonitorChannel, MonitorRecipient } from "../../core/contract";
import {
  activityNotificationBody,
  channelNotificationBody,
  chainIdOf,
  type NotificationInput,
} from "../../core/monitor/notification";
import type { AppOnlyTokenProvider } from "../auth/appOnly";
import type { Logger } from "../log";
import type { HttpSend } from "../net/httpClient";

/**
 * Teams activity feed notifications through Microsoft Graph v1.0, app-only (TeamsActivity.Send):
 * `POST /users/{user-principal-name}/teamwork/sendActivityNotification` to each chosen admin, or
 * `POST /teams/{teamId}/sendActivityNotification` with the channel's members as recipient. Graph
 * answers 204 No Content on success
 * (https://learn.microsoft.com/graph/api/userteamwork-sendactivitynotification). Only the recipients
 * Graph accepted are recorded as notified; a refusal is logged with Graph's message. The body has no
 * `teamsAppId`: Graph means the app's catalog id there (not the manifest id), and needs it only when
 * several installed apps share the Entra app id, which ours never do.
 */
export interface AlertToSend {
  readonly id: string;
  readonly kind: NotificationInput["kind"];
  readonly title: string;
  readonly text: string;
  readonly action: string;
  readonly deepLink: string;
}

export interface Notifier {
  send(
    tenantId: string,
    alert: AlertToSend,
    to: { recipients: readonly MonitorRecipient[]; channel: MonitorChannel | null },
  ): Promise<AlertNotification[]>;
}

export function createGraphNotifier(deps: {
  readonly graphUrl: string;
  readonly send: HttpSend;
  readonly tokens: AppOnlyTokenProvider;
  readonly log: Logger;
  readonly now?: () => number;
}): Notifier {
  const origin = new URL(deps.graphUrl).origin;
  const now = deps.now ?? Date.now;
  const post = async (tenantId: string, path: string, body: Record<string, unknown>): Promise<boolean> => {
    const { token } = await deps.tokens.acquire(tenantId, "graph");
    const res = await deps.send({
      method: "POST",
      url: `${origin}/v1.0${path}`,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
      timeoutMs: 30_000,
    });
    if (res.status >= 200 && res.status < 300) return true;
    deps.log.warn("activity notification refused", {
      tenantId,
      path,
      status: res.status,
      body: res.text.slice(0, 500),
    });
    return false;
  };
  return {
    async send(tenantId, alert, to) {
      const input: NotificationInput = {
        kind: alert.kind,
        title: alert.title,
        text: alert.text,
        action: alert.action,
        deepLink: alert.deepLink,
        ...(alert.kind === "resolved" ? {} : { chainId: chainIdOf(alert.id) }),
      };
      const done: AlertNotification[] = [];
      const at = (): string => new Date(now()).toISOString();
      const attempt = async (what: string, fn: () => Promise<boolean>): Promise<void> => {
        try {
          if (await fn()) done.push({ upn: what, at: at(), kind: alert.kind });
        } catch (err) {
          deps.log.warn("activity notification failed", { tenantId, to: what, error: (err as Error).message });
        }
      };
      if (to.channel) {
        const channel = to.channel;
        await attempt(`channel:${channel.teamId}/${channel.channelId}`, () =>
          post(tenantId, `/teams/${encodeURIComponent(channel.teamId)}/sendActivityNotification`, {
            ...channelNotificationBody(input, channel),
          }),
        );
      }
      for (const r of to.recipients) {
        await attempt(r.upn, () =>
          post(
            tenantId,
            `/users/${encodeURIComponent(r.upn)}/teamwork/sendActivityNotification`,
            activityNotificationBody(input),
          ),
        );
      }
      return done;
    },
  };
}
