import { domainOf, isUnsetAddress, sameAddress } from "../../desired/smtp";
import type { JournalingTarget, ResolvedSetup } from "../../plan/setup";
import type { JournalRule } from "./schema";

/**
 * Which journal rules belong to the setup: the rule matched to each target (by what it does, then
 * by name), and every other rule that journals to one of the profile's hosts (a region the setup
 * dropped). Rules to any other destination belong to someone else and are never touched.
 */
export function recipientOf(target: JournalingTarget): string | null {
  return target.group ? target.group.address : null;
}

export function sameRecipient(rule: JournalRule, recipient: string | null): boolean {
  const actual = isUnsetAddress(rule.Recipient) ? null : rule.Recipient;
  if (actual === null || recipient === null) return actual === recipient;
  return sameAddress(actual, recipient);
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

/** Whether a rule journals to one of the profile's hosts (so it is this service's). */
export function journalsToProfile(setup: ResolvedSetup, rule: JournalRule): boolean {
  return setup.profile.regions.some((r) => r.host.toLowerCase() === domainOf(rule.JournalEmailAddress));
}

/** The setup's rules in the tenant: matched ones, then leftovers journaling to the profile's hosts. */
export function setupRules(setup: ResolvedSetup, rules: readonly JournalRule[]): JournalRule[] {
  const { matches, unmatched } = matchRules(setup, rules);
  return [...matches.values(), ...unmatched.filter((r) => journalsToProfile(setup, r))];
}
