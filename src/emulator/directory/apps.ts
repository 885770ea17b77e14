import { stableGuid } from "../ids";

/**
 * Application registrations known to the emulated Entra ID: Microsoft's own resource apps (Graph,
 * Exchange Online) and the product's three apps. Registrations are global, as in Entra (an app lives
 * in its home tenant); whether a tenant may use one is decided by its service principals and grants
 * (see TenantDirectory).
 */

/**
 * The app manifest's `groupMembershipClaims`: which group and role claims Entra puts in tokens for
 * the app. `wids` (directory roles) is emitted only with "DirectoryRole" or "All"; a new app
 * registration has none (null). Access tokens are built from the manifest of the *resource* (the
 * API the token is for), never of the client. Sources: Microsoft identity platform, access token
 * claims reference (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference,
 * `wids`: "configured on a per-application basis, through the groupMembershipClaims property of the
 * application manifest. Setting it to All or DirectoryRole is required") and optional claims
 * (https://learn.microsoft.com/entra/identity-platform/optional-claims: "Access tokens are always
 * generated using the manifest of the resource, not the client").
 */
export type GroupMembershipClaims = "None" | "SecurityGroup" | "DirectoryRole" | "ApplicationGroup" | "All";

/** Whether tokens for a resource with this manifest setting carry `wids`. */
export function emitsDirectoryRoles(setting: GroupMembershipClaims | null): boolean {
  return setting === "DirectoryRole" || setting === "All";
}

/** An API that tokens can be issued for. */
export interface ResourceApp {
  readonly appId: string;
  readonly displayName: string;
  /** Application ID URIs; the first one is the canonical form used in scopes. */
  readonly identifierUris: readonly string[];
  /** Delegated permissions (oauth2PermissionScopes) by value. */
  readonly delegatedScopes: readonly string[];
  /** Application permissions (appRoles) by value. */
  readonly appRoles: readonly string[];
  /** Token format the resource accepts: Microsoft's first-party APIs get v1 tokens. */
  readonly accessTokenVersion: 1 | 2;
  /** The resource app's manifest `groupMembershipClaims` (null = not set, as for a new registration). */
  readonly groupMembershipClaims: GroupMembershipClaims | null;
}

export interface AppRegistration {
  readonly appId: string;
  readonly displayName: string;
  readonly homeTenantId: string;
  readonly signInAudience: "AzureADMyOrg" | "AzureADMultipleOrgs";
  /** Confidential clients have a secret; public clients (the SPA) have none. */
  readonly clientSecret?: string;
  /** "Allow public client flows" (needed for ROPC without a secret). */
  readonly allowPublicClientFlows: boolean;
  /** Redirect URI patterns; `*` matches any run of characters except none in the scheme. */
  readonly redirectUris: readonly string[];
  /** Set when the app exposes an API (the backend). */
  readonly api?: ResourceApp;
  /**
   * A certificate credential (`keyCredentials`) the emulator creates for the app in its data folder
   * under this name; the app may then authenticate with a signed client assertion instead of its
   * secret (see entra/appCertificates.ts and entra/clientAssertion.ts).
   */
  readonly certificate?: string;
  /**
   * The registration's `requiredResourceAccess` application permissions (app roles by value, per
   * resource appId): what admin consent (entra/adminConsent.ts) grants in a tenant. Listing them
   * grants nothing by itself, as in Entra.
   */
  readonly requiredAppRoles?: readonly { readonly resourceAppId: string; readonly appRoles: readonly string[] }[];
}

export const OIDC_SCOPES = ["openid", "profile", "email", "offline_access"] as const;

