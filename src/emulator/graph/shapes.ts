import { ROLE } from "../../core/contract/roles";
import type { DirectoryGroup, DirectoryUser, SubscribedSku, TenantDirectory } from "../directory/types";
import { stableGuid } from "../ids";

/**
 * Graph's JSON for directory objects. Each resource lists its properties, its default set
 * (returned without $select) and, for users, the basic set readable with User.ReadBasic.All.
 */

export type GraphObject = Record<string, unknown>;

export const USER_DEFAULT = [
  "businessPhones",
  "displayName",
  "givenName",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "surname",
  "userPrincipalName",
  "id",
];
export const USER_BASIC = ["id", "displayName", "givenName", "surname", "mail", "userPrincipalName"];

export function userProperties(u: DirectoryUser): GraphObject {
  return {
    id: u.id,
    businessPhones: [],
    displayName: u.displayName,
    givenName: u.givenName ?? null,
    jobTitle: u.jobTitle ?? null,
    mail: u.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: u.surname ?? null,
    userPrincipalName: u.userPrincipalName,
    accountEnabled: u.accountEnabled,
    assignedLicenses: u.assignedLicenses ?? [],
    country: u.country,
    createdDateTime: u.createdDateTime ?? null,
    mailNickname: u.userPrincipalName.split("@")[0] ?? null,
    preferredDataLocation: u.preferredDataLocation ?? null,
    proxyAddresses: u.mail === null ? [] : [`SMTP:${u.mail}`],
    usageLocation: u.usageLocation,
    userType: u.userType,
  };
}

export const GROUP_DEFAULT = [
  "id",
  "deletedDateTime",
  "classification",
  "createdDateTime",
  "creationOptions",
  "description",
  "displayName",
  "expirationDateTime",
  "groupTypes",
  "isAssignableToRole",
  "mail",
  "mailEnabled",
  "mailNickname",
  "membershipRule",
  "membershipRuleProcessingState",
  "onPremisesDomainName",
  "onPremisesLastSyncDateTime",
  "onPremisesNetBiosName",
  "onPremisesSamAccountName",
  "onPremisesSecurityIdentifier",
  "onPremisesSyncEnabled",
  "preferredDataLocation",
  "preferredLanguage",
  "proxyAddresses",
  "renewedDateTime",
  "resourceBehaviorOptions",
  "resourceProvisioningOptions",
  "securityEnabled",
  "securityIdentifier",
  "theme",
  "visibility",
  "onPremisesProvisioningErrors",
  "serviceProvisioningErrors",
];

export function groupProperties(g: DirectoryGroup): GraphObject {
  const unified = g.groupTypes.includes("Unified");
  return {
    id: g.id,
    deletedDateTime: null,
    classification: null,
    createdDateTime: g.createdDateTime,
    creationOptions: unified ? ["ExchangeProvisioningFlags:481"] : [],
    description: null,
    displayName: g.displayName,
    expirationDateTime: null,
    groupTypes: g.groupTypes,
    isAssignableToRole: null,
    mail: g.mail,
    mailEnabled: g.mailEnabled,
    mailNickname: g.mailNickname,
    membershipRule: null,
    membershipRuleProcessingState: null,
    onPremisesDomainName: null,
    onPremisesLastSyncDateTime: null,
    onPremisesNetBiosName: null,
    onPremisesSamAccountName: null,
    onPremisesSecurityIdentifier: null,
    onPremisesSyncEnabled: null,
    preferredDataLocation: null,
    preferredLanguage: null,
    proxyAddresses: g.mail === null ? [] : [`SMTP:${g.mail}`],
    renewedDateTime: g.createdDateTime,
    resourceBehaviorOptions: [],
    resourceProvisioningOptions: [],
    securityEnabled: g.securityEnabled,
    securityIdentifier: `S-1-12-1-${parseInt(g.id.slice(0, 8), 16)}`,
    theme: null,
    visibility: unified ? "Private" : null,
    onPremisesProvisioningErrors: [],
    serviceProvisioningErrors: [],
  };
}

const ROLE_INFO: Record<string, { displayName: string; description: string }> = {
  [ROLE.globalAdministrator.id]: {
    displayName: ROLE.globalAdministrator.name,
    description:
      "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.",
  },
  [ROLE.exchangeAdministrator.id]: {
    displayName: ROLE.exchangeAdministrator.name,
    description: "Can manage all aspects of the Exchange product.",
  },
  [ROLE.complianceAdministrator.id]: {
    displayName: ROLE.complianceAdministrator.name,
    description: "Can read and manage compliance configuration and reports in Microsoft Entra ID and Microsoft 365.",
  },
  [ROLE.globalReader.id]: {
    displayName: ROLE.globalReader.name,
    description: "Can read everything that a Global Administrator can, but not update anything.",
  },
};

