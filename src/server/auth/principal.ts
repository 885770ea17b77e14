import { CHANGE_ROLES, hasAnyRole, READ_ROLES, type RolesSource } from "../../core/contract/roles";

/** The signed-in caller, from a validated access token. Every store query is scoped to tenantId. */
export interface Principal {
  readonly tenantId: string;
  readonly oid: string;
  readonly upn: string;
  readonly name: string;
  /** Directory role template ids: the token's `wids`, or from Graph when the token has none (rolesFrom). */
  readonly wids: readonly string[];
  /**
   * Where `wids` came from; "pending" = the token had no `wids` claim (the app registration's
   * groupMembershipClaims is not set) and Graph has not been asked yet. Absent = "token".
   */
  readonly rolesFrom?: RolesSource | "pending";
  /** Why the roles could not be read (rolesFrom "unavailable"), in words for the user. */
  readonly rolesProblem?: string;
  readonly scopes: readonly string[];
  /** The raw token, kept in memory only for on-behalf-of; never logged or stored. */
  readonly assertion: string;
  /** Token expiry (seconds since epoch). */
  readonly exp: number;
  /**
   * An application acting as itself (client credentials: the command line in a pipeline), not a
   * person; Exchange is called with the app-only anchor mailbox. Absent = a signed-in user.
   */
  readonly appOnly?: boolean;
  /** The address the request came from (behind a proxy: as the proxy reports it), for the audit. */
  readonly clientAddress?: string;
}

export function canChange(p: Pick<Principal, "wids">): boolean {
  return hasAnyRole(p.wids, CHANGE_ROLES);
}

export function canRead(p: Pick<Principal, "wids">): boolean {
  return hasAnyRole(p.wids, READ_ROLES);
}
