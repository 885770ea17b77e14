import type { DirectoryUser } from "../directory/types";
import { GraphFailure, type Caller } from "../graph/routes";
import { newGuid } from "../ids";
import {
  findTeam,
  findUser,
  installedApps,
  record,
  teamsOf,
  type CatalogApp,
  type RecordedNotification,
  type TeamRecord,
  type TeamsTenant,
  type TeamsTenantState,
} from "./state";

/**
 * Teams activity feed notifications through Microsoft Graph v1.0, with Teams' checks. Sources:
 * - userTeamwork: sendActivityNotification (https://learn.microsoft.com/graph/api/userteamwork-sendactivitynotification):
 *   `POST /users/{userId | user-principal-name}/teamwork/sendActivityNotification`; permissions delegated
 *   TeamsActivity.Send, application TeamsActivity.Send.User (RSC) or TeamsActivity.Send; body topic,
 *   activityType ("must be declared in the Teams app manifest, except for the systemDefault reserved
 *   activity type"), chainId, previewText, templateParameters, teamsAppId, iconId; 204 No Content.
 * - team: sendActivityNotification (https://learn.microsoft.com/graph/api/team-sendactivitynotification):
 *   `POST /teams/{teamId}/sendActivityNotification`, application TeamsActivity.Send.Group or
 *   TeamsActivity.Send, plus `recipient` (aadUserNotificationRecipient, teamMembersNotificationRecipient,
 *   channelMembersNotificationRecipient); 204 No Content.
 * - teamwork: sendActivityNotificationToRecipients
 *   (https://learn.microsoft.com/graph/api/teamwork-sendActivityNotificationToRecipients): `recipients`,
 *   "The upper limit is 100 recipients in a single request"; "The token provided must be at least 45
 *   minutes from expiry. The API call will return a 412 Precondition Failed response if the token expires
 *   within 45 minutes"; 202 Accepted.
 * - Send activity feed notifications to users in Microsoft Teams
 *   (https://learn.microsoft.com/graph/teams-send-activityfeednotifications): the Teams app must be installed
 *   for the recipient, personally or in a team they belong to; the Entra app sending it must be the app's
 *   `webApplicationInfo.id`; topic `source` "entityUrl" (a Graph URL of a Teams resource) or "text" with a
 *   `webUrl` deep link; templateText placeholders filled from templateParameters ({actor} by Teams).
 * - Forbidden text when the app is not installed for the recipient: quoted in
 *   OfficeDev/microsoft-365-agents-toolkit#6067; missing-role text: OfficeDev/microsoft-teams-library-js#2256.
 * Wordings marked [emulator] are not confirmed by a source.
 */

export const MAX_BULK_RECIPIENTS = 100;
const BULK_TOKEN_MIN_LIFETIME_S = 45 * 60;
const SYSTEM_DEFAULT = "systemDefault";

export type FeedTarget =
  { kind: "user"; userIdOrUpn: string } | { kind: "team"; teamId: string } | { kind: "recipients" };

interface Topic {
  source: "entityUrl" | "text";
  value: string;
  webUrl: string | null;
}

const PERMISSIONS: Record<FeedTarget["kind"], { delegated: string[]; app: string[] }> = {
  user: { delegated: ["TeamsActivity.Send"], app: ["TeamsActivity.Send", "TeamsActivity.Send.User"] },
  team: { delegated: ["TeamsActivity.Send"], app: ["TeamsActivity.Send", "TeamsActivity.Send.Group"] },
  recipients: { delegated: ["TeamsActivity.Send"], app: ["TeamsActivity.Send", "TeamsActivity.Send.User"] },
};

function badRequest(message: string): GraphFailure {
  return new GraphFailure(400, "BadRequest", message);
}

function demandPermission(caller: Caller, kind: FeedTarget["kind"]): void {
  const allowed = caller.delegated ? PERMISSIONS[kind].delegated : PERMISSIONS[kind].app;
  if (allowed.some((p) => caller.permissions.has(p.toLowerCase()))) return;
  const held = caller.delegated ? (caller.claims.scp ?? "") : (caller.claims.roles ?? []).join(",");
  throw new GraphFailure(
    403,
    "Forbidden",
    `Missing ${caller.delegated ? "scope" : "role"} permissions on the request. API requires one of '${allowed.join(", ")}'. ${
      caller.delegated ? "Scopes" : "Roles"
    } on the request '${held}'.`,
  );
}

