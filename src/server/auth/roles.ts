/**
 * Entra directory roles the backend looks at, by role template id (the `wids` claim). Exchange
 * Online documents only Global Administrator and Exchange Administrator as covering every task
 * the setup needs (connectors, transport config, groups, journal rules), so those two may change
 * things. Readers may look at the tenant; everybody in the tenant sees the shared progress.
 */
export const ROLE = {
  globalAdministrator: { id: "62e90394-69f5-4237-9190-012177145e10", name: "Global Administrator" },
  exchangeAdministrator: { id: "29232cdf-9323-42fd-ade2-1d097af3e4de", name: "Exchange Administrator" },
  complianceAdministrator: { id: "17315797-102d-40b4-93e0-432062caca18", name: "Compliance Administrator" },
  globalReader: { id: "f2ef992c-3afb-46b9-b7cf-a126ee74c451", name: "Global Reader" },
} as const;

export const CHANGE_ROLES = [ROLE.exchangeAdministrator, ROLE.globalAdministrator] as const;
export const READ_ROLES = [...CHANGE_ROLES, ROLE.globalReader, ROLE.complianceAdministrator] as const;

export const REQUIRED_ROLES_TEXT = "Exchange Administrator or Global Administrator";

/** The names of the roles that may change things, as the API reports them (`requiredRoles`). */
export const CHANGE_ROLE_NAMES: readonly string[] = CHANGE_ROLES.map((r) => r.name);

export function roleNames(wids: readonly string[]): string[] {
  const set = new Set(wids.map((w) => w.toLowerCase()));
  return Object.values(ROLE)
    .filter((r) => set.has(r.id))
    .map((r) => r.name);
}

export function hasAnyRole(wids: readonly string[], roles: readonly { readonly id: string }[]): boolean {
  const set = new Set(wids.map((w) => w.toLowerCase()));
  return roles.some((r) => set.has(r.id));
}
