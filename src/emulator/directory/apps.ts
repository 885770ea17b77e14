import { stableGuid } from "../ids";

/**
 * Application registrations known to the emulated Entra ID: Microsoft's own resource apps (Graph,
 * Exchange Online) and the product's three apps. Registrations are global, as in Entra (an app lives
 * in its home tenant); whether a tenant may use one is decided by its service principals and grants
 * (see TenantDirectory).
 */

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
    ...OIDC_SCOPES,
  ],
  appRoles: ["User.Read.All", "Group.Read.All", "GroupMember.Read.All", "Directory.Read.All", "Organization.Read.All"],
  accessTokenVersion: 1,
};

export const EXCHANGE_APP: ResourceApp = {
  appId: "00000002-0000-0ff1-ce00-000000000000",
  displayName: "Office 365 Exchange Online",
  identifierUris: ["https://outlook.office365.com", "https://outlook.office.com"],
  delegatedScopes: ["Exchange.Manage", "full_access_as_user"],
  appRoles: ["Exchange.ManageAsApp", "full_access_as_app"],
  accessTokenVersion: 1,
};

/** Tenant ids are fixed so demos, tests and the README can name them. */
export const CONTOSO_TENANT_ID = stableGuid("tenant/contoso");
export const FABRIKAM_TENANT_ID = stableGuid("tenant/fabrikam");

export const PANE_APP_ID = stableGuid("app/pane");
export const API_APP_ID = stableGuid("app/api");
export const DAEMON_APP_ID = stableGuid("app/daemon");

/** Deterministic secrets (documented in the README; the emulator is a local test tool). */
export const API_CLIENT_SECRET = "jae~api-secret-0123456789abcdefghijkl";
export const DAEMON_CLIENT_SECRET = "jae~daemon-secret-0123456789abcdefghij";

export const API_IDENTIFIER_URI = `api://localhost/${API_APP_ID}`;
export const API_SCOPE = "access_as_user";

export const API_RESOURCE: ResourceApp = {
  appId: API_APP_ID,
  displayName: "Journaling Assistant API",
  identifierUris: [API_IDENTIFIER_URI],
  delegatedScopes: [API_SCOPE],
  appRoles: [],
  accessTokenVersion: 2,
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
  },
  {
    appId: DAEMON_APP_ID,
    displayName: "Journaling Assistant (unattended)",
    homeTenantId: CONTOSO_TENANT_ID,
    signInAudience: "AzureADMyOrg",
    clientSecret: DAEMON_CLIENT_SECRET,
    allowPublicClientFlows: false,
    redirectUris: [],
  },
];

export const RESOURCE_APPS: readonly ResourceApp[] = [GRAPH_APP, EXCHANGE_APP, API_RESOURCE];

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
