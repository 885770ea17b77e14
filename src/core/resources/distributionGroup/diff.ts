import { isUnsetAddress, sameAddress } from "../../desired/smtp";
import type { DesiredGroup } from "../../desired/schema";
import type { ObservedState } from "../../observed/types";
import type { ResolvedSetup } from "../../plan/setup";
import type { ActionDraft, PlanWarning, ResourceDiff, ResourceStatus } from "../../plan/types";
import { setupRules } from "../journalRule/ownership";
import type { DistributionGroup, GroupMember } from "./schema";

/**
 * Resource: the distribution list whose members a regional journal rule covers (-Recipient takes
 * one address, so "these users" means a group). Recognised by its address, whatever its name.
 */
export const groupResource = (address: string): string => `group:${address.toLowerCase()}`;

/** Thrown-free signal that the observed state lacks a read the plan needs. */
export class MissingReadError extends Error {
  readonly code = "observed_incomplete";
}

export function findGroup(groups: readonly DistributionGroup[], address: string): DistributionGroup | undefined {
  return groups.find((g) => sameAddress(g.PrimarySmtpAddress, address));
}

export function membersOf(observed: ObservedState, address: string): readonly GroupMember[] | undefined {
  const map = observed["Get-DistributionGroupMember"];
  const key = Object.keys(map).find((k) => sameAddress(k, address));
  return key === undefined ? undefined : map[key];
}

/** Alias Exchange would accept: the address's local part without characters aliases refuse. */
export function aliasFor(address: string): string {
  const local = address.slice(0, address.lastIndexOf("@"));
  return local.replace(/[^A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]/g, "").slice(0, 64);
}

function diffOne(group: DesiredGroup, observed: ObservedState): { status: ResourceStatus; actions: ActionDraft[] } {
  const existing = findGroup(observed["Get-DistributionGroup"], group.address);
  const label = `Distribution list ${group.address}`;
  const provides = groupResource(group.address);
  const desiredMembers = group.members ?? [];
  if (!existing) {
    const parameters: Record<string, string | readonly string[]> = {
      Name: group.name,
      Alias: aliasFor(group.address),
      PrimarySmtpAddress: group.address,
      Type: "Distribution",
    };
    if (desiredMembers.length > 0) parameters.Members = desiredMembers;
    return {
      status: { kind: "distributionGroup", key: group.address.toLowerCase(), label, state: "missing", drift: [] },
      actions: [
        {
          id: `group:${group.address.toLowerCase()}`,
          cmdlet: "New-DistributionGroup",
          parameters,
          reason:
            `No group has the address ${group.address}; the regional journal rule needs one to name its users` +
            (desiredMembers.length
              ? ` (${desiredMembers.length} member${desiredMembers.length === 1 ? "" : "s"}).`
              : "."),
          provides,
        },
      ],
    };
  }
  const identity = existing.Identity ?? existing.Name;
  if (group.members === undefined) {
    return {
      status: { kind: "distributionGroup", key: group.address.toLowerCase(), label, state: "ok", drift: [], identity },
      actions: [],
    };
  }
  const actual = membersOf(observed, group.address);
  if (actual === undefined) {
    throw new MissingReadError(
      `The observed state has no "Get-DistributionGroupMember" entry for ${group.address}; read its members before planning.`,
    );
  }
  const toAdd = desiredMembers.filter((m) => !actual.some((a) => sameAddress(a.PrimarySmtpAddress, m)));
  const toRemove = actual.filter((a) => !desiredMembers.some((m) => sameAddress(a.PrimarySmtpAddress, m)));
  // Exchange makes a list's creator its only owner (ManagedBy) and refuses member changes by anyone
  // else unless the call carries -BypassSecurityGroupManagerCheck ("You don't have sufficient
  // permissions. This operation can only be performed by a manager of the group."). The admin who
  // applies may not be the one who created the list, so every member change carries the switch; it
  // needs Organization Management or the Security Group Creation and Membership role
  // (learn.microsoft.com/powershell/module/exchangepowershell/add-distributiongroupmember).
  const bypass = { BypassSecurityGroupManagerCheck: true } as const;
  const actions: ActionDraft[] = [
    ...toAdd.map((m) => ({
      id: `group-member-add:${group.address.toLowerCase()}:${m.toLowerCase()}`,
      cmdlet: "Add-DistributionGroupMember",
      parameters: { Identity: group.address, Member: m, ...bypass },
      reason: `${m} should be journaled with ${group.address} but is not a member.`,
    })),
    ...toRemove.map((a) => ({
      id: `group-member-remove:${group.address.toLowerCase()}:${a.PrimarySmtpAddress.toLowerCase()}`,
      cmdlet: "Remove-DistributionGroupMember",
      parameters: { Identity: group.address, Member: a.PrimarySmtpAddress, ...bypass, Confirm: false },
      reason: `${a.PrimarySmtpAddress} is a member of ${group.address} but not in the setup's list for this region.`,
    })),
  ];
  const drift =
    actions.length === 0
      ? []
      : [
          {
            property: "Members",
            desired: [...desiredMembers],
            actual: actual.map((a) => a.PrimarySmtpAddress),
          },
        ];
  return {
    status: {
      kind: "distributionGroup",
      key: group.address.toLowerCase(),
      label,
      state: drift.length ? "drifted" : "ok",
      drift,
      identity,
    },
    actions,
  };
}

