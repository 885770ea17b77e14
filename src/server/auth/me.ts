import type { MeResponse } from "../../core/contract";
import { CHANGE_ROLE_NAMES, roleNames, type CallerAccess } from "../../core/contract/roles";
import type { Principal } from "./principal";

/** Whether this access lets the caller apply, validate and save progress (Exchange still checks each step). */
export function accessMayChange(access: CallerAccess): boolean {
  return access.kind === "entraAdmin" || access.kind === "exchangeDecides";
}

/** GET /api/me: the caller, their tenant (by display name) and what they may do, as the contract's MeResponse. */
export function presentMe(principal: Principal, tenantName: string, access: CallerAccess): MeResponse {
  return {
    user: { oid: principal.oid, upn: principal.upn, name: principal.name },
    tenant: { id: principal.tenantId, name: tenantName },
    roles: roleNames(principal.wids),
    canChange: accessMayChange(access),
    requiredRoles: CHANGE_ROLE_NAMES,
    access,
  };
}
