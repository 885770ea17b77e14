import { planHash } from "../../../src/core";
import { unreviewedWork } from "../../../src/server/executor/reviewedPlan";

const reviewed: { id: string; cmdlet: string; parameters: Record<string, string>; dependsOn: string[] }[] = [
  { id: "ndr", cmdlet: "Set-TransportConfig", parameters: { JournalingReportNdrTo: "ndr@contoso.com" }, dependsOn: [] },
  { id: "rule", cmdlet: "New-JournalRule", parameters: { Name: "EU", Scope: "External" }, dependsOn: ["ndr"] },
];
const run = { planHash: planHash({ actions: reviewed }) };
const stored = (states: string[]) =>
  reviewed.map((a, i) => ({ ...a, state: states[i] as "pending" | "running" | "succeeded" }));

test("finishing the reviewed steps, or fewer of them, is allowed", () => {
  expect(unreviewedWork(run, stored(["succeeded", "pending"]), [reviewed[1]!])).toBeUndefined();
  expect(unreviewedWork(run, stored(["running", "pending"]), reviewed)).toBeUndefined();
  expect(unreviewedWork(run, stored(["succeeded", "pending"]), [])).toBeUndefined();
});

test("a step that was done, or never planned, is unreviewed work", () => {
  expect(unreviewedWork(run, stored(["succeeded", "pending"]), reviewed)).toMatch(
    /now also needs Set-TransportConfig, which was not in the reviewed plan/,
  );
  expect(
    unreviewedWork(run, stored(["succeeded", "pending"]), [
      { id: "extra", cmdlet: "New-DistributionGroup", parameters: { Name: "x" } },
    ]),
  ).toMatch(/also needs New-DistributionGroup/);
});

test("other values for a pending step are unreviewed work", () => {
  expect(
    unreviewedWork(run, stored(["succeeded", "pending"]), [
      { ...reviewed[1]!, parameters: { Name: "EU", Scope: "Global" } },
    ]),
  ).toMatch(/New-JournalRule now needs other values/);
});

test("stored steps that no longer hash to the reviewed plan are refused", () => {
  const tampered = stored(["succeeded", "pending"]).map((a) =>
    a.id === "rule" ? { ...a, parameters: { Name: "EU", Scope: "Global" } } : a,
  );
  expect(unreviewedWork(run, tampered, [tampered[1]!])).toMatch(/no longer match the plan that was reviewed/);
});