export const GRAPH_APP: ResourceApp = {
  appId: "00000003-0000-0000-c000-000000000000",
  displayName: "Microsoft Graph",
  identifierUris: ["https://graph.microsoft.com", "https://graph.microsoft.com/"],
  delegatedScopes: [
    "User.Read",
    "User.ReadBasic.All",
    "User.Read.All",
    "User.ReadWrite",
    "Group.Read.All",
    "GroupMember.Read.All",
    "Directory.Read.All",
    "Organization.Read.All",
    "LicenseAssignment.Read.All",
    "RoleManagement.Read.Directory",
    // Message trace (Graph v1.0 exchangeMessageTrace): delegated and application, no higher permission.
    "ExchangeMessageTrace.Read.All",
    // Teams activity feed (https://learn.microsoft.com/graph/api/userteamwork-sendactivitynotification).
    "TeamsActivity.Send",
    // Assigning directory roles (https://learn.microsoft.com/graph/api/rbacapplication-post-roleassignments).
    "RoleManagement.ReadWrite.Directory",
    // Outlook mail (https://learn.microsoft.com/graph/api/user-sendmail, user-list-messages).
    "Mail.Send",
    "Mail.ReadBasic",
    "Mail.Read",
    ...OIDC_SCOPES,
  ],
  appRoles: [
    "User.Read.All",
    "Group.Read.All",
    "GroupMember.Read.All",
    "Directory.Read.All",
    "Organization.Read.All",
    "ExchangeMessageTrace.Read.All",
    "TeamsActivity.Send",
    "RoleManagement.ReadWrite.Directory",
    // Installed Teams apps (https://learn.microsoft.com/graph/api/userteamwork-list-installedapps).
    "TeamsAppInstallation.ReadWriteForUser.All",
    "TeamsAppInstallation.ReadWriteForTeam.All",
    "Mail.Send",
    "Mail.ReadBasic.All",
    "Mail.Read",
  ],
  accessTokenVersion: 1,
  // [emulator] Microsoft's own manifest is not published; Graph tokens seen in the wild carry `wids`
  // (e.g. the decoded Graph token in microsoftgraph/msgraph-sdk-powershell#1782).
  groupMembershipClaims: "DirectoryRole",
};

export const EXCHANGE_APP: ResourceApp = {
  appId: "00000002-0000-0ff1-ce00-000000000000",
  displayName: "Office 365 Exchange Online",
  identifierUris: ["https://outlook.office365.com", "https://outlook.office.com"],
  delegatedScopes: ["Exchange.Manage", "full_access_as_user"],
  appRoles: ["Exchange.ManageAsApp", "full_access_as_app"],
  accessTokenVersion: 1,
  // [emulator] as for Graph: Exchange Online computes RBAC for app-only tokens from the roles in the
  // token (reference exchange-online.md §3), so its tokens carry `wids`.
  groupMembershipClaims: "DirectoryRole",
};

/** Tenant ids are fixed so demos, tests and the README can name them. */
export const CONTOSO_TENANT_ID = stableGuid("tenant/contoso");
export const FABRIKAM_TENANT_ID = stableGuid("tenant/fabrikam");

export const PANE_APP_ID = stableGuid("app/pane");
export const API_APP_ID = stableGuid("app/api");
/**
 * A second registration of the product's API, left as Entra creates it (no `groupMembershipClaims`):
 * its tokens carry no `wids`, so the backend must read the caller's directory roles from Graph.
 */
export const API_DEFAULT_CLAIMS_APP_ID = stableGuid("app/api-default-claims");
export const DAEMON_APP_ID = stableGuid("app/daemon");
/**
 * The command line's registration (`journaling-assistant apply|status` signing a person in by device
 * code): a public client ("Allow public client flows" = yes, no secret) with delegated
 * Exchange.Manage, as an admin registers it. "Device Code Flow is only available for public client
 * applications" (https://learn.microsoft.com/entra/msal/java/getting-started/device-code-flow); with
 * public client flows off, Entra answers the poll with AADSTS7000218 ("must contain ... 'client_assertion'
 * or 'client_secret'", Microsoft Q&A 446907), as tokenRequest.ts does.
 */
export const CLI_APP_ID = stableGuid("app/cli");

/** Deterministic secrets (documented in the README; the emulator is a local test tool). */
export const API_CLIENT_SECRET = "jae~api-secret-0123456789abcdefghijkl";
export const DAEMON_CLIENT_SECRET = "jae~daemon-secret-0123456789abcdefghij";

export const API_IDENTIFIER_URI = `api://localhost/${API_APP_ID}`;
export const API_DEFAULT_CLAIMS_IDENTIFIER_URI = `api://localhost/${API_DEFAULT_CLAIMS_APP_ID}`;
export const API_SCOPE = "access_as_user";

export const API_RESOURCE: ResourceApp = {
  appId: API_APP_ID,
  displayName: "Journaling Assistant API",
  identifierUris: [API_IDENTIFIER_URI],
  delegatedScopes: [API_SCOPE],
  appRoles: [],
  accessTokenVersion: 2,
  // As the README's app registration steps set it: tokens for the API carry the caller's `wids`.
  groupMembershipClaims: "DirectoryRole",
};

/** The same API registered with Entra's defaults: no `groupMembershipClaims`, so no `wids`. */
export const API_DEFAULT_CLAIMS_RESOURCE: ResourceApp = {
  appId: API_DEFAULT_CLAIMS_APP_ID,
  displayName: "Journaling Assistant API (default token claims)",
  identifierUris: [API_DEFAULT_CLAIMS_IDENTIFIER_URI],
  delegatedScopes: [API_SCOPE],
  appRoles: [],
  accessTokenVersion: 2,
  groupMembershipClaims: null,
};

