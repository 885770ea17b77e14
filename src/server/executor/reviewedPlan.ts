import { canonicalJson, planHash, type Action } from "../../core";
import type { ActionRecord, RunRecord } from "../store/tenantStore";

type StoredStep = Pick<ActionRecord, "id" | "cmdlet" | "parameters" | "dependsOn" | "state">;

/**
 * Why the resumed run's remaining work is not what was reviewed (undefined: it is). The stored steps
 * must still hash to the run's plan hash (what the reviewer saw and POST /api/runs checked), and every
 * step the re-plan still needs must be a stored one with the same cmdlet and values; steps the re-read
 * finds in place are dropped, which only does less.
 */
export function unreviewedWork(
  run: Pick<RunRecord, "planHash">,
  stored: readonly StoredStep[],
  replanned: readonly Pick<Action, "id" | "cmdlet" | "parameters">[],
): string | undefined {
  if (planHash({ actions: stored }) !== run.planHash) {
    return "The run's stored steps no longer match the plan that was reviewed. Review the plan again and apply it.";
  }
  const byId = new Map(stored.map((a) => [a.id, a]));
  for (const a of replanned) {
    const was = byId.get(a.id);
    if (!was || (was.state !== "pending" && was.state !== "running")) {
      return `The tenant changed while the run was interrupted: it now also needs ${a.cmdlet}, which was not in the reviewed plan. Review the new plan and apply it.`;
    }
    if (was.cmdlet !== a.cmdlet || canonicalJson(was.parameters) !== canonicalJson(a.parameters)) {
      return `The tenant changed while the run was interrupted: ${a.cmdlet} now needs other values than the reviewed plan. Review the new plan and apply it.`;
    }
  }
  return undefined;
}
