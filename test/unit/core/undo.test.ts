import { checkCall } from "../../../src/core/exchange/catalog";
import {
  beforeValues,
  describeAction,
  planSetup,
  planUndo,
  renderScript,
  type ObservedState,
  type Plan,
  type UndoSourceAction,
} from "../../../src/core";
import { connector, euIndia, EU1_HOST, observed, rule, US_HOST, usEveryone } from "./fixtures";

/** Undo plans, from a run's audited actions (with the before-values the executor records) and the tenant now. */
const RULE = "Journal Messages to Cloudflare Area 1";
const US = `contoso@${US_HOST}`;
const NDR = { "Get-TransportConfig": { JournalingReportNdrTo: "journal-ndr@contoso.com" } };
const always = { ...usEveryone, connector: "always" };

/** What a run of `desired` on `before` records: every planned action succeeded, with its before-values. */
function ranOn(desired: unknown, before: ObservedState): UndoSourceAction[] {
  const r = planSetup(desired, before);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.plan.actions.map((a) => ({ ...a, state: "succeeded", before: beforeValues(a, before) ?? null }));
}

function valid(p: Plan): Plan {
  for (const a of p.actions)
    expect({ cmdlet: a.cmdlet, issues: checkCall(a.cmdlet, a.parameters) }).toEqual({ cmdlet: a.cmdlet, issues: [] });
  return p;
}
const calls = (p: Plan): string[][] =>
  p.actions.map((a) => [a.cmdlet, String(a.parameters.Identity ?? a.parameters.Name ?? "")]);

/** The tenant after the US setup was created by `run` (its connector carries the name the run gave it). */
const created = (run: readonly UndoSourceAction[], rules = [rule(US)]): ObservedState => {
  const name = String(run.find((a) => a.cmdlet === "New-OutboundConnector")?.parameters.Name);
  return observed({
    ...NDR,
    "Get-OutboundConnector": [connector(US_HOST, { Name: name, Identity: name })],
    "Get-JournalRule": rules,
  });
};

const appliedUs = (enabled = true): ObservedState =>
  observed({
    ...NDR,
    "Get-OutboundConnector": [connector(US_HOST)],
    "Get-JournalRule": [rule(US, { Enabled: enabled })],
  });

