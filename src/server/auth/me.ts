import type { MeResponse } from "../../core/contract";
import { CHANGE_ROLE_NAMES, roleNames } from "../../core/contract/roles";
import { canChange, type Principal } from "./principal";

/** GET /api/me: the caller, their tenant (by display name) and what they may do, as the contract's MeResponse. */
export function presentMe(principal: Principal, tenantName: string): MeResponse {
  return {
    user: { oid: principal.oid, upn: principal.upn, name: principal.name },
    tenant: { id: principal.tenantId, name: tenantName },
    roles: roleNames(principal.wids),
    canChange: canChange(principal),
    requiredRoles: CHANGE_ROLE_NAMES,
  };
}
