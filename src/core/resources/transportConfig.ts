import { isUnsetAddress, sameAddress } from "../desired/smtp";
import type { ObservedState } from "../observed/types";
import type { ResolvedSetup } from "../plan/setup";
import type { ResourceDiff, ResourcePermissions } from "../plan/types";

/** Resource: the organization's address for undeliverable journal reports (JournalingReportNdrTo). */
export const NDR_RESOURCE = "ndr";

/**
 * Set-TransportConfig is in the "Organization Transport Settings" role; the "Journaling" role holds
 * it too, for the journaling parameters (JournalingReportNdrTo). Either one is enough here (any of
 * the listed roles). "Transport Hygiene" is the anti-spam / anti-malware role and doesn't include it.
 * Sources: learn.microsoft.com/powershell/exchange/find-exchange-cmdlet-permissions
 * (Get-ManagementRole -Cmdlet Set-TransportConfig); Exchange "Journaling role" and "Organization
 * Transport Settings role" topics (role groups: Organization Management; Journaling also Records
 * Management and Compliance Management); Microsoft365DSC EXOTransportConfig settings.json.
 */
export const permissions: ResourcePermissions = {
  read: { exchangeRoles: ["View-Only Configuration"], entraRoles: ["Global Reader", "Exchange Administrator"] },
  change: {
    exchangeRoles: ["Organization Transport Settings", "Journaling"],
    entraRoles: ["Exchange Administrator", "Global Administrator"],
  },
};

export function diffTransportConfig(setup: ResolvedSetup, observed: ObservedState): ResourceDiff {
  const actual = observed["Get-TransportConfig"].JournalingReportNdrTo;
  const label = "Address for undeliverable journal reports";
  const warnings = [
    {
      code: "ndr-mailbox-advice" as const,
      message:
        `Undeliverable journal reports will go to ${setup.ndrMailbox}. Use a user account, never a group or team (Exchange refuses groups). ` +
        "Microsoft advises a dedicated mailbox that nobody uses for anything else: an Exchange Online mailbox accepts at most 3600 messages an hour, " +
        "so an external address or a mail contact is safest when many reports could bounce.",
    },
  ];
  const groups = observed["Get-DistributionGroup"];
  if (groups.some((g) => sameAddress(g.PrimarySmtpAddress, setup.ndrMailbox))) {
    // Reported by the planner as an input error; nothing to diff.
    return { status: [], actions: [], warnings };
  }
  if (sameAddress(isUnsetAddress(actual) ? "" : actual, setup.ndrMailbox)) {
    return {
      status: [{ kind: "transportConfig", key: NDR_RESOURCE, label, state: "ok", drift: [] }],
      actions: [],
      warnings,
    };
  }
  const unset = isUnsetAddress(actual);
  return {
    status: [
      {
        kind: "transportConfig",
        key: NDR_RESOURCE,
        label,
        state: unset ? "missing" : "drifted",
        drift: [
          { property: "JournalingReportNdrTo", desired: setup.ndrMailbox, actual: unset ? null : (actual ?? null) },
        ],
      },
    ],
    actions: [
      {
        id: "transport-config",
        cmdlet: "Set-TransportConfig",
        parameters: { JournalingReportNdrTo: setup.ndrMailbox },
        reason: unset
          ? `No address receives undeliverable journal reports yet; Exchange refuses journal rules until one is set.`
          : `Undeliverable journal reports go to ${actual ?? ""}; the setup sends them to ${setup.ndrMailbox}.`,
        provides: NDR_RESOURCE,
      },
    ],
    warnings,
  };
}
