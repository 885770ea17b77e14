import { CHANGE_ROLES, hasAnyRole, READ_ROLES } from "../../core/contract/roles";

/** The signed-in caller, from a validated access token. Every store query is scoped to tenantId. */
export interface Principal {
  readonly tenantId: string;
  readonly oid: string;
  readonly upn: string;
  readonly name: string;
  /** Directory role template ids (`wids`). */
  readonly wids: readonly string[];
  readonly scopes: readonly string[];
  /** The raw token, kept in memory only for on-behalf-of; never logged or stored. */
  readonly assertion: string;
  /** Token expiry (seconds since epoch). */
  readonly exp: number;
}

export function canChange(p: Pick<Principal, "wids">): boolean {
  return hasAnyRole(p.wids, CHANGE_ROLES);
}

export function canRead(p: Pick<Principal, "wids">): boolean {
  return hasAnyRole(p.wids, READ_ROLES);
}
