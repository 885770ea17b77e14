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
