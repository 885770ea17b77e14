import { isUnsetAddress, sameAddress } from "../../desired/smtp";
import type { ObservedState } from "../../observed/types";
import type { JournalingTarget, ResolvedSetup } from "../../plan/setup";
import type { ActionDraft, Drift, PlanWarning, ResourceDiff, ResourceStatus } from "../../plan/types";
import { groupResource } from "../distributionGroup/diff";
import { connectorResource } from "../outboundConnector/diff";
import { NDR_RESOURCE } from "../transportConfig/diff";
import { journalsToProfile, matchRules, recipientOf, sameRecipient } from "./ownership";
import type { JournalRule } from "./schema";

/**
 * Resource: one journal rule per journaling destination, External scope, enabled; for "everyone"
 * without -Recipient, for a region with its group's address. Every rule that journals to one of
 * the profile's hosts belongs to the setup: one the desired state no longer names is removed, so
 * mail never keeps flowing to a region the admin dropped.
 */
/** Exchange Online limits (service description), "Journal, transport, and inbox rule limits": 50 journal rules per tenant (older journaling articles still say 10); shared/reference/exchange-online.md §1.3. */
export const MAX_JOURNAL_RULES = 50;

export const JOURNAL_RULES_REMOVED = "journal-rules-removed";

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

function needsFor(target: JournalingTarget): string[] {
  const needs = [NDR_RESOURCE, connectorResource(target.region.host)];
  if (target.group) needs.push(groupResource(target.group.address));
  return needs;
}

export function diffJournalRules(setup: ResolvedSetup, observed: ObservedState): ResourceDiff {
  if (setup.state === "paused") return diffPaused(setup, observed);
  if (setup.state === "removed") return diffRemoved(setup, observed);
  return diffActive(setup, observed);
}

function labelOf(target: JournalingTarget): string {
  const scopeText = target.group ? `members of ${target.group.address}` : "everyone";
  return `Journal rule for ${scopeText} to ${target.journalingAddress}`;
}

/** Rules journaling elsewhere are someone else's: left alone, and the admin told so. */
function otherDestinationWarning(rule: JournalRule): PlanWarning {
  return {
    code: "other-journal-destination",
    message: `Journal rule "${rule.Name}" already sends ${rule.Enabled ? "" : "(disabled) "}journal reports to ${rule.JournalEmailAddress}. It is left as it is; messages it matches are journaled there as well.`,
  };
}

/**
 * Paused: every rule of the setup disabled with Disable-JournalRule (which keeps the rule, so
 * resuming is one Enable-JournalRule per rule); nothing is created, changed or removed.
 */
function diffPaused(setup: ResolvedSetup, observed: ObservedState): ResourceDiff {
  const rules = observed["Get-JournalRule"];
  const { matches, unmatched } = matchRules(setup, rules);
  const status: ResourceStatus[] = [];
  const actions: ActionDraft[] = [];
  const warnings: PlanWarning[] = [];
  const pause = (rule: JournalRule, key: string, label: string): void => {
    status.push({
      kind: "journalRule",
      key,
      label,
      state: rule.Enabled ? "drifted" : "paused",
      drift: rule.Enabled ? [{ property: "Enabled", desired: false, actual: true }] : [],
      identity: rule.Identity ?? rule.Name,
    });
    if (!rule.Enabled) return;
    actions.push({
      id: `journal-rule-disable:${key}`,
      cmdlet: "Disable-JournalRule",
      parameters: { Identity: rule.Name, Confirm: false },
      reason: `The setup is paused: journal rule "${rule.Name}" is switched off and kept, so resuming switches it back on.`,
    });
  };
  for (const target of setup.targets) {
    const rule = matches.get(target);
    if (rule) {
      pause(rule, target.region.id, labelOf(target));
      continue;
    }
    status.push({ kind: "journalRule", key: target.region.id, label: labelOf(target), state: "missing", drift: [] });
    warnings.push({
      code: "paused-missing-rule",
      message: `${labelOf(target)} does not exist; a paused setup creates nothing. It is created when the setup is active again.`,
    });
  }
  for (const rule of unmatched) {
    if (journalsToProfile(setup, rule)) pause(rule, `rule:${rule.Name}`, `Journal rule "${rule.Name}"`);
    else warnings.push(otherDestinationWarning(rule));
  }
  return { status, actions, warnings };
}

/** Removed: every rule of the setup removed; rules to other destinations stay, and the plan says so. */
function diffRemoved(setup: ResolvedSetup, observed: ObservedState): ResourceDiff {
  const rules = observed["Get-JournalRule"];
  const { matches, unmatched } = matchRules(setup, rules);
  const status: ResourceStatus[] = [];
  const actions: ActionDraft[] = [];
  const warnings: PlanWarning[] = [];
  const remove = (rule: JournalRule, key: string, label: string): void => {
    status.push({
      kind: "journalRule",
      key,
      label,
      state: "unwanted",
      drift: [],
      identity: rule.Identity ?? rule.Name,
    });
    actions.push({
      id: `journal-rule-remove:${rule.Name}`,
      cmdlet: "Remove-JournalRule",
      parameters: { Identity: rule.Name, Confirm: false },
      reason: `The setup is removed: journal rule "${rule.Name}" stops journaling to ${rule.JournalEmailAddress}.`,
      provides: JOURNAL_RULES_REMOVED,
    });
  };
  for (const target of setup.targets) {
    const rule = matches.get(target);
    if (rule) remove(rule, target.region.id, labelOf(target));
    else status.push({ kind: "journalRule", key: target.region.id, label: labelOf(target), state: "ok", drift: [] });
  }
  for (const rule of unmatched) {
    if (journalsToProfile(setup, rule)) remove(rule, `remove:${rule.Name}`, `Journal rule "${rule.Name}"`);
    else
      warnings.push({
        code: "removal-keeps",
        message: `Journal rule "${rule.Name}" stays: it journals to ${rule.JournalEmailAddress}, which is not this service, so the setup did not create it.`,
      });
  }
  return { status, actions, warnings };
}

function diffActive(setup: ResolvedSetup, observed: ObservedState): ResourceDiff {
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

  for (const rule of unmatched) {
    if (journalsToProfile(setup, rule)) {
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
      warnings.push(otherDestinationWarning(rule));
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