export const DIRECTORY_ROLE_DEFAULT = ["id", "deletedDateTime", "description", "displayName", "roleTemplateId"];

/** An activated directory role of the tenant (its object id differs per tenant, its template id does not). */
export function directoryRoleProperties(tenant: TenantDirectory, templateId: string): GraphObject {
  const info = ROLE_INFO[templateId] ?? { displayName: templateId, description: "" };
  return {
    id: stableGuid(`${tenant.tenantId}/directoryRole/${templateId}`),
    deletedDateTime: null,
    description: info.description,
    displayName: info.displayName,
    roleTemplateId: templateId,
  };
}

export function organizationObject(t: TenantDirectory): GraphObject {
  return {
    id: t.tenantId,
    deletedDateTime: null,
    businessPhones: [],
    city: null,
    country: null,
    countryLetterCode: t.countryLetterCode,
    createdDateTime: "2026-01-05T09:00:00Z",
    displayName: t.displayName,
    onPremisesLastSyncDateTime: null,
    onPremisesSyncEnabled: null,
    postalCode: null,
    preferredLanguage: "en",
    privacyProfile: null,
    state: null,
    street: null,
    tenantType: "AAD",
    technicalNotificationMails: [
      `admin@${t.acceptedDomains.find((d) => !d.endsWith(".onmicrosoft.com")) ?? t.initialDomain}`,
    ],
    assignedPlans: [],
    provisionedPlans: [],
    verifiedDomains: t.acceptedDomains.map((name) => ({
      capabilities: "Email, OfficeCommunicationsOnline",
      isDefault: !name.endsWith(".onmicrosoft.com"),
      isInitial: name === t.initialDomain,
      name,
      type: "Managed",
    })),
  };
}

export function skuObject(t: TenantDirectory, sku: SubscribedSku): GraphObject {
  const consumed = t.users.filter((u) => (u.assignedLicenses ?? []).some((l) => l.skuId === sku.skuId)).length;
  return {
    accountId: t.tenantId,
    accountName: t.displayName,
    appliesTo: sku.appliesTo,
    capabilityStatus: sku.capabilityStatus,
    consumedUnits: consumed,
    id: `${t.tenantId}_${sku.skuId}`,
    skuId: sku.skuId,
    skuPartNumber: sku.skuPartNumber,
    subscriptionIds: [stableGuid(`${t.tenantId}/subscription/${sku.skuId}`)],
    prepaidUnits: sku.prepaidUnits,
    servicePlans: sku.servicePlans,
  };
}

/**
 * Entra built-in role permissions (unifiedRoleDefinition.rolePermissions) for the roles the emulator knows,
 * abridged to the actions an admin tool reads for these roles ("Microsoft Entra built-in roles",
 * https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference; Global
 * Administrator holds far more actions than listed here) [emulator: abridged].
 */
const ROLE_ACTIONS: Record<string, string[]> = {
  [ROLE.globalAdministrator.id]: [
    "microsoft.directory/users/allProperties/allTasks",
    "microsoft.directory/groups/allProperties/allTasks",
    "microsoft.directory/roleAssignments/allProperties/allTasks",
    "microsoft.directory/organization/allProperties/allTasks",
    "microsoft.office365.exchange/allEntities/allProperties/allTasks",
    "microsoft.office365.complianceManager/allEntities/allTasks",
    "microsoft.office365.serviceHealth/allEntities/allTasks",
    "microsoft.office365.supportTickets/allEntities/allTasks",
    "microsoft.office365.webPortal/allEntities/standard/read",
  ],
  [ROLE.exchangeAdministrator.id]: [
    "microsoft.directory/groups/hiddenMembers/read",
    "microsoft.directory/groups.unified/create",
    "microsoft.directory/groups.unified/delete",
    "microsoft.directory/groups.unified/restore",
    "microsoft.directory/groups.unified/basic/update",
    "microsoft.directory/groups.unified/members/update",
    "microsoft.directory/groups.unified/owners/update",
    "microsoft.azure.serviceHealth/allEntities/allTasks",
    "microsoft.azure.supportTickets/allEntities/allTasks",
    "microsoft.office365.exchange/allEntities/basic/allTasks",
    "microsoft.office365.network/performance/allProperties/read",
    "microsoft.office365.serviceHealth/allEntities/allTasks",
    "microsoft.office365.supportTickets/allEntities/allTasks",
    "microsoft.office365.usageReports/allEntities/allProperties/read",
    "microsoft.office365.webPortal/allEntities/standard/read",
  ],
  [ROLE.complianceAdministrator.id]: [
    "microsoft.directory/entitlementManagement/allProperties/read",
    "microsoft.office365.complianceManager/allEntities/allTasks",
    "microsoft.office365.protectionCenter/allEntities/allTasks",
    "microsoft.office365.serviceHealth/allEntities/allTasks",
    "microsoft.office365.supportTickets/allEntities/allTasks",
    "microsoft.office365.webPortal/allEntities/standard/read",
  ],
  [ROLE.globalReader.id]: [
    "microsoft.directory/users/allProperties/read",
    "microsoft.directory/groups/allProperties/read",
    "microsoft.directory/roleAssignments/allProperties/read",
    "microsoft.directory/organization/allProperties/read",
    "microsoft.office365.exchange/allEntities/standard/read",
    "microsoft.office365.serviceHealth/allEntities/read",
    "microsoft.office365.webPortal/allEntities/standard/read",
  ],
};

