import { ROLE_TEMPLATE_IDS } from "../directory/types";
import type { Caller, TenantRecord } from "./types";

/**
 * Exchange Online RBAC: who may run which cmdlet. Two sources, as in the service:
 *
 * 1. Entra roles (the token's `wids`; Exchange computes RBAC from these for delegated and app-only
 *    tokens, reference §4). Global Administrator and Exchange Administrator reach Organization
 *    Management through the synced TenantAdmins_* / ExchangeServiceAdmins_* role groups: everything.
 *    Compliance Administrator: read everything, and manage journal rules. Global Reader: read-only.
 * 2. Exchange's own role groups, whose membership Exchange keeps (ExchangeState.roleGroups) and Entra
 *    knows nothing of: a member of Organization Management with no Entra role can still run every
 *    cmdlet here. Each role group holds management roles; each role makes cmdlets available.
 *
 * Anyone else: nothing; the service answers "User is not allowed to call <cmdlet>".
 */
const JOURNAL_RULE_CMDLETS: ReadonlySet<string> = new Set([
  "New-JournalRule",
  "Set-JournalRule",
  "Enable-JournalRule",
  "Disable-JournalRule",
  "Remove-JournalRule",
]);

function isRead(cmdlet: string): boolean {
  return cmdlet.startsWith("Get-");
}

/** Entra roles, as before role groups were modelled (the tests of the Entra roles pin these). */
function entraAllows(cmdlet: string, roles: readonly string[]): boolean {
  const has = (id: string): boolean => roles.includes(id);
  if (has(ROLE_TEMPLATE_IDS.globalAdministrator) || has(ROLE_TEMPLATE_IDS.exchangeAdministrator)) return true;
  if (has(ROLE_TEMPLATE_IDS.complianceAdministrator)) return isRead(cmdlet) || JOURNAL_RULE_CMDLETS.has(cmdlet);
  if (has(ROLE_TEMPLATE_IDS.globalReader)) return isRead(cmdlet);
  return false;
}

/** The management roles the emulator models (names as Exchange Online spells them). */
export type ManagementRole =
  | "Journaling"
  | "Remote and Accepted Domains"
  | "Organization Transport Settings"
  | "Distribution Groups"
  | "Security Group Creation and Membership"
  | "Message Tracking"
  | "View-Only Configuration"
  | "View-Only Recipients"
  | "Mail Recipients"
  | "Organization Configuration";

/**
 * Built-in role groups and the modelled roles among their default roles. Source: "Permissions in
 * Exchange Online", role groups table (MicrosoftDocs/OfficeDocs-Exchange,
 * Exchange/ExchangeOnline/permissions-exo/permissions-exo.md): Organization Management holds
 * Distribution Groups, Journaling, Mail Recipients, Message Tracking, Organization Configuration,
 * Organization Transport Settings, Remote and Accepted Domains, Security Group Creation and
 * Membership, View-Only Configuration, View-Only Recipients (and more); Compliance Management holds
 * Journaling, Message Tracking, View-Only Configuration, View-Only Recipients (and Audit Logs,
 * Compliance Admin, DLP, IRM, Retention Management, Transport Rules, View-Only Audit Logs); Records
 * Management holds Journaling and Message Tracking (and Audit Logs, Retention Management, Transport
 * Rules); Recipient Management holds Distribution Groups, Mail Recipients, Message Tracking; View-Only
 * Organization Management holds View-Only Configuration and View-Only Recipients.
 */
export const ROLE_GROUP_ROLES: Readonly<Record<string, readonly ManagementRole[]>> = {
  "Organization Management": [
    "Journaling",
    "Remote and Accepted Domains",
    "Organization Transport Settings",
    "Distribution Groups",
    "Security Group Creation and Membership",
    "Message Tracking",
    "View-Only Configuration",
    "View-Only Recipients",
    "Mail Recipients",
    "Organization Configuration",
  ],
  "Compliance Management": ["Journaling", "Message Tracking", "View-Only Configuration", "View-Only Recipients"],
  "Records Management": ["Journaling", "Message Tracking"],
  "Recipient Management": ["Distribution Groups", "Mail Recipients", "Message Tracking"],
  "View-Only Organization Management": ["View-Only Configuration", "View-Only Recipients"],
};

/**
 * The roles that make each cmdlet available (any one suffices). Sources: the role groups table
 * above; Microsoft365DSC's per-resource `requiredroles` (MSFT_EXOOutboundConnector: Remote and
 * Accepted Domains + View-Only Configuration; MSFT_EXOJournalRule: Journaling); Set-TransportConfig
 * needs Organization Transport Settings or Journaling (MSFT_EXOTransportConfig `requiredroles`:
 * Organization Transport Settings, View-Only Configuration, Journaling). The Journaling role's entry
 * for Set-TransportConfig is scoped to the journaling parameters (see JOURNALING_ONLY_PARAMETERS).
 */
const CONFIG_READ: readonly ManagementRole[] = ["View-Only Configuration", "Organization Configuration"];
const RECIPIENT_READ: readonly ManagementRole[] = ["View-Only Recipients", "Mail Recipients", "Distribution Groups"];
const GROUP_CHANGE: readonly ManagementRole[] = ["Distribution Groups", "Security Group Creation and Membership"];
const CONNECTOR_CHANGE: readonly ManagementRole[] = ["Remote and Accepted Domains"];
const JOURNALING: readonly ManagementRole[] = ["Journaling"];
const TRACE: readonly ManagementRole[] = ["Message Tracking"];

