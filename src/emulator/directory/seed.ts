import { stableGuid } from "../ids";
import {
  API_APP_ID,
  API_DEFAULT_CLAIMS_APP_ID,
  CONTOSO_TENANT_ID,
  CLI_APP_ID,
  DAEMON_APP_ID,
  EXCHANGE_APP,
  FABRIKAM_TENANT_ID,
  GRAPH_APP,
  PANE_APP_ID,
} from "./apps";
import {
  ROLE_TEMPLATE_IDS,
  type DirectoryGroup,
  type DirectoryUser,
  type RecipientTypeDetails,
  type SubscribedSku,
  type TenantDirectory,
} from "./types";

/**
 * The seed tenants. Everything is deterministic: object ids come from stableGuid(name), passwords
 * follow one documented rule (seedPassword), timestamps are fixed.
 */

export type SeedVariant = "default" | "gateway";

const SEED_TIME = "2026-01-05T09:00:00Z";

/** Office 365 E3 (ENTERPRISEPACK) with its Exchange Online Plan 2 service plan. */
const E3_SKU_ID = "6fd2c87f-b296-42f0-b197-1e91e994b900";
/** Exchange Online (Plan 1). */
const EXO_P1_SKU_ID = "4b9405b0-7788-4568-add1-99614e613b69";

/** Every seed account that may sign in has the password `<local part>-Pass1!` (e.g. `admin-Pass1!`). */
export function seedPassword(upn: string): string {
  const local = upn.split("@")[0] ?? upn;
  return `${local}-Pass1!`;
}

interface UserSpec {
  local: string;
  givenName: string;
  surname: string;
  /** Two-letter code: the usage location, and the country by its name. */
  country: string;
  jobTitle?: string;
  roles?: string[];
  kind?: RecipientTypeDetails;
  /** Shared mailboxes and the NDR mailbox are not sign-in accounts. */
  canSignIn?: boolean;
  sku?: string;
}

/** A person with a licensed mailbox; `name` is "Given Surname". */
function person(
  local: string,
  name: string,
  country: string,
  jobTitle?: string,
  more: Pick<UserSpec, "roles" | "sku"> = {},
): UserSpec {
  const [givenName = name, surname = ""] = name.split(" ");
  return { local, givenName, surname, country, ...(jobTitle === undefined ? {} : { jobTitle }), ...more };
}

const COUNTRY_NAMES: Record<string, string> = {
  US: "United States",
  DE: "Germany",
  FR: "France",
  IN: "India",
  SG: "Singapore",
  GB: "United Kingdom",
};

function makeUser(tenantKey: string, domain: string, spec: UserSpec): DirectoryUser {
  const upn = `${spec.local}@${domain}`;
  const kind = spec.kind ?? "UserMailbox";
  const canSignIn = spec.canSignIn ?? kind === "UserMailbox";
  const user: DirectoryUser = {
    id: stableGuid(`${tenantKey}/user/${spec.local}`),
    userPrincipalName: upn,
    displayName: spec.surname === "" ? spec.givenName : `${spec.givenName} ${spec.surname}`,
    givenName: spec.givenName,
    surname: spec.surname,
    mail: upn,
    usageLocation: spec.country,
    country: COUNTRY_NAMES[spec.country] ?? spec.country,
    jobTitle: spec.jobTitle ?? null,
    accountEnabled: canSignIn,
    userType: "Member",
    recipientTypeDetails: kind,
    roles: spec.roles ?? [],
    assignedLicenses: kind === "UserMailbox" ? [{ skuId: spec.sku ?? E3_SKU_ID, disabledPlans: [] }] : [],
    preferredDataLocation: null,
    createdDateTime: SEED_TIME,
  };
  if (canSignIn) user.password = seedPassword(upn);
  return user;
}

function makeGroup(
  tenantKey: string,
  domain: string,
  spec: {
    nickname: string;
    displayName: string;
    kind: "distribution" | "mailSecurity" | "unified";
    members: DirectoryUser[];
    /** Graph `owners` of the group (group-list-owners). */
    owners?: DirectoryUser[];
  },
): DirectoryGroup {
  const kinds = {
    distribution: { mailEnabled: true, securityEnabled: false, groupTypes: [], rtd: "MailUniversalDistributionGroup" },
    mailSecurity: { mailEnabled: true, securityEnabled: true, groupTypes: [], rtd: "MailUniversalSecurityGroup" },
    unified: { mailEnabled: true, securityEnabled: false, groupTypes: ["Unified"], rtd: "GroupMailbox" },
  } as const;
  const k = kinds[spec.kind];
  return {
    id: stableGuid(`${tenantKey}/group/${spec.nickname}`),
    displayName: spec.displayName,
    mail: `${spec.nickname}@${domain}`,
    mailNickname: spec.nickname,
    mailEnabled: k.mailEnabled,
    securityEnabled: k.securityEnabled,
    groupTypes: [...k.groupTypes],
    recipientTypeDetails: k.rtd,
    members: spec.members.map((m) => m.id),
    owners: (spec.owners ?? []).map((o) => o.id),
    createdDateTime: SEED_TIME,
  };
}

