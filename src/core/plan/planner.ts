import { resolveDesiredState } from "../desired/validate";
import { sameAddress } from "../desired/smtp";
import type { FieldError } from "../errors";
import type { ObservedState } from "../observed/types";
import { MissingReadError } from "../resources/distributionGroup/diff";
import { MAX_JOURNAL_RULES, rulesAfterPlan } from "../resources/journalRule/diff";
import { RESOURCES } from "../resources/registry";
import type { ResourceModule } from "../resources/types";
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

/** Computes the plan that brings the tenant (observed) to the desired state. Pure. */
export function planSetup(desiredInput: unknown, observed: ObservedState): PlanResult {
  const resolved = resolveDesiredState(desiredInput);
  if (!resolved.ok) return resolved;
  return planResolved(resolved.value, observed);
}

export function planResolved(setup: ResolvedSetup, observed: ObservedState): PlanResult {
  const active = setup.state === "active";
  // The NDR address is only set by an active setup; paused and removed ones never write it.
  const ndrGroup = active
    ? observed["Get-DistributionGroup"].find((g) => sameAddress(g.PrimarySmtpAddress, setup.ndrMailbox))
    : undefined;
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
    diffs = RESOURCES.map((resource) => ({ resource, ...resource.diff(setup, observed) }));
  } catch (err) {
    if (err instanceof MissingReadError) return { ok: false, errors: [{ path: "observed", message: err.message }] };
    throw err;
  }
  const drafts = diffs.flatMap((d) => d.actions.map((action) => ({ action, resource: d.resource })));
  const total = rulesAfterPlan(
    observed,
    drafts.map((d) => d.action),
  );
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
    // How journaling behaves is worth a word only while the setup journals.
    ...(active
      ? [
          {
            code: "external-scope-spoofing" as const,
            message:
              "The journal rules cover external messages only. Mail whose sender claims one of your own domains counts as internal for Exchange, even when spoofed, so it is not journaled.",
          },
        ]
      : []),
    ...diffs.flatMap((d) => d.warnings),
  ];
  // Hybrid centralized mail transport sends journal reports on-premises, past any connector the plan
  // makes: the admin reads it first, since nothing reaches the service until it is dealt with.
  const cmt = active
    ? centralizedTransportWarning(
        observed["Get-OutboundConnector"],
        setup.targets.map((t) => t.region.host),
      )
    : undefined;
  if (cmt) warnings.unshift(cmt);
  if (active && setup.perRegion) {
    warnings.push({
      code: "users-outside-groups",
      message:
        "Only members of the regional distribution lists are journaled. Add new employees to the list of their region, or their mail is not protected.",
    });
  }
  return { ok: true, plan: { actions: wire(drafts), warnings }, status: diffs.flatMap((d) => d.status), setup };
}

interface OwnedDraft {
  readonly action: ActionDraft;
  readonly resource: ResourceModule;
}

/**
 * Where an action sorts, from its resource's ordering (src/core/resources/types.ts): build actions
 * resource by resource in dependency order, then teardowns in reverse dependency order; within a
 * resource, by its steps.
 */
function sortKey({ action, resource }: OwnedDraft): readonly number[] {
  const rank = RESOURCES.indexOf(resource);
  const step = resource.ordering.steps.findIndex((s) => s.includes(action.cmdlet));
  if (step < 0) throw new Error(`resource ${resource.kind} emits ${action.cmdlet} but lists no step for it`);
  return action.teardown ? [1, RESOURCES.length - rank, step] : [0, rank, step];
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Turns drafts into actions: dependencies from needs/provides, then a stable dependency order. */
function wire(owned: readonly OwnedDraft[]): Action[] {
  const drafts = owned.map((o) => o.action);
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
  const keys = owned.map(sortKey);
  const sorted = actions
    .map((a, i) => ({ a, i }))
    .sort((x, y) => compareKeys(keys[x.i] ?? [], keys[y.i] ?? []) || x.i - y.i)
    .map((x) => x.a);
  // The resources' orderings already respect every dependency; this guards the invariant for future resources.
  const seen = new Set<string>();
  for (const a of sorted) {
    for (const dep of a.dependsOn) {
      if (!seen.has(dep)) throw new Error(`plan invariant broken: ${a.id} runs before its dependency ${dep}`);
    }
    seen.add(a.id);
  }
  return sorted;
}