function callerAppId(caller: Caller): string {
  return (caller.claims.appid ?? caller.claims.azp ?? "").toLowerCase();
}

/** The Teams app whose `webApplicationInfo.id` is the caller's Entra app (and `teamsAppId` when given). */
function senderApp(state: TeamsTenantState, caller: Caller, teamsAppId: string | undefined): CatalogApp {
  const appId = callerAppId(caller);
  const candidates = state.apps.filter((a) => a.webApplicationId === appId);
  const app = teamsAppId === undefined ? candidates[0] : candidates.find((a) => a.id === teamsAppId.toLowerCase());
  if (app === undefined) {
    // [emulator] wording; the condition is the documented one (webApplicationInfo.id = the token's app).
    throw new GraphFailure(
      403,
      "Forbidden",
      `No Teams app in the organization's catalog has webApplicationInfo.id '${appId}'${
        teamsAppId === undefined ? "" : ` and id '${teamsAppId}'`
      }; only that app's Entra application can send its activity feed notifications.`,
    );
  }
  return app;
}

function asRecord(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest(`Invalid request body: '${name}' must be an object.`);
  }
  return value as Record<string, unknown>;
}

function requiredString(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== "string" || value.trim() === "")
    throw badRequest(`Invalid request body: '${name}' is required.`);
  return value;
}

function parseTopic(body: Record<string, unknown>): Topic {
  const topic = asRecord(body.topic, "topic");
  const source = topic.source;
  if (source !== "entityUrl" && source !== "text") {
    throw badRequest("Invalid request body: 'topic.source' must be 'entityUrl' or 'text'.");
  }
  const value = requiredString(topic, "value");
  const webUrl = typeof topic.webUrl === "string" && topic.webUrl !== "" ? topic.webUrl : null;
  if (source === "text") {
    // teamworkActivityTopic: webUrl "Required if source is text".
    if (webUrl === null)
      throw badRequest("Invalid request body: 'topic.webUrl' is required when 'topic.source' is 'text'.");
    if (!isTeamsDeepLink(webUrl)) {
      // [emulator] Teams opens the topic's webUrl inside Teams: it must be a Teams deep link.
      throw badRequest(
        `Invalid request body: 'topic.webUrl' must be a Teams deep link (https://teams.microsoft.com/l/...); got '${webUrl}'.`,
      );
    }
  }
  return { source, value, webUrl };
}

function isTeamsDeepLink(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === "https:" && u.host === "teams.microsoft.com" && u.pathname.startsWith("/l/");
  } catch {
    return false;
  }
}

function parseTemplateParameters(body: Record<string, unknown>): Record<string, string> {
  const raw = body.templateParameters;
  if (raw === undefined || raw === null) return {};
  if (!Array.isArray(raw))
    throw badRequest("Invalid request body: 'templateParameters' must be an array of keyValuePair.");
  const out: Record<string, string> = {};
  for (const item of raw as unknown[]) {
    const kv = asRecord(item, "templateParameters[]");
    if (typeof kv.name !== "string" || typeof kv.value !== "string") {
      throw badRequest("Invalid request body: each templateParameters entry needs a string 'name' and 'value'.");
    }
    out[kv.name] = kv.value;
  }
  return out;
}

/** `{name}` placeholders of a templateText, `{actor}` excepted (Teams fills it with the sender). */
function placeholders(templateText: string): string[] {
  return [...new Set([...templateText.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]!))].filter(
    (n) => n !== "actor",
  );
}

function renderText(
  app: CatalogApp,
  activityType: string,
  params: Record<string, string>,
  previewText: string | null,
): string {
  if (activityType === SYSTEM_DEFAULT) return params.systemDefaultText ?? previewText ?? "";
  const declared = app.activityTypes.find((a) => a.type === activityType);
  if (declared === undefined) {
    // [emulator] wording; the rule is the documented one.
    throw badRequest(
      `Activity type '${activityType}' is not declared in the manifest of the Teams app '${app.externalId}' (activities.activityTypes).`,
    );
  }
  const expected = placeholders(declared.templateText);
  const given = Object.keys(params);
  const missing = expected.filter((n) => !given.includes(n));
  const extra = given.filter((n) => !expected.includes(n));
  if (missing.length > 0 || extra.length > 0) {
    // [emulator] wording: the parameters must be exactly the templateText's placeholders.
    throw badRequest(
      `Template parameters do not match the templateText '${declared.templateText}' of activity type '${activityType}'.${
        missing.length > 0 ? ` Missing: ${missing.join(", ")}.` : ""
      }${extra.length > 0 ? ` Not in the template: ${extra.join(", ")}.` : ""}`,
    );
  }
  return declared.templateText.replace(/\{([A-Za-z0-9_]+)\}/g, (m, n: string) =>
    n === "actor" ? app.displayName : (params[n] ?? m),
  );
}