function servicePlan(servicePlanId: string, servicePlanName: string): SubscribedSku["servicePlans"][number] {
  return { servicePlanId, servicePlanName, provisioningStatus: "Success", appliesTo: "User" };
}

/** A user-licence subscription of the tenant with `units` licences bought. */
function userSku(
  tenantKey: string,
  skuId: string,
  skuPartNumber: string,
  units: number,
  servicePlans: SubscribedSku["servicePlans"],
): SubscribedSku {
  return {
    id: `${tenantKey}_${skuId}`,
    skuId,
    skuPartNumber,
    capabilityStatus: "Enabled",
    appliesTo: "User",
    prepaidUnits: { enabled: units, suspended: 0, warning: 0, lockedOut: 0 },
    servicePlans,
  };
}

function skus(tenantKey: string, e3Units: number, exoUnits: number): SubscribedSku[] {
  return [
    userSku(tenantKey, E3_SKU_ID, "ENTERPRISEPACK", e3Units, [
      servicePlan("efb87545-963c-4e0d-99df-69c6916d9eb0", "EXCHANGE_S_ENTERPRISE"),
      servicePlan("5dbe027f-2339-4123-9542-606e4d348a72", "SHAREPOINTENTERPRISE"),
      servicePlan("57ff2da0-773e-42df-b2af-ffb7a2317929", "TEAMS1"),
    ]),
    userSku(tenantKey, EXO_P1_SKU_ID, "EXCHANGESTANDARD", exoUnits, [
      servicePlan("9aaf7827-d63c-4b61-89c3-182f06f82e5c", "EXCHANGE_S_STANDARD"),
    ]),
  ];
}

/** Admin consent the product's apps hold in every tenant that installed them. */
function productGrants(
  tenantKey: string,
  withDaemon: boolean,
): Pick<TenantDirectory, "servicePrincipals" | "delegatedGrants" | "applicationGrants"> {
  const oidc = ["openid", "profile", "offline_access", "email"];
  return {
    servicePrincipals: [
      { appId: PANE_APP_ID, id: stableGuid(`${tenantKey}/sp/pane`), roles: [] },
      { appId: API_APP_ID, id: stableGuid(`${tenantKey}/sp/api`), roles: [] },
      { appId: API_DEFAULT_CLAIMS_APP_ID, id: stableGuid(`${tenantKey}/sp/api-default-claims`), roles: [] },
      { appId: CLI_APP_ID, id: stableGuid(`${tenantKey}/sp/cli`), roles: [] },
      ...(withDaemon
        ? [
            {
              appId: DAEMON_APP_ID,
              id: stableGuid(`${tenantKey}/sp/daemon`),
              roles: [ROLE_TEMPLATE_IDS.exchangeAdministrator],
            },
          ]
        : []),
    ],
    delegatedGrants: [
      {
        clientAppId: PANE_APP_ID,
        resourceAppId: GRAPH_APP.appId,
        scopes: [
          "User.Read",
          "User.ReadBasic.All",
          "User.Read.All",
          "GroupMember.Read.All",
          "LicenseAssignment.Read.All",
          ...oidc,
        ],
      },
      { clientAppId: PANE_APP_ID, resourceAppId: API_APP_ID, scopes: ["access_as_user"] },
      {
        clientAppId: API_APP_ID,
        resourceAppId: GRAPH_APP.appId,
        scopes: [
          "User.Read",
          "User.ReadBasic.All",
          "User.Read.All",
          "GroupMember.Read.All",
          "Directory.Read.All",
          "LicenseAssignment.Read.All",
          // Issue 15: the mail-flow test sends as the signed-in admin (delegated Mail.Send, least privilege
          // for user: sendMail); "was this message journaled?" reads the message's received time
          // (delegated Mail.ReadBasic, least privilege for user: list messages).
          "Mail.Send",
          "Mail.ReadBasic",
          ...oidc,
        ],
      },
      { clientAppId: API_APP_ID, resourceAppId: EXCHANGE_APP.appId, scopes: ["Exchange.Manage"] },
      // The API registered with Entra's default token claims (no `wids`): the same consent, with
      // RoleManagement.Read.Directory (least privilege to read directoryRole objects) instead of
      // Directory.Read.All, so its role look-up in Graph works as the README tells admins to set it up.
      { clientAppId: PANE_APP_ID, resourceAppId: API_DEFAULT_CLAIMS_APP_ID, scopes: ["access_as_user"] },
      {
        clientAppId: API_DEFAULT_CLAIMS_APP_ID,
        resourceAppId: GRAPH_APP.appId,
        scopes: [
          "User.Read",
          "User.ReadBasic.All",
          "User.Read.All",
          "GroupMember.Read.All",
          "RoleManagement.Read.Directory",
          "LicenseAssignment.Read.All",
          ...oidc,
        ],
      },
      { clientAppId: API_DEFAULT_CLAIMS_APP_ID, resourceAppId: EXCHANGE_APP.appId, scopes: ["Exchange.Manage"] },
      // The command line (device code): Exchange only, the same delegated permission as the API.
      { clientAppId: CLI_APP_ID, resourceAppId: EXCHANGE_APP.appId, scopes: ["Exchange.Manage"] },
      { clientAppId: CLI_APP_ID, resourceAppId: GRAPH_APP.appId, scopes: [...oidc] },
    ],
    applicationGrants: withDaemon
      ? [{ clientAppId: DAEMON_APP_ID, resourceAppId: EXCHANGE_APP.appId, appRoles: ["Exchange.ManageAsApp"] }]
      : [],
  };
}