describe("undo of a run", () => {
  it("undo of a create: removes exactly the created rule and connector, then clears the NDR address it set", () => {
    const run = ranOn(always, observed());
    expect(run.map((a) => a.cmdlet)).toEqual(["Set-TransportConfig", "New-OutboundConnector", "New-JournalRule"]);
    const p = valid(planUndo(run, created(run)));
    expect(calls(p)).toEqual([
      ["Remove-JournalRule", RULE],
      ["Remove-OutboundConnector", String(run[1]?.parameters.Name)],
      ["Set-TransportConfig", ""],
    ]);
    // Exchange refuses to clear the address while a journal rule exists: the rule goes first.
    expect(p.actions[2]).toMatchObject({ parameters: { JournalingReportNdrTo: null }, dependsOn: [p.actions[0]!.id] });
    expect(p.actions[1]?.dependsOn).toEqual([p.actions[0]!.id]);
    expect(describeAction(p.actions[2]!, "planned")).toBe("Clear the address for undeliverable reports");
    expect(renderScript(p, { title: "Undo" })).toContain(
      "Remove-JournalRule -Identity 'Journal Messages to Cloudflare Area 1'",
    );
  });

  it("undo of a create: a created distribution list stays, and the plan says why", () => {
    const run = ranOn(euIndia, observed(NDR));
    const after = observed({
      ...NDR,
      "Get-OutboundConnector": [connector(EU1_HOST)],
      "Get-JournalRule": [rule(`contoso@${EU1_HOST}`, { Name: "EU", Recipient: "journaling-eu@contoso.com" })],
      "Get-DistributionGroup": [{ Name: "Journaling EU", PrimarySmtpAddress: "journaling-eu@contoso.com" }],
    });
    const p = valid(planUndo(run, after));
    expect(p.actions.map((a) => a.cmdlet)).not.toContain("Remove-DistributionGroup");
    expect(p.warnings.map((w) => w.message).join("\n")).toContain(
      'Distribution list journaling-eu@contoso.com ("Journaling EU"), which the run created, stays',
    );
  });

  it("undo of a set: restores the old NDR address and the old connector and rule settings", () => {
    const before = observed({
      "Get-TransportConfig": { JournalingReportNdrTo: "old-ndr@contoso.com" },
      "Get-OutboundConnector": [
        connector(US_HOST, { TlsSettings: "EncryptionOnly", UseMXRecord: true, SmartHosts: [] }),
      ],
      "Get-JournalRule": [rule(US, { Scope: "Global" })],
    });
    const run = ranOn(always, before);
    expect(run.map((a) => a.cmdlet)).toEqual(["Set-TransportConfig", "Set-OutboundConnector", "Set-JournalRule"]);
    const p = valid(planUndo(run, appliedUs()));
    expect(p.actions.map((a) => [a.cmdlet, a.parameters])).toEqual([
      ["Set-JournalRule", { Identity: RULE, Scope: "Global" }],
      [
        "Set-OutboundConnector",
        { Identity: `Connector ${US_HOST}`, SmartHosts: [], UseMXRecord: true, TlsSettings: "EncryptionOnly" },
      ],
      ["Set-TransportConfig", { JournalingReportNdrTo: "old-ndr@contoso.com" }],
    ]);
  });

  it("undo of a member change: removes members the run added, re-adds those it removed", () => {
    const group = "journaling-eu@contoso.com";
    const desired = {
      ...euIndia,
      journaling: {
        regions: [
          {
            ...euIndia.journaling.regions[0],
            group: { name: "Journaling EU", address: group, members: ["anna@contoso.com"] },
          },
        ],
      },
    };
    const base = {
      ...NDR,
      "Get-OutboundConnector": [connector(EU1_HOST)],
      "Get-JournalRule": [rule(`contoso@${EU1_HOST}`, { Name: "EU", Recipient: group })],
      "Get-DistributionGroup": [{ Name: "Journaling EU", PrimarySmtpAddress: group }],
    };
    const run = ranOn(
      desired,
      observed({ ...base, "Get-DistributionGroupMember": { [group]: [{ PrimarySmtpAddress: "bob@contoso.com" }] } }),
    );
    expect(run.map((a) => a.cmdlet)).toEqual(["Add-DistributionGroupMember", "Remove-DistributionGroupMember"]);
    const now = observed({
      ...base,
      "Get-DistributionGroupMember": { [group]: [{ PrimarySmtpAddress: "anna@contoso.com" }] },
    });
    const p = valid(planUndo(run, now));
    expect(
      calls(p)
        .map(([c]) => c)
        .sort(),
    ).toEqual(["Add-DistributionGroupMember", "Remove-DistributionGroupMember"]);
    expect(p.actions.find((a) => a.cmdlet === "Remove-DistributionGroupMember")?.parameters.Member).toBe(
      "anna@contoso.com",
    );
    expect(p.actions.find((a) => a.cmdlet === "Add-DistributionGroupMember")?.parameters.Member).toBe(
      "bob@contoso.com",
    );
  });

  it("undo of a pause: switches the rules back on", () => {
    const run = ranOn({ ...always, state: "paused" }, appliedUs());
    expect(run.map((a) => a.cmdlet)).toEqual(["Disable-JournalRule"]);
    expect(calls(valid(planUndo(run, appliedUs(false))))).toEqual([["Enable-JournalRule", RULE]]);
  });

  it("undo of a removal: re-creates the connector, then the rule with its old properties", () => {
    const run = ranOn({ ...always, state: "removed" }, appliedUs());
    const p = valid(planUndo(run, observed(NDR)));
    expect(p.actions.map((a) => a.cmdlet)).toEqual(["New-OutboundConnector", "New-JournalRule"]);
    expect(p.actions[1]).toMatchObject({
      parameters: { Name: RULE, JournalEmailAddress: US, Scope: "External", Enabled: true },
      dependsOn: [p.actions[0]!.id],
    });
  });

  it("is idempotent: what is already back is skipped, so undoing again plans nothing", () => {
    const run = ranOn(always, observed());
    expect(planUndo(run, observed()).actions).toEqual([]);
    const pause = ranOn({ ...always, state: "paused" }, appliedUs());
    expect(planUndo(pause, appliedUs(true)).actions).toEqual([]);
  });

  it("only undoes succeeded actions; actions without before-values say they cannot be undone", () => {
    const run = ranOn(always, observed()).map((a) =>
      a.cmdlet === "New-JournalRule"
        ? { ...a, state: "failed" }
        : a.cmdlet === "Set-TransportConfig"
          ? { ...a, before: null }
          : a,
    );
    const p = planUndo(run, created(run));
    expect(p.actions.map((a) => a.cmdlet)).toEqual(["Remove-OutboundConnector"]);
    expect(p.warnings.map((w) => w.code)).toEqual(["undo-cannot"]);
  });

  it("keeps the NDR address when another journal rule still needs it", () => {
    const run = ranOn(always, observed());
    const p = planUndo(run, created(run, [rule(US), rule("vault@archive.example", { Name: "Archive" })]));
    expect(p.actions.map((a) => a.cmdlet)).toEqual(["Remove-JournalRule", "Remove-OutboundConnector"]);
    expect(p.warnings[0]?.message).toContain("1 other journal rule still needs it");
  });
});
