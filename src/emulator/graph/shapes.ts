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
