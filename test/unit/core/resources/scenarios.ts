import { resolveDesiredState, type ResolvedSetup, type ResourceKind } from "../../../../src/core";

/**
 * The scenarios every resource's test file covers (Microsoft365DSC's model, plus the lifecycle):
 * the type makes a file that forgets one fail to compile, and the convention test checks that every
 * registered resource has a file that calls describeResource.
 */
export const SCENARIOS = [
  "absent -> create",
  "present and equal -> nothing",
  "drifted -> set",
  "paused",
  "removed",
  "made by hand -> recognised, not duplicated",
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export function describeResource(kind: ResourceKind, cases: Record<Scenario, () => void>): void {
  describe(`resource ${kind}`, () => {
    for (const name of SCENARIOS) it(name, cases[name]);
  });
}

export function setupOf(input: unknown): ResolvedSetup {
  const r = resolveDesiredState(input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}
