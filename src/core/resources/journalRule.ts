import { domainOf, isUnsetAddress, sameAddress } from "../desired/smtp";
import type { JournalRule, ObservedState } from "../observed/types";
import type { JournalingTarget, ResolvedSetup } from "../plan/setup";
import type { ActionDraft, Drift, PlanWarning, ResourceDiff, ResourcePermissions, ResourceStatus } from "../plan/types";
import { connectorResource } from "./outboundConnector";
import { groupResource } from "./distributionGroup";
import { NDR_RESOURCE } from "./transportConfig";

/**
 * Resource: one journal rule per journaling destination, External scope, enabled; for "everyone"
 * without -Recipient, for a region with its group's address. Every rule that journals to one of
 * the profile's hosts belongs to the setup: one the desired state no longer names is removed, so
 * mail never keeps flowing to a region the admin dropped.
 */
/** Exchange Online limits (service description), "Journal, transport, and inbox rule limits": 50 journal rules per tenant (older journaling articles still say 10); shared/reference/exchange-online.md §1.3. */
export const MAX_JOURNAL_RULES = 50;

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

export const JOURNAL_RULES_REMOVED = "journal-rules-removed";

function recipientOf(target: JournalingTarget): string | null {
  return target.group ? target.group.address : null;
}

function sameRecipient(rule: JournalRule, recipient: string | null): boolean {
  const actual = isUnsetAddress(rule.Recipient) ? null : rule.Recipient;
  if (actual === null || recipient === null) return actual === recipient;
  return sameAddress(actual, recipient);
}

function ruleDrift(rule: JournalRule, target: JournalingTarget): Drift[] {
  const drift: Drift[] = [];
  if (!sameAddress(rule.JournalEmailAddress, target.journalingAddress)) {
    drift.push({
      property: "JournalEmailAddress",
      desired: target.journalingAddress,
      actual: rule.JournalEmailAddress,
    });
  }
  const recipient = recipientOf(target);
  if (!sameRecipient(rule, recipient)) {
    drift.push({
      property: "Recipient",
      desired: recipient,
      actual: isUnsetAddress(rule.Recipient) ? null : rule.Recipient,
    });
  }
  if (rule.Scope !== "External") drift.push({ property: "Scope", desired: "External", actual: rule.Scope });
  if (!rule.Enabled) drift.push({ property: "Enabled", desired: true, actual: false });
  return drift;
}

/** Matches each target to an existing rule: first by what it does, then by its name. */
export function matchRules(
  setup: ResolvedSetup,
  rules: readonly JournalRule[],
): { matches: Map<JournalingTarget, JournalRule>; unmatched: JournalRule[] } {
  const free = [...rules];
  const matches = new Map<JournalingTarget, JournalRule>();
  const take = (target: JournalingTarget, pred: (r: JournalRule) => boolean): void => {
    if (matches.has(target)) return;
    const i = free.findIndex(pred);
    if (i >= 0) {
      matches.set(target, free[i] as JournalRule);
      free.splice(i, 1);
    }
  };
  for (const t of setup.targets) {
    take(t, (r) => sameAddress(r.JournalEmailAddress, t.journalingAddress) && sameRecipient(r, recipientOf(t)));
  }
  for (const t of setup.targets) take(t, (r) => r.Name.toLowerCase() === t.ruleName.toLowerCase());
  return { matches, unmatched: free };
}

function needsFor(target: JournalingTarget): string[] {
  const needs = [NDR_RESOURCE, connectorResource(target.region.host)];
  if (target.group) needs.push(groupResource(target.group.address));
  return needs;
}

