import { newGuid, stableGuid } from "../ids";
import type { DirectoryUser, TenantDirectory } from "../directory/types";

/**
 * A tenant's Microsoft Teams, as much as the activity feed needs: the organisation's app catalog
 * (apps uploaded from a manifest), teams with their channels and members, app installations (personal
 * scope for a user, or in a team), and every activity feed notification Teams accepted. Plain JSON,
 * kept on the tenant record so the `--state` file keeps it.
 */

/** `activities.activityTypes[]` of the manifest (https://learn.microsoft.com/microsoft-365/extensibility/schema/root-activities-activity-types). */
export interface ActivityTypeDeclaration {
  type: string;
  description: string;
  templateText: string;
}

/** A teamsApp in the organisation's catalog (`distributionMethod` "organization": uploaded by the tenant). */
export interface CatalogApp {
  /** The catalog id Graph's `teamsApp.id` names (not the manifest id). */
  id: string;
  /** The manifest's `id` (Graph `externalId`). */
  externalId: string;
  displayName: string;
  version: string;
  /** `webApplicationInfo.id`: the Entra app allowed to send this app's notifications. */
  webApplicationId: string | null;
  activityTypes: ActivityTypeDeclaration[];
  /** The first static tab's entityId (deep links and the dev host open it). */
  staticTabEntityId: string | null;
}

export interface TeamChannel {
  id: string;
  displayName: string;
}

export interface TeamRecord {
  /** A team's id is its Microsoft 365 group's id. */
  id: string;
  displayName: string;
  channels: TeamChannel[];
  /** Member user object ids. */
  members: string[];
}

export interface AppInstallation {
  id: string;
  /** Catalog id of the installed app. */
  teamsAppId: string;
  scope: "user" | "team";
  /** User object id (personal scope) or team id. */
  targetId: string;
}

/** One notification as one recipient received it (what `GET /_emulator/teams/notifications` lists). */
export interface RecordedNotification {
  id: string;
  at: string;
  recipient: { id: string; userPrincipalName: string; displayName: string };
  /** `/users/{id}/teamwork/…`, `/teams/{id}/…` or `/teamwork/sendActivityNotificationToRecipients`. */
  via: "user" | "team" | "recipients";
  teamId?: string;
  channelId?: string;
  senderAppId: string;
  teamsAppId: string;
  activityType: string;
  /** The templateText with the template parameters filled in (the notification's reason line). */
  text: string;
  previewText: string | null;
  topic: { source: "entityUrl" | "text"; value: string; webUrl: string | null };
  /** Where clicking the notification goes: the topic's webUrl (text) or its entityUrl. */
  deepLink: string;
  chainId: number | null;
  templateParameters: Record<string, string>;
}

export interface TeamsTenantState {
  apps: CatalogApp[];
  teams: TeamRecord[];
  installations: AppInstallation[];
  notifications: RecordedNotification[];
}

/** The tenant record as this module needs it (the `teams` part is created on first use). */
export interface TeamsTenant {
  directory: TenantDirectory;
  teams?: TeamsTenantState;
}

/** At most this many notifications are kept per tenant, oldest dropped first [emulator]. */
export const MAX_RECORDED = 2000;

export function teamsOf(tenant: TeamsTenant): TeamsTenantState {
  tenant.teams ??= { apps: [], teams: [], installations: [], notifications: [] };
  return tenant.teams;
}

export class ManifestRejected extends Error {}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * Uploads (or updates, by manifest id) an app from its manifest JSON, as the Teams admin center's
 * "Upload an app" does. Only what the emulator uses is read; the manifest itself is validated by
 * `npm run validate` (manifest/).
 */