export function diffDistributionGroups(setup: ResolvedSetup, observed: ObservedState): ResourceDiff {
  if (setup.state === "removed") return diffRemoved(setup, observed);
  const active = diffActive(setup, observed);
  // Paused touches nothing but the journal rules: the status still says how the lists stand.
  return setup.state === "paused" ? { status: active.status, actions: [], warnings: [] } : active;
}

/**
 * Removed: lists always stay. The product cannot remove them (Remove-DistributionGroup is not among
 * the cmdlets it runs, so "removeLists": true is refused by validation), and a list may have other
 * uses. Other uses are detected from what the product reads: journal rules outside the setup that
 * name the list as their recipient. Mail flow (transport) rules, mailbox permissions and people's
 * own use are not read, so the note asks the admin to check before removing a list by hand.
 */
function diffRemoved(setup: ResolvedSetup, observed: ObservedState): ResourceDiff {
  const status: ResourceStatus[] = [];
  const warnings: PlanWarning[] = [];
  const rules = observed["Get-JournalRule"];
  const ours = new Set(setupRules(setup, rules));
  for (const target of setup.targets) {
    if (!target.group) continue;
    const existing = findGroup(observed["Get-DistributionGroup"], target.group.address);
    if (!existing) continue;
    const address = target.group.address;
    status.push({
      kind: "distributionGroup",
      key: address.toLowerCase(),
      label: `Distribution list ${address}`,
      state: "ok",
      drift: [],
      identity: existing.Identity ?? existing.Name,
    });
    const users = rules.filter(
      (r) => !ours.has(r) && !isUnsetAddress(r.Recipient) && sameAddress(r.Recipient, address),
    );
    const why = users.length
      ? `journal rule${users.length === 1 ? "" : "s"} ${users.map((r) => `"${r.Name}"`).join(", ")} outside the setup also name${users.length === 1 ? "s" : ""} it, so it has other uses`
      : "this product does not remove distribution lists (Remove-DistributionGroup is not among the cmdlets it runs); no other journal rule names it, so remove it by hand if nothing else (mail flow rules, people) uses it";
    warnings.push({
      code: "removal-keeps",
      message: `Distribution list ${address} ("${existing.Name}") stays: ${why}.`,
    });
  }
  return { status, actions: [], warnings };
}

function diffActive(setup: ResolvedSetup, observed: ObservedState): ResourceDiff {
  const status: ResourceStatus[] = [];
  const actions: ActionDraft[] = [];
  for (const target of setup.targets) {
    if (!target.group) continue;
    const one = diffOne(target.group, observed);
    status.push(one.status);
    actions.push(...one.actions);
  }
  return { status, actions, warnings: [] };
}