export function diffJournalRules(setup: ResolvedSetup, observed: ObservedState): ResourceDiff {
  const rules = observed["Get-JournalRule"];
  const { matches, unmatched } = matchRules(setup, rules);
  const status: ResourceStatus[] = [];
  const actions: ActionDraft[] = [];
  const warnings: PlanWarning[] = [];
  const takenNames = new Set(rules.map((r) => r.Name.toLowerCase()));

  for (const target of setup.targets) {
    const scopeText = target.group ? `members of ${target.group.address}` : "everyone";
    const label = `Journal rule for ${scopeText} to ${target.journalingAddress}`;
    const key = target.region.id;
    const rule = matches.get(target);
    if (!rule) {
      let name = target.ruleName;
      for (let n = 2; takenNames.has(name.toLowerCase()); n++) name = `${target.ruleName} ${n}`;
      takenNames.add(name.toLowerCase());
      const parameters: Record<string, string | boolean> = {
        Name: name,
        JournalEmailAddress: target.journalingAddress,
        ...(target.group ? { Recipient: target.group.address } : {}),
        Scope: "External",
        Enabled: true,
      };
      status.push({ kind: "journalRule", key, label, state: "missing", drift: [] });
      actions.push({
        id: `journal-rule:${key}`,
        cmdlet: "New-JournalRule",
        parameters,
        reason: `No journal rule sends external mail of ${scopeText} to ${target.journalingAddress} (${target.region.label}).`,
        // Exchange counts rules at creation time: free places first when rules are removed.
        needs: [...needsFor(target), JOURNAL_RULES_REMOVED],
      });
      continue;
    }
    const drift = ruleDrift(rule, target);
    status.push({
      kind: "journalRule",
      key,
      label,
      state: drift.length ? "drifted" : "ok",
      drift,
      identity: rule.Identity ?? rule.Name,
    });
    const setDrift = drift.filter((d) => d.property !== "Enabled");
    if (setDrift.length > 0) {
      const parameters: Record<string, string | null> = { Identity: rule.Name };
      for (const d of setDrift) parameters[d.property] = d.desired as string | null;
      actions.push({
        id: `journal-rule:${key}`,
        cmdlet: "Set-JournalRule",
        parameters,
        reason: `Journal rule "${rule.Name}" differs: ${setDrift.map((d) => `${d.property} is ${d.actual === null ? "everyone" : String(d.actual)}, should be ${d.desired === null ? "everyone" : String(d.desired)}`).join("; ")}.`,
        needs: needsFor(target),
        provides: `rule:${key}`,
      });
    }
    if (drift.some((d) => d.property === "Enabled")) {
      // Set-JournalRule has no -Enabled: a disabled rule is switched on with Enable-JournalRule.
      actions.push({
        id: `journal-rule-enable:${key}`,
        cmdlet: "Enable-JournalRule",
        parameters: { Identity: rule.Name },
        // Microsoft disables a rule whose reports stay undeliverable (Configure journaling in Exchange
        // Online): re-enabled before the delivery is fixed, it fails again, so the reason says so.
        reason: `Journal rule "${rule.Name}" exists but is disabled, so nothing is journaled. If Microsoft disabled it because journal reports could not be delivered (the status shows it), fix the delivery first.`,
        needs: [...needsFor(target), ...(setDrift.length ? [`rule:${key}`] : [])],
      });
    }
  }

  const profileHosts = new Set(setup.profile.regions.map((r) => r.host.toLowerCase()));
  for (const rule of unmatched) {
    if (profileHosts.has(domainOf(rule.JournalEmailAddress))) {
      status.push({
        kind: "journalRule",
        key: `remove:${rule.Name}`,
        label: `Journal rule "${rule.Name}"`,
        state: "unwanted",
        drift: [],
        identity: rule.Identity ?? rule.Name,
      });
      actions.push({
        id: `journal-rule-remove:${rule.Name}`,
        cmdlet: "Remove-JournalRule",
        parameters: { Identity: rule.Name, Confirm: false },
        reason: `Journal rule "${rule.Name}" sends reports to ${rule.JournalEmailAddress}, which the setup no longer uses; keeping it would journal mail outside the chosen regions.`,
        provides: JOURNAL_RULES_REMOVED,
      });
    } else {
      warnings.push({
        code: "other-journal-destination",
        message: `Journal rule "${rule.Name}" already sends ${rule.Enabled ? "" : "(disabled) "}journal reports to ${rule.JournalEmailAddress}. It is left as it is; messages it matches are journaled there as well.`,
      });
    }
  }
  return { status, actions, warnings };
}

/** Journal rules the tenant will have after the plan: the limit of 50 applies to this number. */
export function rulesAfterPlan(observed: ObservedState, actions: readonly ActionDraft[]): number {
  const created = actions.filter((a) => a.cmdlet === "New-JournalRule").length;
  const removed = actions.filter((a) => a.cmdlet === "Remove-JournalRule").length;
  return observed["Get-JournalRule"].length + created - removed;
}