/** The built-in role definitions the emulator knows (role template ids of ROLE). */
export const ROLE_DEFINITION_IDS: readonly string[] = Object.keys(ROLE_INFO);

export const ROLE_DEFINITION_DEFAULT = [
  "id",
  "description",
  "displayName",
  "isBuiltIn",
  "isEnabled",
  "resourceScopes",
  "templateId",
  "version",
  "rolePermissions",
];

/**
 * A built-in unifiedRoleDefinition (List roleDefinitions, https://learn.microsoft.com/graph/api/rbacapplication-list-roledefinitions):
 * id = templateId for built-in roles, isBuiltIn, isEnabled, version "1", rolePermissions with allowedResourceActions.
 */
export function roleDefinitionObject(templateId: string): GraphObject {
  const info = ROLE_INFO[templateId] ?? { displayName: templateId, description: "" };
  return {
    id: templateId,
    description: info.description,
    displayName: info.displayName,
    isBuiltIn: true,
    isEnabled: true,
    resourceScopes: ["/"],
    templateId,
    version: "1",
    rolePermissions: [{ allowedResourceActions: ROLE_ACTIONS[templateId] ?? [], condition: null }],
  };
}

/** A GUID's bytes in .NET order (the first three groups little-endian), as Graph encodes ids built from GUIDs. */
function guidBytes(guid: string): Buffer {
  const hex = guid.replace(/-/g, "");
  const b = Buffer.from(hex, "hex");
  return Buffer.concat([
    Buffer.from(b.subarray(0, 4)).reverse(),
    Buffer.from(b.subarray(4, 6)).reverse(),
    Buffer.from(b.subarray(6, 8)).reverse(),
    b.subarray(8),
  ]);
}

export const LICENSE_DETAILS_DEFAULT = ["id", "skuId", "skuPartNumber", "servicePlans"];

/**
 * One licenseDetails object (List licenseDetails, https://learn.microsoft.com/graph/api/user-list-licensedetails):
 * id, skuId, skuPartNumber, servicePlans[{servicePlanId, servicePlanName, provisioningStatus, appliesTo}]. The id in
 * Microsoft's example is base64url of two GUIDs (the second is the skuId); the first is taken here as the tenant id.
 * Plans in the assignment's disabledPlans come back "Disabled".
 */
export function licenseDetailsObject(
  t: TenantDirectory,
  assignment: { skuId: string; disabledPlans: string[] },
): GraphObject {
  const sku = t.subscribedSkus.find((s) => s.skuId === assignment.skuId);
  return {
    id: Buffer.concat([guidBytes(t.tenantId), guidBytes(assignment.skuId)]).toString("base64url"),
    skuId: assignment.skuId,
    skuPartNumber: sku?.skuPartNumber ?? null,
    servicePlans: (sku?.servicePlans ?? []).map((p) => ({
      servicePlanId: p.servicePlanId,
      servicePlanName: p.servicePlanName,
      provisioningStatus: assignment.disabledPlans.includes(p.servicePlanId) ? "Disabled" : p.provisioningStatus,
      appliesTo: p.appliesTo,
    })),
  };
}

/**
 * tenantInformation (tenantRelationship: findTenantInformationByDomainName,
 * https://learn.microsoft.com/graph/api/tenantrelationship-findtenantinformationbydomainname): tenantId,
 * federationBrandName (null unless branded), displayName, defaultDomainName (the example shows the
 * initial *.onmicrosoft.com domain).
 */
export function tenantInformationObject(t: TenantDirectory): GraphObject {
  return {
    tenantId: t.tenantId,
    federationBrandName: null,
    displayName: t.displayName,
    defaultDomainName: t.initialDomain,
  };
}
