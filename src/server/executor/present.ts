import type { Run, RunAction } from "../../core/contract";
import type { ActionRecord, RunRecord, TenantStore } from "../store/tenantStore";

/** GET /api/runs/{id} and /api/runs/active: a stored run and its actions, as the contract's Run. */
export async function presentRun(tenant: TenantStore, run: RunRecord): Promise<Run> {
  return {
    id: run.id,
    state: run.state,
    startedBy: run.startedBy,
    startedAt: run.startedAt,
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
    planHash: run.planHash,
    resumes: run.resumes,
    actions: (await tenant.actions(run.id)).map(presentAction),
  };
}

/** One stored action as the contract's RunAction (unset times and errors are left out, not null). */
export function presentAction(a: ActionRecord): RunAction {
  return {
    id: a.id,
    cmdlet: a.cmdlet,
    parameters: a.parameters,
    reason: a.reason,
    dependsOn: a.dependsOn,
    state: a.state,
    attempts: a.attempts,
    ...(a.error ? { error: a.error } : {}),
    ...(a.startedAt ? { startedAt: a.startedAt } : {}),
    ...(a.finishedAt ? { finishedAt: a.finishedAt } : {}),
  };
}
