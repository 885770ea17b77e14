import { ROLE } from "../../core/contract/roles";

/**
 * The emulated tenant's directory (Entra ID users and groups), shared by the Entra, Graph and
 * Exchange parts of the emulator. Groups created with New-DistributionGroup land here too, so
 * Graph sees them, as in a real tenant.
 */
export type RecipientTypeDetails =
  | "UserMailbox"
  | "SharedMailbox"
  | "MailUser"
  | "MailContact"
  | "MailUniversalDistributionGroup"
  | "MailUniversalSecurityGroup"
  | "GroupMailbox";

/** Entra directory role template ids (permissions reference): the contract's, which the backend checks. */
export const ROLE_TEMPLATE_IDS = {
  globalAdministrator: ROLE.globalAdministrator.id,
  exchangeAdministrator: ROLE.exchangeAdministrator.id,
  complianceAdministrator: ROLE.complianceAdministrator.id,
  globalReader: ROLE.globalReader.id,
} as const;

export interface DirectoryUser {
  /** Object id (GUID). */
  readonly id: string;
  userPrincipalName: string;
  displayName: string;
  givenName?: string;
  surname?: string;
  mail: string | null;
  /** Only seed users who may sign in have one; never returned by any API. */
  password?: string;
  usageLocation: string | null;
  country: string | null;
  jobTitle?: string | null;
  accountEnabled: boolean;
  userType: "Member" | "Guest";
  recipientTypeDetails: RecipientTypeDetails;
  /** Directory role template ids held by the user. */
  roles: string[];
  /** Licences assigned to the user (Graph `assignedLicenses`). */
  assignedLicenses?: { skuId: string; disabledPlans: string[] }[];
  /** Graph `preferredDataLocation` (multi-geo); null in single-geo tenants. */
  preferredDataLocation?: string | null;
  createdDateTime?: string;
  /** Object id of the user's manager (Graph `manager`), when one is set. */
  managerId?: string;
}

export interface DirectoryGroup {
  readonly id: string;
  displayName: string;
  mail: string | null;
  mailNickname: string;
  mailEnabled: boolean;
  securityEnabled: boolean;
  /** ["Unified"] for Microsoft 365 groups, [] otherwise. */
  groupTypes: string[];
  recipientTypeDetails: RecipientTypeDetails;
  /** Member object ids (users or groups). */
  members: string[];
  /** Owner object ids (Graph `owners`: users, service principals); absent or empty = ownerless. */
  owners?: string[];
  /** Set when Exchange created it; Exchange's Name (may differ from displayName). */
  exchangeName?: string;
  createdDateTime: string;
}

export interface TenantDirectory {
  /** Tenant id (GUID). */
  readonly tenantId: string;
  /** Initial domain, e.g. contoso.onmicrosoft.com. */
  readonly initialDomain: string;
  displayName: string;
  /** Verified / accepted domains, the initial domain included. */
  acceptedDomains: string[];
  countryLetterCode: string;
  users: DirectoryUser[];
  groups: DirectoryGroup[];
  /** Licences the tenant bought (Graph `/subscribedSkus`). */
  subscribedSkus: SubscribedSku[];
  /** Enterprise applications (service principals) present in the tenant, with their directory roles. */
  servicePrincipals: ServicePrincipal[];
  /** Admin consent to delegated permissions (oauth2PermissionGrants with consentType AllPrincipals). */
  delegatedGrants: DelegatedGrant[];
  /** Admin consent to application permissions (appRoleAssignments of a client app on a resource). */
  applicationGrants: ApplicationGrant[];
}

export interface SubscribedSku {
  readonly id: string;
  skuId: string;
  skuPartNumber: string;
  capabilityStatus: "Enabled" | "Suspended" | "Deleted" | "LockedOut" | "Warning";
  appliesTo: "User" | "Company";
  prepaidUnits: { enabled: number; suspended: number; warning: number; lockedOut: number };
  servicePlans: { servicePlanId: string; servicePlanName: string; provisioningStatus: string; appliesTo: string }[];
}

export interface ServicePrincipal {
  /** The application's client id (appId). */
  appId: string;
  /** The service principal's object id in this tenant (the `oid` of app-only tokens). */
  readonly id: string;
  /** Directory role template ids assigned to the service principal (e.g. Exchange Administrator). */
  roles: string[];
}

export interface DelegatedGrant {
  clientAppId: string;
  resourceAppId: string;
  scopes: string[];
}

export interface ApplicationGrant {
  clientAppId: string;
  resourceAppId: string;
  appRoles: string[];
}