const CMDLET_ROLES: Readonly<Record<string, readonly ManagementRole[]>> = {
  "Get-OutboundConnector": [...CONFIG_READ, ...CONNECTOR_CHANGE],
  "Get-InboundConnector": [...CONFIG_READ, ...CONNECTOR_CHANGE],
  "Get-AcceptedDomain": [...CONFIG_READ, ...CONNECTOR_CHANGE],
  "Get-TransportConfig": [...CONFIG_READ, "Organization Transport Settings"],
  "Get-OrganizationConfig": CONFIG_READ,
  "Get-JournalRule": [...CONFIG_READ, ...JOURNALING],
  "Get-DistributionGroup": RECIPIENT_READ,
  "Get-DistributionGroupMember": RECIPIENT_READ,
  "Get-Recipient": RECIPIENT_READ,
  "Get-Mailbox": RECIPIENT_READ,
  "Get-MessageTrace": TRACE,
  "Get-MessageTraceV2": TRACE,
  "Get-MessageTraceDetail": TRACE,
  "Get-MessageTraceDetailV2": TRACE,
  "New-OutboundConnector": CONNECTOR_CHANGE,
  "Set-OutboundConnector": CONNECTOR_CHANGE,
  "Remove-OutboundConnector": CONNECTOR_CHANGE,
  "Validate-OutboundConnector": CONNECTOR_CHANGE,
  "Set-TransportConfig": ["Organization Transport Settings", "Journaling"],
  "New-JournalRule": JOURNALING,
  "Set-JournalRule": JOURNALING,
  "Enable-JournalRule": JOURNALING,
  "Disable-JournalRule": JOURNALING,
  "Remove-JournalRule": JOURNALING,
  "New-DistributionGroup": GROUP_CHANGE,
  "Set-DistributionGroup": GROUP_CHANGE,
  "Remove-DistributionGroup": GROUP_CHANGE,
  "Add-DistributionGroupMember": GROUP_CHANGE,
  "Remove-DistributionGroupMember": GROUP_CHANGE,
  "Update-DistributionGroupMember": GROUP_CHANGE,
};

/** The Exchange role groups a delegated caller is a member of (app-only callers have none here). */
export function roleGroupsOf(record: TenantRecord, caller: Caller): string[] {
  if (caller.upn === null) return [];
  const upn = caller.upn.toLowerCase();
  const user = record.directory.users.find((u) => u.userPrincipalName.toLowerCase() === upn);
  if (!user) return [];
  return Object.entries(record.exchange.roleGroups ?? {})
    .filter(([, members]) => members.includes(user.id))
    .map(([group]) => group);
}

/** Whether the caller reaches Organization Management (by an Entra role or by membership). */
export function inOrganizationManagement(record: TenantRecord, caller: Caller): boolean {
  const roles = caller.roles;
  return (
    roles.includes(ROLE_TEMPLATE_IDS.globalAdministrator) ||
    roles.includes(ROLE_TEMPLATE_IDS.exchangeAdministrator) ||
    roleGroupsOf(record, caller).includes("Organization Management")
  );
}

/** Whether a caller with these Entra roles (`wids`) and Exchange role groups may run the cmdlet. */
export function mayRun(cmdlet: string, roles: readonly string[], roleGroups: readonly string[] = []): boolean {
  if (entraAllows(cmdlet, roles)) return true;
  const needed = CMDLET_ROLES[cmdlet] ?? [];
  return roleGroups.some((g) => (ROLE_GROUP_ROLES[g] ?? []).some((r) => needed.includes(r)));
}

/**
 * Role entries can be scoped to some of a cmdlet's parameters: the Journaling role makes
 * Set-TransportConfig available with its journaling settings only (the NDR address for undeliverable
 * journal reports), not the rest of the organisation's transport settings. A parameter outside every
 * role entry the caller holds is one PowerShell never sees: "A parameter cannot be found that matches
 * parameter name 'X'." ("Understanding management role entries", Exchange permissions docs) [emulator:
 * the exact parameter list of the Journaling entry is not published; these are the journaling ones].
 */
const JOURNALING_ONLY_PARAMETERS: ReadonlySet<string> = new Set([
  "identity",
  "journalingreportndrto",
  "journalmessageexpirationdays",
  "confirm",
  "whatif",
  "force",
]);
const COMMON_PARAMETERS: ReadonlySet<string> = new Set(
  [
    "Debug",
    "ErrorAction",
    "ErrorVariable",
    "InformationAction",
    "InformationVariable",
    "OutVariable",
    "OutBuffer",
    "PipelineVariable",
    "Verbose",
    "WarningAction",
    "WarningVariable",
  ].map((p) => p.toLowerCase()),
);

/** The first parameter the caller's role entries do not include, if any (mayRun said yes already). */
export function parameterOutsideRoles(
  cmdlet: string,
  parameters: Readonly<Record<string, unknown>>,
  roles: readonly string[],
  roleGroups: readonly string[] = [],
): string | undefined {
  if (cmdlet !== "Set-TransportConfig" || entraAllows(cmdlet, roles)) return undefined;
  const full = roleGroups.some((g) => (ROLE_GROUP_ROLES[g] ?? []).includes("Organization Transport Settings"));
  if (full) return undefined;
  return Object.keys(parameters).find(
    (name) => !JOURNALING_ONLY_PARAMETERS.has(name.toLowerCase()) && !COMMON_PARAMETERS.has(name.toLowerCase()),
  );
}
