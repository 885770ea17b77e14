/**
 * Entra directory roles the product looks at, by role template id (the `wids` claim of an access
 * token). Exchange Online documents only Global Administrator and Exchange Administrator as
 * covering every task the setup needs (connectors, transport config, groups, journal rules), so
 * those two may change things. Readers may look at the tenant; everybody in the tenant sees the
 * shared progress. The backend checks these ids, the API reports the names (`roles`,
 * `requiredRoles`), the pane shows them and the emulator issues them.
 */
export const ROLE = {
  globalAdministrator: { id: "62e90394-69f5-4237-9190-012177145e10", name: "Global Administrator" },
  exchangeAdministrator: { id: "29232cdf-9323-42fd-ade2-1d097af3e4de", name: "Exchange Administrator" },
  complianceAdministrator: { id: "17315797-102d-40b4-93e0-432062caca18", name: "Compliance Administrator" },
  globalReader: { id: "f2ef992c-3afb-46b9-b7cf-a126ee74c451", name: "Global Reader" },
} as const;

export type RoleKey = keyof typeof ROLE;
export type Role = (typeof ROLE)[RoleKey];
/** A role template id (lower-case GUID), as in the token's `wids` claim. */
export type RoleId = Role["id"];
/** A role's display name, as the API reports it. */
export type RoleName = Role["name"];

/** Roles that may change the tenant's setup (apply, validate, save progress). */
export const CHANGE_ROLES = [ROLE.exchangeAdministrator, ROLE.globalAdministrator] as const;
/** Roles that may read the tenant's Exchange settings. */
export const READ_ROLES = [...CHANGE_ROLES, ROLE.globalReader, ROLE.complianceAdministrator] as const;

/** The names of the roles that may change things, as the API reports them (`requiredRoles`). */
export const CHANGE_ROLE_NAMES: readonly RoleName[] = CHANGE_ROLES.map((r) => r.name);
/** The names of the roles that may read the tenant, as the API reports them for a refused read. */
export const READ_ROLE_NAMES: readonly RoleName[] = READ_ROLES.map((r) => r.name);

/** The change roles in words, for messages ("… needs Exchange Administrator or Global Administrator"). */
export const REQUIRED_ROLES_TEXT: string = CHANGE_ROLE_NAMES.join(" or ");

/** The names of the known roles among these role template ids. */
export function roleNames(wids: readonly string[]): RoleName[] {
  const set = new Set(wids.map((w) => w.toLowerCase()));
  return Object.values(ROLE)
    .filter((r) => set.has(r.id))
    .map((r) => r.name);
}

export function hasAnyRole(wids: readonly string[], roles: readonly { readonly id: string }[]): boolean {
  const set = new Set(wids.map((w) => w.toLowerCase()));
  return roles.some((r) => set.has(r.id));
}

/**
 * Where the backend got the caller's Entra roles: the token's `wids` (the app registration's
 * `groupMembershipClaims` is "DirectoryRole" or "All"), Microsoft Graph
 * (`/me/transitiveMemberOf/microsoft.graph.directoryRole`, when the token has no `wids`), or nowhere
 * (Graph refused; `access.text` says why).
 */
export type RolesSource = "token" | "graph" | "unavailable";

/**
 * How the backend decided what the caller may do (GET /api/me `access`):
 * - `entraAdmin`: an Entra role that covers every step (Exchange Administrator, Global Administrator).
 * - `entraReader`: an Entra role that may only read (Global Reader, Compliance Administrator): read-only.
 * - `exchangeDecides`: no Entra admin role, but Exchange Online accepted the account (e.g. a member of
 *   the Organization Management role group): the caller may plan and apply; Exchange checks each
 *   cmdlet, and a refusal stops the run and names the role needed.
 * - `none`: no Entra admin role, and Exchange Online refused the account: read-only.
 * - `rolesUnknown`: the Entra roles could not be read (Graph refused): read-only until fixed.
 */
export const ACCESS_KINDS = ["entraAdmin", "entraReader", "exchangeDecides", "none", "rolesUnknown"] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];

export interface CallerAccess {
  readonly kind: AccessKind;
  readonly rolesFrom: RolesSource;
  /** What decided, in words the pane shows ("Entra role Exchange Administrator", "Exchange decides: …"). */
  readonly text: string;
}

/**
 * Exchange Online's management roles that allow the cmdlets the product runs, and the built-in role
 * groups that hold each one ("Permissions in Exchange Online", role groups table; connectors:
 * Remote and Accepted Domains, as Microsoft365DSC's MSFT_EXOOutboundConnector lists). For messages
 * when Exchange refuses a cmdlet; Exchange itself decides.
 */
const ROLE_GROUPS_HOLDING: Readonly<Record<string, readonly string[]>> = {
  "Remote and Accepted Domains": ["Organization Management"],
  "Organization Transport Settings": ["Organization Management"],
  Journaling: ["Organization Management", "Compliance Management", "Records Management"],
  "Distribution Groups": ["Organization Management", "Recipient Management"],
  "Message Tracking": [
    "Organization Management",
    "Compliance Management",
    "Records Management",
    "Recipient Management",
  ],
  "View-Only Configuration": ["Organization Management", "View-Only Organization Management", "Compliance Management"],
  "View-Only Recipients": ["Organization Management", "View-Only Organization Management", "Compliance Management"],
};

/** The management role a cmdlet needs, by its noun (reads need the view-only roles). */
function managementRoleFor(cmdlet: string): string | undefined {
  const [verb = "", noun = ""] = cmdlet.split("-");
  const read = verb.toLowerCase() === "get";
  if (/^MessageTrace/i.test(noun)) return "Message Tracking";
  if (/^(OutboundConnector|InboundConnector|AcceptedDomain)$/i.test(noun))
    return read ? "View-Only Configuration" : "Remote and Accepted Domains";
  if (/^TransportConfig$/i.test(noun)) return read ? "View-Only Configuration" : "Organization Transport Settings";
  if (/^JournalRule$/i.test(noun)) return read ? "View-Only Configuration" : "Journaling";
  if (/^(DistributionGroup|DistributionGroupMember)$/i.test(noun))
    return read ? "View-Only Recipients" : "Distribution Groups";
  if (/^(Recipient|Mailbox|User)$/i.test(noun)) return "View-Only Recipients";
  return undefined;
}

/**
 * What to have for a cmdlet Exchange refused, in words: "New-JournalRule needs the Exchange role
 * Journaling (role groups Organization Management, Compliance Management or Records Management),
 * or the Entra role Exchange Administrator or Global Administrator."
 */
export function exchangeRoleHint(cmdlet: string): string {
  const role = managementRoleFor(cmdlet);
  const entra = `the Entra role ${REQUIRED_ROLES_TEXT}`;
  if (role === undefined)
    return `${cmdlet} needs an Exchange role group that includes it (Organization Management has every role this setup uses), or ${entra}.`;
  const groups = ROLE_GROUPS_HOLDING[role] ?? ["Organization Management"];
  const groupText =
    groups.length === 1
      ? `role group ${groups[0]}`
      : `role groups ${groups.slice(0, -1).join(", ")} or ${groups[groups.length - 1]}`;
  return `${cmdlet} needs the Exchange role "${role}" (${groupText}), or ${entra}.`;
}
