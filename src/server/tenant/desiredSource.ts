import { resolveDesiredState, type ResolvedSetup } from "../../core";
import type { TenantStore } from "../store/tenantStore";

/**
 * The setup the tenant is supposed to have: the desired state of the last successful run (what
 * was applied), else the shared draft (what the team is preparing). Status and connector
 * validation check against it.
 */
export async function currentDesired(
  tenant: TenantStore,
): Promise<{ desired: unknown; setup: ResolvedSetup } | undefined> {
  for (const desired of [(await tenant.lastSucceededRun())?.desired, (await tenant.getProgress()).draft]) {
    if (desired === undefined || desired === null) continue;
    const resolved = resolveDesiredState(desired);
    if (resolved.ok) return { desired, setup: resolved.value };
  }
  return undefined;
}