export const APP_REGISTRATIONS: readonly AppRegistration[] = [
  {
    appId: PANE_APP_ID,
    displayName: "Journaling Assistant (pane)",
    homeTenantId: CONTOSO_TENANT_ID,
    signInAudience: "AzureADMultipleOrgs",
    allowPublicClientFlows: true,
    // SPA platform: any https page on localhost (the dev server picks its port) and the NAA broker.
    redirectUris: [
      "https://localhost:*",
      "https://localhost:*/*",
      "https://127.0.0.1:*/*",
      "brk-multihub://localhost",
      "brk-multihub://localhost:*",
    ],
  },
  {
    appId: API_APP_ID,
    displayName: "Journaling Assistant API",
    homeTenantId: CONTOSO_TENANT_ID,
    signInAudience: "AzureADMultipleOrgs",
    clientSecret: API_CLIENT_SECRET,
    allowPublicClientFlows: false,
    redirectUris: ["https://localhost:*/*"],
    api: API_RESOURCE,
    certificate: "api",
    // The app-only identity (issues 14 and 15): granted only by admin consent, never by the seed.
    // Mail.Send lets the mail-flow test send as a regional list's member (a rule with a list journals
    // only mail to or from its members).
    requiredAppRoles: [
      { resourceAppId: EXCHANGE_APP.appId, appRoles: ["Exchange.ManageAsApp"] },
      { resourceAppId: GRAPH_APP.appId, appRoles: ["TeamsActivity.Send", "Mail.Send"] },
    ],
  },
  {
    appId: API_DEFAULT_CLAIMS_APP_ID,
    displayName: API_DEFAULT_CLAIMS_RESOURCE.displayName,
    homeTenantId: CONTOSO_TENANT_ID,
    signInAudience: "AzureADMultipleOrgs",
    clientSecret: API_CLIENT_SECRET,
    allowPublicClientFlows: false,
    redirectUris: ["https://localhost:*/*"],
    api: API_DEFAULT_CLAIMS_RESOURCE,
  },
  {
    appId: DAEMON_APP_ID,
    displayName: "Journaling Assistant (unattended)",
    homeTenantId: CONTOSO_TENANT_ID,
    signInAudience: "AzureADMyOrg",
    clientSecret: DAEMON_CLIENT_SECRET,
    allowPublicClientFlows: false,
    redirectUris: [],
    certificate: "daemon",
  },
  {
    appId: CLI_APP_ID,
    displayName: "Journaling Assistant (command line)",
    homeTenantId: CONTOSO_TENANT_ID,
    signInAudience: "AzureADMultipleOrgs",
    allowPublicClientFlows: true,
    // Mobile and desktop platform: the native client redirect (device code itself needs none).
    redirectUris: ["https://login.microsoftonline.com/common/oauth2/nativeclient"],
  },
];

export const RESOURCE_APPS: readonly ResourceApp[] = [
  GRAPH_APP,
  EXCHANGE_APP,
  API_RESOURCE,
  API_DEFAULT_CLAIMS_RESOURCE,
];

export function findAppRegistration(appId: string): AppRegistration | undefined {
  return APP_REGISTRATIONS.find((a) => a.appId.toLowerCase() === appId.toLowerCase());
}

/** A resource by appId or by one of its identifier URIs (case-insensitive, trailing slash ignored). */
export function findResource(idOrUri: string): ResourceApp | undefined {
  const key = idOrUri.toLowerCase().replace(/\/+$/, "");
  return RESOURCE_APPS.find(
    (r) => r.appId === key || r.identifierUris.some((u) => u.toLowerCase().replace(/\/+$/, "") === key),
  );
}

/** Whether a redirect URI is registered for the app (exact match or a `*` pattern). */
export function redirectUriAllowed(app: AppRegistration, redirectUri: string): boolean {
  return app.redirectUris.some((pattern) => redirectPatternToRegex(pattern).test(redirectUri));
}

/** `:*` stands for any port (digits only, so `https://localhost:*` cannot match `https://localhost:1@evil.example`), `*` elsewhere for any path. */
function redirectPatternToRegex(pattern: string): RegExp {
  const source = pattern
    .split(/(:\*|\*)/)
    .map((part) => {
      if (part === ":*") return ":\\d{1,5}";
      if (part === "*") return "[^#?]*";
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return new RegExp(`^${source}$`, "i");
}
