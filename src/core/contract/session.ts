import type { ObservedState } from "../observed/types";
import type { Plan, ResourceStatus } from "../plan/types";
import type { CallerAccess, RoleName } from "./roles";

/** GET /api/me: who is signed in, and what they may do. */
export interface MeResponse {
  readonly user: { readonly oid: string; readonly upn: string; readonly name: string };
  readonly tenant: { readonly id: string; readonly name: string };
  /** The caller's roles that the product knows (display names). */
  readonly roles: readonly RoleName[];
  /** Whether the caller may apply, validate and save progress (for `exchangeDecides`, Exchange checks each step). */
  readonly canChange: boolean;
  /** The roles that may change things. */
  readonly requiredRoles: readonly RoleName[];
  /** How that was decided: an Entra role, or Exchange Online's own role groups ("Exchange decides"). */
  readonly access: CallerAccess;
}

/** GET /api/tenant/state: the tenant as Exchange reports it (the Get- cmdlets' objects), and when it was read. */
export type TenantStateResponse = ObservedState & { readonly readAt: string };

/** POST /api/plan: the plan the server computed from the desired state and a fresh read of the tenant. */
export interface PlanResponse {
  readonly plan: Plan;
  /** Send it back with POST /api/runs: the run starts only if the tenant still plans to the same actions. */
  readonly planHash: string;
  readonly status: readonly ResourceStatus[];
  /** The plan as a PowerShell script, for review or to run by hand. */
  readonly script: string;
  readonly readAt: string;
}

/** GET /api/runs/{id}/undo: the plan that restores what a finished run changed. */
export interface UndoPlanResponse {
  readonly undoOf: string;
  readonly plan: Plan;
  /** Send it back with POST /api/runs {undoOf, planHash}. */
  readonly planHash: string;
  readonly script: string;
  readonly readAt: string;
}