function recipientUser(tenant: TeamsTenant, id: string): DirectoryUser {
  const user = findUser(tenant.directory, id);
  if (user === undefined || !user.accountEnabled) {
    throw new GraphFailure(
      404,
      "Request_ResourceNotFound",
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    );
  }
  return user;
}

function teamOr404(state: TeamsTenantState, id: string): TeamRecord {
  const team = findTeam(state, id);
  if (team === undefined) throw new GraphFailure(404, "NotFound", `No team found with Group Id ${id}`); // [emulator]
  return team;
}

/** Installed for the user personally or in one of their teams (the documented requirement). */
function installedFor(state: TeamsTenantState, app: CatalogApp, user: DirectoryUser): boolean {
  if (installedApps(state, "user", user.id).some((a) => a.id === app.id)) return true;
  return state.teams.some(
    (t) => t.members.includes(user.id) && installedApps(state, "team", t.id).some((a) => a.id === app.id),
  );
}

function notInstalled(caller: Caller, path: string): GraphFailure {
  return new GraphFailure(
    403,
    "Forbidden",
    `Application with AAD App Id '${callerAppId(caller)}' is not authorized to generate custom text notifications about '${path}' to the recipient. Ensure that the expected Teams app is installed in the target scope (user, team, or chat).`,
  );
}

/** Who receives it, by target and `recipient(s)`. */
function recipientsOf(
  tenant: TeamsTenant,
  state: TeamsTenantState,
  target: FeedTarget,
  body: Record<string, unknown>,
): { users: DirectoryUser[]; team?: TeamRecord; channelId?: string } {
  if (target.kind === "user") return { users: [recipientUser(tenant, target.userIdOrUpn)] };
  if (target.kind === "recipients") {
    const list = body.recipients;
    if (!Array.isArray(list) || list.length === 0) throw badRequest("Invalid request body: 'recipients' is required.");
    if (list.length > MAX_BULK_RECIPIENTS) {
      throw badRequest(`Invalid request body: at most ${MAX_BULK_RECIPIENTS} recipients in a single request.`);
    }
    const users = (list as unknown[]).map((r) => {
      const rec = asRecord(r, "recipients[]");
      // "Only recipients of type aadUserNotificationRecipient are supported."
      if (rec["@odata.type"] !== "microsoft.graph.aadUserNotificationRecipient" || typeof rec.userId !== "string") {
        throw badRequest(
          "Invalid request body: only microsoft.graph.aadUserNotificationRecipient recipients with a userId are supported.",
        );
      }
      return recipientUser(tenant, rec.userId);
    });
    return { users: [...new Map(users.map((u) => [u.id, u])).values()] };
  }
  const team = teamOr404(state, target.teamId);
  const rec = asRecord(body.recipient, "recipient");
  switch (rec["@odata.type"]) {
    case "microsoft.graph.aadUserNotificationRecipient": {
      if (typeof rec.userId !== "string") throw badRequest("Invalid request body: 'recipient.userId' is required.");
      const user = recipientUser(tenant, rec.userId);
      // [emulator] wording: a team-scoped notification goes to the team's members.
      if (!team.members.includes(user.id))
        throw badRequest(`The recipient '${rec.userId}' is not a member of the team '${team.id}'.`);
      return { users: [user], team };
    }
    case "microsoft.graph.teamMembersNotificationRecipient":
      return { users: team.members.map((id) => recipientUser(tenant, id)), team };
    case "microsoft.graph.channelMembersNotificationRecipient": {
      const channelId = typeof rec.channelId === "string" ? rec.channelId : "";
      if (!team.channels.some((c) => c.id === channelId)) {
        throw new GraphFailure(404, "NotFound", `Channel '${channelId}' was not found in team '${team.id}'.`); // [emulator]
      }
      // A standard channel's members are the team's members.
      return { users: team.members.map((id) => recipientUser(tenant, id)), team, channelId };
    }
    default:
      throw badRequest(
        "Invalid request body: 'recipient' must be an aadUserNotificationRecipient, teamMembersNotificationRecipient or channelMembersNotificationRecipient.",
      );
  }
}

