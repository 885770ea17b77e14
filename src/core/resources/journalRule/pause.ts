import type { AuditEntry } from "../../contract/runs";
import type { PauseRecord } from "../types";

/** What the status says about a paused setup: "Paused since <time> by <who>". */
export function pausedSummary(p: PauseRecord): string {
  return `Paused since ${p.since} by ${p.by}`;
}

/**
 * Who paused the setup and when, from the audit: the latest succeeded Disable-JournalRule on one of
 * the setup's rules with no succeeded Enable-JournalRule on it after. Exchange itself records no
 * such thing on the rule (Get-JournalRule shows Enabled only), so without the audit (a pause made
 * by hand in Exchange) there is nothing to say and the status reads "Paused".
 */
export function pauseFromAudit(entries: readonly AuditEntry[], ruleNames: readonly string[]): PauseRecord | undefined {
  const names = new Set(ruleNames.map((n) => n.toLowerCase()));
  const identityOf = (e: AuditEntry): string =>
    typeof e.parameters.Identity === "string" ? e.parameters.Identity.toLowerCase() : "";
  const ours = entries
    .filter((e) => e.outcome.startsWith("succeeded") && names.has(identityOf(e)))
    .filter((e) => e.cmdlet === "Disable-JournalRule" || e.cmdlet === "Enable-JournalRule")
    // ISO 8601 instants in UTC sort as strings; the audit's own order is not relied on.
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const last = ours[ours.length - 1];
  if (!last || last.cmdlet !== "Disable-JournalRule") return undefined;
  return { since: last.at, by: last.by };
}