export function registerApp(tenant: TeamsTenant, manifest: unknown): CatalogApp {
  if (typeof manifest !== "object" || manifest === null)
    throw new ManifestRejected("the manifest must be a JSON object");
  const m = manifest as Record<string, unknown>;
  const externalId = str(m.id);
  if (externalId === undefined) throw new ManifestRejected("the manifest has no id");
  const name = m.name as { short?: unknown } | undefined;
  const web = m.webApplicationInfo as { id?: unknown } | undefined;
  const activities = (m.activities as { activityTypes?: unknown } | undefined)?.activityTypes;
  const activityTypes: ActivityTypeDeclaration[] = [];
  for (const a of Array.isArray(activities) ? (activities as unknown[]) : []) {
    const t = a as Record<string, unknown>;
    const type = str(t.type);
    const templateText = str(t.templateText);
    if (type === undefined || templateText === undefined) {
      throw new ManifestRejected("every activities.activityTypes entry needs type and templateText");
    }
    activityTypes.push({ type, description: str(t.description) ?? "", templateText });
  }
  const tabs = Array.isArray(m.staticTabs) ? (m.staticTabs as Record<string, unknown>[]) : [];
  const state = teamsOf(tenant);
  const existing = state.apps.find((a) => a.externalId.toLowerCase() === externalId.toLowerCase());
  const app: CatalogApp = {
    id: existing?.id ?? stableGuid(`${tenant.directory.tenantId}/teamsApp/${externalId.toLowerCase()}`),
    externalId,
    displayName: str(name?.short) ?? externalId,
    version: str(m.version) ?? "1.0.0",
    webApplicationId: str(web?.id)?.toLowerCase() ?? null,
    activityTypes,
    staticTabEntityId: str(tabs[0]?.entityId) ?? null,
  };
  if (existing === undefined) state.apps.push(app);
  else Object.assign(existing, app);
  return app;
}

/** A catalog app by catalog id or manifest id. */
export function findApp(state: TeamsTenantState, id: string): CatalogApp | undefined {
  const key = id.toLowerCase();
  return state.apps.find((a) => a.id === key || a.externalId.toLowerCase() === key);
}

export function findTeam(state: TeamsTenantState, id: string): TeamRecord | undefined {
  const key = id.toLowerCase();
  return state.teams.find((t) => t.id.toLowerCase() === key);
}

/** Creates or updates a team (members by UPN or object id; unknown ones are an error). */
export function upsertTeam(
  tenant: TeamsTenant,
  input: { id?: string; displayName: string; channels?: TeamChannel[]; members: string[] },
): TeamRecord {
  const members = input.members.map((m) => {
    const user = findUser(tenant.directory, m);
    if (user === undefined) throw new ManifestRejected(`no user '${m}' in ${tenant.directory.initialDomain}`);
    return user.id;
  });
  const state = teamsOf(tenant);
  const id = (input.id ?? newGuid()).toLowerCase();
  const team: TeamRecord = {
    id,
    displayName: input.displayName,
    // Every team has a General channel (its id is the team's thread id).
    channels: input.channels ?? [{ id: `19:${id.replace(/-/g, "")}@thread.tacv2`, displayName: "General" }],
    members,
  };
  const existing = findTeam(state, id);
  if (existing === undefined) state.teams.push(team);
  else Object.assign(existing, team);
  return team;
}

export function findUser(directory: TenantDirectory, idOrUpn: string): DirectoryUser | undefined {
  const key = idOrUpn.toLowerCase();
  return directory.users.find((u) => u.id === key || u.userPrincipalName.toLowerCase() === key);
}

/** Installs an app for a user (personal scope) or in a team; installing twice keeps one installation. */
export function install(
  state: TeamsTenantState,
  app: CatalogApp,
  scope: "user" | "team",
  targetId: string,
): AppInstallation {
  const existing = state.installations.find(
    (i) => i.teamsAppId === app.id && i.scope === scope && i.targetId === targetId,
  );
  if (existing !== undefined) return existing;
  const installation: AppInstallation = { id: newGuid(), teamsAppId: app.id, scope, targetId };
  state.installations.push(installation);
  return installation;
}

export function installedApps(state: TeamsTenantState, scope: "user" | "team", targetId: string): CatalogApp[] {
  return state.installations
    .filter((i) => i.scope === scope && i.targetId === targetId)
    .flatMap((i) => state.apps.filter((a) => a.id === i.teamsAppId));
}

export function record(state: TeamsTenantState, notification: RecordedNotification): void {
  state.notifications.push(notification);
  if (state.notifications.length > MAX_RECORDED)
    state.notifications.splice(0, state.notifications.length - MAX_RECORDED);
}
