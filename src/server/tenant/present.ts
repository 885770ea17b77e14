import { planHash, renderScript, type Plan, type PlanResult } from "../../core";
import type { PlanResponse, TenantStateResponse, UndoPlanResponse } from "../../core/contract";
import type { ObservedRead } from "./observe";

/** GET /api/tenant/state: the observed state and when it was read, as the contract's TenantStateResponse. */
export function presentTenantState(read: ObservedRead): TenantStateResponse {
  return { ...read.observed, readAt: read.readAt };
}

/** POST /api/plan: a successful plan, its hash, the per-resource status and the script, as the contract's PlanResponse. */
export function presentPlan(result: Extract<PlanResult, { ok: true }>, readAt: string): PlanResponse {
  return {
    plan: result.plan,
    planHash: planHash(result.plan),
    status: result.status,
    script: renderScript(result.plan, {
      title: `Journaling to ${result.setup.profile.product} for ${result.setup.customer}`,
    }),
    readAt,
  };
}

/** GET /api/runs/{id}/undo: the undo plan of a finished run, its hash and script, as the contract's UndoPlanResponse. */
export function presentUndoPlan(
  undo: { plan: Plan; undone: { id: string; startedBy: string; startedAt: string } },
  readAt: string,
): UndoPlanResponse {
  return {
    undoOf: undo.undone.id,
    plan: undo.plan,
    planHash: planHash(undo.plan),
    script: renderScript(undo.plan, {
      title: `Undo of the run ${undo.undone.id} (${undo.undone.startedBy}, ${undo.undone.startedAt})`,
    }),
    readAt,
  };
}
