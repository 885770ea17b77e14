import { resolveDesiredState } from "../desired/validate";
import { sameAddress } from "../desired/smtp";
import type { FieldError } from "../errors";
import type { ObservedState } from "../observed/types";
import { diffDistributionGroups, MissingReadError } from "../resources/distributionGroup";
import { diffJournalRules, MAX_JOURNAL_RULES, rulesAfterPlan } from "../resources/journalRule";
import { diffOutboundConnectors } from "../resources/outboundConnector";
import { diffTransportConfig } from "../resources/transportConfig";
import { centralizedTransportWarning } from "./centralizedTransport";
import type { ResolvedSetup } from "./setup";
import type { Action, ActionDraft, Plan, PlanWarning, ResourceStatus } from "./types";

export type PlanResult =
  | {
      readonly ok: true;
      readonly plan: Plan;
      readonly status: readonly ResourceStatus[];
      readonly setup: ResolvedSetup;
    }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/** Order in which actions are listed (and run, where dependencies allow): the reference's suggested order. */
const PHASE: Readonly<Record<string, number>> = {
  "Set-TransportConfig": 0,
  "New-OutboundConnector": 1,
  "Set-OutboundConnector": 1,
  "New-DistributionGroup": 2,
  "Add-DistributionGroupMember": 3,
  "Remove-DistributionGroupMember": 3,
  "Remove-JournalRule": 4,
  "New-JournalRule": 5,
  "Set-JournalRule": 5,
  "Enable-JournalRule": 6,
  "Remove-OutboundConnector": 7,
};

/** Computes the plan that brings the tenant (observed) to the desired state. Pure. */
export function planSetup(desiredInput: unknown, observed: ObservedState): PlanResult {
  const resolved = resolveDesiredState(desiredInput);
  if (!resolved.ok) return resolved;
  return planResolved(resolved.value, observed);
}

export function planResolved(setup: ResolvedSetup, observed: ObservedState): PlanResult {
  const ndrGroup = observed["Get-DistributionGroup"].find((g) => sameAddress(g.PrimarySmtpAddress, setup.ndrMailbox));
  if (ndrGroup) {
    return {
      ok: false,
      errors: [
        {
          path: "ndrMailbox",
          message: `${setup.ndrMailbox} is the group "${ndrGroup.Name}"; undeliverable journal reports need a user account, never a group (Exchange refuses groups here)`,
        },
      ],
    };
  }
  let diffs;
  try {
    diffs = [
      diffTransportConfig(setup, observed),
      diffOutboundConnectors(setup, observed),
      diffDistributionGroups(setup, observed),
      diffJournalRules(setup, observed),
    ];
  } catch (err) {
    if (err instanceof MissingReadError) return { ok: false, errors: [{ path: "observed", message: err.message }] };
    throw err;
  }
  const drafts = diffs.flatMap((d) => d.actions);
  const total = rulesAfterPlan(observed, drafts);
  if (total > MAX_JOURNAL_RULES) {
    const existing = observed["Get-JournalRule"].length;
    return {
      ok: false,
      errors: [
        {
          path: setup.perRegion ? "journaling.regions" : "journaling",
          message: `the tenant has ${existing} journal rule${existing === 1 ? "" : "s"} and this setup would bring it to ${total}; Exchange Online allows at most ${MAX_JOURNAL_RULES}. Remove rules you no longer need or use fewer regions`,
        },
      ],
    };
  }
  const warnings: PlanWarning[] = [
    {
      code: "external-scope-spoofing",
      message:
        "The journal rules cover external messages only. Mail whose sender claims one of your own domains counts as internal for Exchange, even when spoofed, so it is not journaled.",
    },
    ...diffs.flatMap((d) => d.warnings),
  ];
  // Hybrid centralized mail transport sends journal reports on-premises, past any connector the plan
  // makes: the admin reads it first, since nothing reaches the service until it is dealt with.
  const cmt = centralizedTransportWarning(
    observed["Get-OutboundConnector"],
    setup.targets.map((t) => t.region.host),
  );
  if (cmt) warnings.unshift(cmt);
  if (setup.perRegion) {
    warnings.push({
      code: "users-outside-groups",
      message:
        "Only members of the regional distribution lists are journaled. Add new employees to the list of their region, or their mail is not protected.",
    });
  }
  return { ok: true, plan: { actions: wire(drafts), warnings }, status: diffs.flatMap((d) => d.status), setup };
}

/** Turns drafts into actions: dependencies from needs/provides, then a stable dependency order. */
function wire(drafts: readonly ActionDraft[]): Action[] {
  const providers = new Map<string, string[]>();
  for (const d of drafts) {
    if (!d.provides) continue;
    providers.set(d.provides, [...(providers.get(d.provides) ?? []), d.id]);
  }
  const actions: Action[] = drafts.map((d) => ({
    id: d.id,
    cmdlet: d.cmdlet,
    parameters: d.parameters,
    dependsOn: [...new Set((d.needs ?? []).flatMap((n) => providers.get(n) ?? []))].filter((id) => id !== d.id),
    reason: d.reason,
  }));
  const phaseOf = (a: Action): number => PHASE[a.cmdlet] ?? 9;
  const sorted = actions
    .map((a, i) => ({ a, i }))
    .sort((x, y) => phaseOf(x.a) - phaseOf(y.a) || x.i - y.i)
    .map((x) => x.a);
  // Phases already respect every dependency; this guards the invariant for future resources.
  const seen = new Set<string>();
  for (const a of sorted) {
    for (const dep of a.dependsOn) {
      if (!seen.has(dep)) throw new Error(`plan invariant broken: ${a.id} runs before its dependency ${dep}`);
    }
    seen.add(a.id);
  }
  return sorted;
}