/**
 * Who reports to whom in Contoso (Graph `manager`, by the user name before the @): a small org chart so
 * `$expand=manager` and `/users/{id}/manager`-style reads have something to find. Users not listed
 * (Megan Admin, the shared and NDR mailboxes) have no manager.
 */
const CONTOSO_MANAGERS: Readonly<Record<string, string>> = {
  "exchange.admin": "admin",
  "compliance.admin": "admin",
  user: "louis.bernard",
  "exchange.orgadmin": "exchange.admin",
  "exchange.compliance": "compliance.admin",
  "alex.wilber": "diego.siciliani",
  "diego.siciliani": "admin",
  "grady.archie": "diego.siciliani",
  "anna.schmidt": "admin",
  "jonas.becker": "anna.schmidt",
  "lena.fischer": "anna.schmidt",
  "camille.martin": "anna.schmidt",
  "louis.bernard": "admin",
  "priya.sharma": "wei.tan",
  "arjun.patel": "priya.sharma",
  "wei.tan": "admin",
  "mei.lim": "wei.tan",
};

/** Sets `managerId` from a table of user name -> manager's user name (names before the @). */
function setManagers(users: DirectoryUser[], managers: Readonly<Record<string, string>>): void {
  const byLocal = new Map(users.map((u) => [u.userPrincipalName.split("@")[0]!, u]));
  for (const [local, manager] of Object.entries(managers)) {
    const user = byLocal.get(local);
    const boss = byLocal.get(manager);
    if (user !== undefined && boss !== undefined) user.managerId = boss.id;
  }
}

