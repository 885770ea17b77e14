import type { AuditEntry, CallerAccess, Run } from "../../core/contract";

/** What a redacted parameter value reads as. */
export const HIDDEN = "(hidden: readers and admins only)";

/**
 * Cmdlet parameters name people (list members, addresses): readers and admins see them; any other
 * signed-in colleague following the shared progress sees which steps ran, not their values.
 */
export function seesParameters(access: CallerAccess): boolean {
  return access.kind === "entraAdmin" || access.kind === "entraReader" || access.kind === "exchangeDecides";
}

function hide(parameters: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(parameters).map((k) => [k, HIDDEN]));
}

export function redactRun(run: Run): Run {
  return { ...run, actions: run.actions.map((a) => ({ ...a, parameters: hide(a.parameters) })) };
}

export function redactAudit(entries: readonly AuditEntry[]): AuditEntry[] {
  return entries.map((e) => ({ ...e, parameters: hide(e.parameters) }));
}
