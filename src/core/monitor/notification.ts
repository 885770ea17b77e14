import { STATUS_SUB_PAGE_ID } from "../contract/monitor";

/**
 * The Teams side of an alert: the deep link into the tab's Status view and the body of Graph's
 * sendActivityNotification. Sources: Microsoft Graph v1.0 "userTeamwork: sendActivityNotification"
 * and "team: sendActivityNotification" (https://learn.microsoft.com/graph/api/userteamwork-sendactivitynotification,
 * https://learn.microsoft.com/graph/api/team-sendactivitynotification): `topic` (source "text" needs
 * `webUrl`), `activityType` declared in the app manifest, `previewText.content` (Teams shows 150
 * characters), `templateParameters` for the manifest's templateText, and for a team the
 * `recipient` (channelMembersNotificationRecipient with teamId and channelId). Deep links to a tab:
 * https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/deep-link-application
 * (`/l/entity/<appId>/<entityId>?context={"subEntityId": ...}`).
 */

/** The personal tab's entityId in manifest/manifest.template.json. */
export const STATUS_TAB_ENTITY_ID = "setup";

/** Activity types declared in the manifest (`activities.activityTypes`), with their template parameter. */
export const ACTIVITY_ALERT = "journalingAlert";
export const ACTIVITY_RESOLVED = "journalingResolved";
export const TEMPLATE_PARAMETER = "alertTitle";

export function statusDeepLink(teamsAppId: string): string {
  const context = encodeURIComponent(JSON.stringify({ subEntityId: STATUS_SUB_PAGE_ID }));
  return `https://teams.microsoft.com/l/entity/${encodeURIComponent(teamsAppId)}/${STATUS_TAB_ENTITY_ID}?context=${context}`;
}

export interface NotificationInput {
  readonly kind: "raised" | "updated" | "resolved";
  readonly title: string;
  readonly text: string;
  readonly action: string;
  readonly deepLink: string;
  /**
   * An alert's raise and updates share a chain: Graph's chainId "is used to override a previous
   * notification", so an update replaces the raise in the feed. The resolved notice has none, so the
   * feed keeps both the problem and its resolution.
   */
  readonly chainId?: number;
}

const PREVIEW_MAX = 150;

export function activityNotificationBody(n: NotificationInput): Record<string, unknown> {
  const preview = n.kind === "resolved" ? "Cleared. Nothing to do." : `${n.text} Fix: ${n.action}`;
  return {
    topic: { source: "text", value: "Journaling", webUrl: n.deepLink },
    activityType: n.kind === "resolved" ? ACTIVITY_RESOLVED : ACTIVITY_ALERT,
    ...(n.chainId !== undefined ? { chainId: n.chainId } : {}),
    previewText: { content: preview.length > PREVIEW_MAX ? `${preview.slice(0, PREVIEW_MAX - 1)}…` : preview },
    templateParameters: [{ name: TEMPLATE_PARAMETER, value: n.kind === "updated" ? `${n.title} (updated)` : n.title }],
  };
}

/** The team-scoped variant: the same body with the channel's members as recipients. */
export function channelNotificationBody(
  n: NotificationInput,
  channel: { readonly teamId: string; readonly channelId: string },
): Record<string, unknown> {
  return {
    ...activityNotificationBody(n),
    recipient: {
      "@odata.type": "microsoft.graph.channelMembersNotificationRecipient",
      teamId: channel.teamId,
      channelId: channel.channelId,
    },
  };
}

/** A positive 53-bit number from an alert id, stable across restarts (Graph's chainId is Int64). */
export function chainIdOf(alertId: string): number {
  let h = 0;
  for (let i = 0; i < alertId.length; i++) h = (Math.imul(h, 31) + alertId.charCodeAt(i)) | 0;
  return (h >>> 0) + 1;
}
