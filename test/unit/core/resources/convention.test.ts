import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { getCmdletSpec } from "../../../../src/core/exchange/catalog";
import { emptyTenant, RESOURCES, type ResourceStatus } from "../../../../src/core";

/**
 * Every resource in the registry follows the template: a test file named after it that runs the
 * common scenarios (describeResource), reads that exist, steps that name real cmdlets, roles for
 * reading and changing, and a status sentence for every state.
 */
describe("resource registry conventions", () => {
  const observedKeys = Object.keys(emptyTenant()).sort();

  it.each(RESOURCES.map((r) => [r.kind, r] as const))("%s has its scenario test file", (kind) => {
    const file = path.join(__dirname, `${kind}.test.ts`);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, "utf8")).toContain(`describeResource("${kind}"`);
  });

  it.each(RESOURCES.map((r) => [r.kind, r] as const))(
    "%s declares reads, ordering, roles and status text",
    (kind, r) => {
      expect(r.reads.length).toBeGreaterThan(0);
      for (const read of r.reads) {
        expect(observedKeys).toContain(read.cmdlet);
        expect(getCmdletSpec(read.cmdlet)).toBeDefined();
      }
      for (const cmdlet of r.ordering.steps.flat())
        expect({ cmdlet, known: getCmdletSpec(cmdlet) !== undefined }).toEqual({ cmdlet, known: true });
      for (const need of r.ordering.needs) expect(RESOURCES.map((x) => x.kind)).toContain(need);
      expect(r.permissions.read.exchangeRoles.length).toBeGreaterThan(0);
      expect(r.permissions.change.exchangeRoles.length).toBeGreaterThan(0);
      for (const state of ["ok", "missing", "drifted", "unwanted", "paused"] as const) {
        const status: ResourceStatus = {
          kind,
          key: "k",
          label: "Label",
          state,
          drift: state === "drifted" ? [{ property: "P", desired: "a", actual: "b" }] : [],
        };
        expect(r.statusText(status, {})).toMatch(/^Label/);
      }
    },
  );

  it("the registry reads every part of the observed state, and a resource comes after what it needs", () => {
    expect([...new Set(RESOURCES.flatMap((r) => r.reads.map((x) => x.cmdlet)))].sort()).toEqual(observedKeys);
    RESOURCES.forEach((r, i) => {
      for (const need of r.ordering.needs) expect(RESOURCES.findIndex((x) => x.kind === need)).toBeLessThan(i);
    });
  });
});
