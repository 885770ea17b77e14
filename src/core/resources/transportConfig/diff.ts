import { isUnsetAddress, sameAddress } from "../../desired/smtp";
import type { ObservedState } from "../../observed/types";
import type { ResolvedSetup } from "../../plan/setup";
import type { ResourceDiff, ResourceStatus } from "../../plan/types";
import { setupRules } from "../journalRule/ownership";

/** Resource: the organization's address for undeliverable journal reports (JournalingReportNdrTo). */
export const NDR_RESOURCE = "ndr";
const LABEL = "Address for undeliverable journal reports";

export function diffTransportConfig(setup: ResolvedSetup, observed: ObservedState): ResourceDiff {
  if (setup.state === "removed") return diffRemoved(setup, observed);
  const active = diffActive(setup, observed);
  // Paused touches nothing but the journal rules: the status still says how the address stands.
  return setup.state === "paused" ? { status: active.status, actions: [], warnings: [] } : active;
}

function diffActive(setup: ResolvedSetup, observed: ObservedState): ResourceDiff {
  const actual = observed["Get-TransportConfig"].JournalingReportNdrTo;
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
      status: [{ kind: "transportConfig", key: NDR_RESOURCE, label: LABEL, state: "ok", drift: [] }],
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
        label: LABEL,
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

/**
 * Removed: the address is organization-wide and every journal rule needs it (Exchange refuses to
 * clear it while a journal rule exists), so it is cleared only on request and only when no journal
 * rule outside the setup remains; otherwise the plan says why it stays.
 */
function diffRemoved(setup: ResolvedSetup, observed: ObservedState): ResourceDiff {
  const actual = observed["Get-TransportConfig"].JournalingReportNdrTo;
  if (isUnsetAddress(actual)) {
    return {
      status: [{ kind: "transportConfig", key: NDR_RESOURCE, label: LABEL, state: "ok", drift: [] }],
      actions: [],
      warnings: [],
    };
  }
  const address = actual ?? "";
  const others = observed["Get-JournalRule"].length - setupRules(setup, observed["Get-JournalRule"]).length;
  const keep = (why: string): ResourceDiff => ({
    status: [{ kind: "transportConfig", key: NDR_RESOURCE, label: LABEL, state: "ok", drift: [] }],
    actions: [],
    warnings: [
      { code: "removal-keeps", message: `The address for undeliverable journal reports (${address}) stays: ${why}.` },
    ],
  });
  if (others > 0) {
    return keep(
      `${others} other journal rule${others === 1 ? " still needs" : "s still need"} it (Exchange refuses to clear it while any journal rule exists)`,
    );
  }
  if (!setup.clearNdrAddress) {
    return keep('the setup does not ask to clear it ("clearNdrAddress": true would, once no journal rule remains)');
  }
  const status: ResourceStatus = {
    kind: "transportConfig",
    key: NDR_RESOURCE,
    label: LABEL,
    state: "unwanted",
    drift: [{ property: "JournalingReportNdrTo", desired: null, actual: address }],
  };
  return {
    status: [status],
    actions: [
      {
        id: "transport-config-clear",
        cmdlet: "Set-TransportConfig",
        parameters: { JournalingReportNdrTo: null },
        reason: `No journal rule remains once the setup's are removed, and the setup asks to clear the address for undeliverable journal reports (${address}).`,
        // Exchange refuses to clear it while a journal rule exists: after the rules are gone.
        needs: ["journal-rules-removed"],
        teardown: true,
      },
    ],
    warnings: [],
  };
}