/**
 * Where clicking goes: the text topic's webUrl, or for an entityUrl topic the resource it names
 * (the recipient's installation of the app opens the app's first static tab).
 */
function deepLinkOf(
  tenant: TeamsTenant,
  state: TeamsTenantState,
  app: CatalogApp,
  topic: Topic,
  target: FeedTarget,
): string {
  if (topic.source === "text") return topic.webUrl ?? "";
  let path: string;
  try {
    path = new URL(topic.value).pathname;
  } catch {
    throw badRequest(
      `Invalid request body: 'topic.value' must be a Microsoft Graph URL when the source is 'entityUrl'.`,
    );
  }
  const m =
    /^\/(?:v1\.0|beta)\/(?:users\/([^/]+)\/teamwork\/installedApps\/([^/]+)|teams\/([^/]+)(?:\/channels\/([^/]+))?)$/i.exec(
      path,
    );
  const tabLink = `https://teams.microsoft.com/l/entity/${app.externalId}/${app.staticTabEntityId ?? ""}`;
  if (m?.[1] !== undefined && m[2] !== undefined) {
    const user = findUser(tenant.directory, decodeURIComponent(m[1]));
    const installation = state.installations.find((i) => i.id === decodeURIComponent(m[2]!));
    if (user !== undefined && installation?.targetId === user.id && installation.teamsAppId === app.id) return tabLink;
  } else if (
    m?.[3] !== undefined &&
    findTeam(state, decodeURIComponent(m[3])) !== undefined &&
    target.kind === "team"
  ) {
    return `https://teams.microsoft.com/l/team/${encodeURIComponent(decodeURIComponent(m[3]))}`;
  }
  // [emulator] wording.
  throw badRequest(
    `Invalid request body: 'topic.value' '${topic.value}' does not name a Teams resource the notification can point to.`,
  );
}

/** Validates and records one request; returns the recorded notifications (one per recipient). */
export function sendActivityNotification(
  tenant: TeamsTenant,
  caller: Caller,
  target: FeedTarget,
  rawBody: unknown,
  now: Date,
  requestPath: string,
): RecordedNotification[] {
  demandPermission(caller, target.kind);
  if (target.kind === "recipients" && (caller.claims.exp ?? 0) - now.getTime() / 1000 < BULK_TOKEN_MIN_LIFETIME_S) {
    throw new GraphFailure(412, "PreconditionFailed", "The token provided must be at least 45 minutes from expiry.");
  }
  const body = asRecord(rawBody, "body");
  const state = teamsOf(tenant);
  const teamsAppId = typeof body.teamsAppId === "string" ? body.teamsAppId : undefined;
  const app = senderApp(state, caller, teamsAppId);
  const topic = parseTopic(body);
  const activityType = requiredString(body, "activityType");
  const preview = body.previewText === undefined ? undefined : asRecord(body.previewText, "previewText").content;
  const previewText = typeof preview === "string" ? preview : null;
  const params = parseTemplateParameters(body);
  const text = renderText(app, activityType, params, previewText);
  const { users, team, channelId } = recipientsOf(tenant, state, target, body);
  if (team !== undefined && !installedApps(state, "team", team.id).some((a) => a.id === app.id)) {
    throw notInstalled(caller, requestPath);
  }
  for (const user of users) if (!installedFor(state, app, user)) throw notInstalled(caller, requestPath);
  const deepLink = deepLinkOf(tenant, state, app, topic, target);
  const chainId = typeof body.chainId === "number" && Number.isInteger(body.chainId) ? body.chainId : null;
  const at = now.toISOString();
  return users.map((user) => {
    const n: RecordedNotification = {
      id: newGuid(),
      at,
      recipient: { id: user.id, userPrincipalName: user.userPrincipalName, displayName: user.displayName },
      via: target.kind,
      ...(team === undefined ? {} : { teamId: team.id }),
      ...(channelId === undefined ? {} : { channelId }),
      senderAppId: callerAppId(caller),
      teamsAppId: app.id,
      activityType,
      text,
      previewText,
      topic,
      deepLink,
      chainId,
      templateParameters: params,
    };
    // chainId: "Used to override a previous notification": the recipient sees only the newest of a chain.
    if (chainId !== null) {
      state.notifications = state.notifications.filter(
        (o) => !(o.chainId === chainId && o.recipient.id === user.id && o.teamsAppId === app.id),
      );
    }
    record(state, n);
    return n;
  });
}
