import type { ResourcePermissions, ResourceStatus } from "../../plan/types";
import type { ResourceModule, StatusContext } from "../types";
import { pausedSummary } from "./pause";
import { diffJournalRules } from "./diff";

/**
 * The journal rule cmdlets are in the "Journaling" role, held by Organization Management, Compliance
 * Management and Records Management (Exchange Online permissions, feature "Journaling"; reference
 * §4); Compliance Administrator reaches Compliance Management. Reads in "View-Only Configuration".
 */
export const permissions: ResourcePermissions = {
  read: { exchangeRoles: ["View-Only Configuration"], entraRoles: ["Global Reader", "Exchange Administrator"] },
  change: {
    exchangeRoles: ["Journaling"],
    entraRoles: ["Exchange Administrator", "Global Administrator", "Compliance Administrator"],
  },
};

/** "Paused since <time> by <who>" when the audit knows who paused it; the time stays ISO 8601 (the UI formats it). */
function pausedText(status: ResourceStatus, context: StatusContext): string {
  const p = context.paused;
  return p ? `${status.label}: ${pausedSummary(p)}.` : `${status.label}: Paused.`;
}

export const journalRule: ResourceModule = {
  kind: "journalRule",
  reads: [{ cmdlet: "Get-JournalRule", shape: "all", parameters: {} }],
  permissions,
  ordering: {
    // A rule needs the NDR address (Exchange refuses rules without it), its connector and its list.
    needs: ["transportConfig", "outboundConnector", "distributionGroup"],
    // Removals free places under the 50-rule limit before creations; a rule is switched on last.
    steps: [
      ["Remove-JournalRule"],
      ["New-JournalRule", "Set-JournalRule"],
      ["Enable-JournalRule", "Disable-JournalRule"],
    ],
  },
  diff: diffJournalRules,
  statusText(status, context) {
    switch (status.state) {
      case "ok":
        return `${status.label}: as the setup wants.`;
      case "missing":
        return `${status.label}: missing.`;
      case "paused":
        return pausedText(status, context);
      case "unwanted":
        return `${status.label}: to be removed.`;
      default:
        return `${status.label}: ${status.drift.map((d) => `${d.property} is ${String(d.actual)}, should be ${String(d.desired)}`).join("; ")}.`;
    }
  },
};