export function seedContoso(): TenantDirectory {
  const key = "contoso";
  const domain = "contoso.com";
  const u = (spec: UserSpec): DirectoryUser => makeUser(key, domain, spec);
  const admins = [
    u(person("admin", "Megan Admin", "US", "IT Director", { roles: [ROLE_TEMPLATE_IDS.globalAdministrator] })),
    u(
      person("exchange.admin", "Ethan Exchange", "US", "Messaging Engineer", {
        roles: [ROLE_TEMPLATE_IDS.exchangeAdministrator],
      }),
    ),
    u(
      person("compliance.admin", "Chloe Compliance", "DE", "Compliance Officer", {
        roles: [ROLE_TEMPLATE_IDS.complianceAdministrator],
      }),
    ),
    u(person("user", "Ulrich User", "DE", "Accountant")),
    // No Entra role: Exchange admins through Exchange's own role groups only (seedExchangeRoleGroups).
    u(person("exchange.orgadmin", "Oscar Organization", "US", "Messaging Administrator")),
    u(person("exchange.compliance", "Carla Compliance", "US", "Records Officer")),
  ];
  const staff = [
    u(person("alex.wilber", "Alex Wilber", "US", "Marketing Assistant")),
    u(person("diego.siciliani", "Diego Siciliani", "US", "HR Manager")),
    u(person("grady.archie", "Grady Archie", "US", "Designer", { sku: EXO_P1_SKU_ID })),
    u(person("anna.schmidt", "Anna Schmidt", "DE", "Sales Manager")),
    u(person("jonas.becker", "Jonas Becker", "DE", "Engineer")),
    u(person("lena.fischer", "Lena Fischer", "DE", "Lawyer")),
    u(person("camille.martin", "Camille Martin", "FR", "Sales Representative")),
    u(person("louis.bernard", "Louis Bernard", "FR", "Controller")),
    u(person("priya.sharma", "Priya Sharma", "IN", "Support Lead")),
    u(person("arjun.patel", "Arjun Patel", "IN", "Developer")),
    u(person("wei.tan", "Wei Tan", "SG", "Regional Director")),
    u(person("mei.lim", "Mei Lim", "SG", "Analyst")),
  ];
  const special = [
    u({ local: "info", givenName: "Contoso Info", surname: "", country: "US", kind: "SharedMailbox" }),
    u({
      local: "journal-ndr",
      givenName: "Journal NDR",
      surname: "",
      country: "US",
      canSignIn: false,
      jobTitle: "Undeliverable journal reports",
    }),
  ];
  const users = [...admins, ...staff, ...special];
  setManagers(users, CONTOSO_MANAGERS);
  const byCountry = (c: string): DirectoryUser[] => staff.filter((s) => s.usageLocation === c);
  const g = (spec: Parameters<typeof makeGroup>[2]): DirectoryGroup => makeGroup(key, domain, spec);
  return {
    tenantId: CONTOSO_TENANT_ID,
    initialDomain: "contoso.onmicrosoft.com",
    displayName: "Contoso",
    acceptedDomains: ["contoso.onmicrosoft.com", "contoso.com"],
    countryLetterCode: "US",
    users,
    groups: [
      g({
        nickname: "sales",
        displayName: "Sales",
        kind: "distribution",
        members: [...byCountry("DE").slice(0, 1), staff[6]!, staff[0]!],
        owners: [staff[3]!],
      }),
      g({
        nickname: "finance-security",
        displayName: "Finance Security",
        kind: "mailSecurity",
        members: [admins[3]!, staff[7]!],
        owners: [staff[7]!, admins[0]!],
      }),
      g({
        nickname: "project-apollo",
        displayName: "Project Apollo",
        kind: "unified",
        members: [staff[4]!, staff[8]!, staff[10]!],
        owners: [staff[4]!],
      }),
    ],
    subscribedSkus: skus(key, 25, 5),
    ...productGrants(key, true),
  };
}

export function seedFabrikam(): TenantDirectory {
  const key = "fabrikam";
  const domain = "fabrikam.com";
  const u = (spec: UserSpec): DirectoryUser => makeUser(key, domain, spec);
  const users = [
    u(person("admin", "Fiona Admin", "GB", undefined, { roles: [ROLE_TEMPLATE_IDS.globalAdministrator] })),
    u(person("user", "Felix User", "GB")),
  ];
  setManagers(users, { user: "admin" });
  return {
    tenantId: FABRIKAM_TENANT_ID,
    initialDomain: "fabrikam.onmicrosoft.com",
    displayName: "Fabrikam",
    acceptedDomains: ["fabrikam.onmicrosoft.com", "fabrikam.com"],
    countryLetterCode: "GB",
    users,
    groups: [],
    subscribedSkus: skus(key, 10, 0),
    ...productGrants(key, false),
  };
}

/**
 * Members (user names) of Exchange Online's built-in role groups per seed tenant, beyond the Entra
 * roles that reach Organization Management through TenantAdmins_* / ExchangeServiceAdmins_*
 * (Permissions in Exchange Online, role groups table). Exchange keeps these itself; Entra knows
 * nothing of them, so the users have no Entra role.
 */
export const SEED_EXCHANGE_ROLE_GROUP_MEMBERS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  "contoso.onmicrosoft.com": {
    "Organization Management": ["exchange.orgadmin@contoso.com"],
    "Compliance Management": ["exchange.compliance@contoso.com"],
  },
};

export function seedDirectories(): TenantDirectory[] {
  return [seedContoso(), seedFabrikam()];
}
