/**
 * The teams-js 2.58 host protocol as the dev host speaks it: the runtime announced on `initialize`
 * and the legacy context returned by `getContext` (teams-js maps those names to its v2 shape).
 * Pure: imported by the bundled host page and by the server that renders its configuration.
 * Measured against teams-js 2.58 (reference m365-hosts-auth.md §5).
 */

export const HOST_NAMES = ["Teams", "TeamsModern", "Outlook", "OutlookWin32", "Office"] as const;
export type DevHostName = (typeof HOST_NAMES)[number];

/** teams-js theme names (`default` is the light theme). */
export const THEMES = ["default", "dark", "contrast"] as const;
export type DevHostTheme = (typeof THEMES)[number];

export const FRAME_CONTEXTS = ["content", "settings"] as const;
export type DevHostFrameContext = (typeof FRAME_CONTEXTS)[number];

/** Capabilities the host can announce in `runtime.supports` (teams-js `isSupported()` tests these keys). */
export const CAPABILITIES = [
  "app",
  "pages.config",
  "pages.currentApp",
  "sharing",
  "nestedAppAuth",
  "authentication",
] as const;
export type DevHostCapability = (typeof CAPABILITIES)[number];

/** The version the host claims; teams-js compares it with its own for feature gates. */
export const HOST_SDK_VERSION = "2.58.0";

export interface ChannelInfo {
  channelId: string;
  channelName: string;
  teamId: string;
  teamName: string;
  groupId: string;
}

/** A channel for channel-tab pages when none is configured: shaped like Teams ids, clearly fake. */
export const DEFAULT_CHANNEL: ChannelInfo = {
  channelId: "19:devhost-it-operations@thread.tacv2",
  channelName: "IT Operations",
  teamId: "19:devhost-team@thread.tacv2",
  teamName: "Contoso IT",
  groupId: "00000000-0000-4000-8000-00000000d3a1",
};

/** The signed-in user as the host knows it (from the emulator's ID token). */
export interface HostUser {
  oid: string;
  tenantId: string;
  upn: string;
  name: string;
  /** MSAL's `homeAccountId` (`<uid>.<utid>` from client_info). */
  homeAccountId: string;
  /** The authority host MSAL caches accounts under, e.g. `localhost:4443`. */
  environment: string;
}

/** Everything the host page needs; the server renders it into the page as JSON. */
export interface DevHostPageConfig {
  appUrl: string;
  hostName: DevHostName;
  theme: DevHostTheme;
  frameContext: DevHostFrameContext;
  entityId: string;
  subPageId: string | null;
  locale: string;
  capabilities: DevHostCapability[];
  naaRecommended: boolean;
  channel: ChannelInfo | null;
  user: HostUser | null;
  /** Why the user is unknown (sign-in failed), shown on the page and in the log. */
  userError: string | null;
  /** Absolute path of the page's token endpoint (`<prefix>token`). */
  tokenPath: string;
}

/**
 * Capabilities Microsoft's hosts offer by default. Configurable tabs are Teams only (reference §1);
 * the share-to-chat dialog is a Teams feature, so Outlook / Office do not announce `sharing`.
 */
export function defaultCapabilities(hostName: DevHostName): DevHostCapability[] {
  const teams = hostName === "Teams" || hostName === "TeamsModern";
  return teams
    ? ["app", "pages.config", "pages.currentApp", "sharing", "nestedAppAuth", "authentication"]
    : ["app", "pages.currentApp", "nestedAppAuth", "authentication"];
}

/** `runtime` JSON for the `initialize` reply. */
export function buildRuntime(config: Pick<DevHostPageConfig, "capabilities" | "naaRecommended">): object {
  const has = (c: DevHostCapability): boolean => config.capabilities.includes(c);
  const supports: Record<string, object> = {};
  if (has("app")) supports.app = {};
  const pages: Record<string, object> = {};
  if (has("pages.config")) pages.config = {};
  if (has("pages.currentApp")) pages.currentApp = {};
  if (Object.keys(pages).length > 0) supports.pages = pages;
  if (has("sharing")) supports.sharing = {};
  if (has("nestedAppAuth")) supports.nestedAppAuth = {};
  if (has("authentication")) supports.authentication = {};
  return { apiVersion: 4, hostVersionsInfo: {}, isNAAChannelRecommended: config.naaRecommended, supports };
}

/** `initialize` reply args: frameContext, hostClientType, version, runtime (the NAA bridge parses the 4th). */
export function initializeReply(config: DevHostPageConfig): unknown[] {
  return [config.frameContext, "web", HOST_SDK_VERSION, JSON.stringify(buildRuntime(config))];
}

/** `getContext` reply: the legacy (v1) context names that teams-js maps to `app.Context`. */
export function legacyContext(config: DevHostPageConfig): Record<string, unknown> {
  const context: Record<string, unknown> = {
    hostName: config.hostName,
    hostClientType: "web",
    theme: config.theme,
    locale: config.locale,
    entityId: config.entityId,
    frameContext: config.frameContext,
    appLaunchId: "devhost-launch",
    sessionId: "devhost-session",
    isFullScreen: false,
    isMultiWindow: false,
    userLicenseType: "Unknown",
    tenantSKU: "enterprise",
  };
  if (config.subPageId !== null) context.subEntityId = config.subPageId;
  if (config.user !== null) {
    context.tid = config.user.tenantId;
    context.userObjectId = config.user.oid;
    context.userPrincipalName = config.user.upn;
    context.loginHint = config.user.upn;
    context.userDisplayName = config.user.name;
  }
  if (config.channel !== null) {
    Object.assign(context, config.channel, { channelType: "Regular", userTeamRole: 0 });
  }
  return context;
}

/** Reasons `authentication.getAuthToken` fails with (the strings Teams uses, so the pane can branch). */
export function authTokenFailureReason(error: string, description: string): string {
  if (error === "consent_required" || /AADSTS65001/.test(description)) return "resourceRequiresConsent";
  if (error === "interaction_required") return "interaction_required";
  return `${error}: ${description.split(/\r?\n/)[0] ?? ""}`.trim();
}

/** NAA bridge error status for an Entra error (msal-browser maps USER_INTERACTION_REQUIRED to InteractionRequiredAuthError). */
export function bridgeStatusFor(error: string): string {
  if (error === "consent_required" || error === "interaction_required" || error === "invalid_grant") {
    return "USER_INTERACTION_REQUIRED";
  }
  if (error === "network_error") return "NO_NETWORK";
  if (error === "user_cancelled") return "USER_CANCEL";
  return "PERSISTENT_ERROR";
}
