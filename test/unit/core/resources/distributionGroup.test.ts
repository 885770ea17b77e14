import { distributionGroup } from "../../../../src/core/resources/distributionGroup";
import { EU1_HOST, euIndia, observed, rule } from "../fixtures";
import { describeResource, setupOf } from "./scenarios";

const EU = "journaling-eu@contoso.com";
const IN = "journaling-in@contoso.com";
const setup = setupOf(euIndia);
const both = (euMembers: string[], inMembers: string[]): Record<string, unknown> => ({
  "Get-DistributionGroup": [
    { Name: "Journaling EU", PrimarySmtpAddress: EU },
    { Name: "Journaling India", PrimarySmtpAddress: IN },
  ],
  "Get-DistributionGroupMember": {
    [EU]: euMembers.map((m) => ({ PrimarySmtpAddress: m })),
    [IN]: inMembers.map((m) => ({ PrimarySmtpAddress: m })),
  },
});

describeResource("distributionGroup", {
  "absent -> create": () => {
    const d = distributionGroup.diff(setup, observed());
    expect(d.actions.map((a) => [a.cmdlet, a.parameters.PrimarySmtpAddress, a.parameters.Members])).toEqual([
      ["New-DistributionGroup", EU, ["anna@contoso.com"]],
      ["New-DistributionGroup", IN, ["priya@contoso.com"]],
    ]);
  },
  "present and equal -> nothing": () => {
    const d = distributionGroup.diff(setup, observed(both(["anna@contoso.com"], ["PRIYA@contoso.com"])));
    expect(d.actions).toEqual([]);
    expect(d.status.map((s) => s.state)).toEqual(["ok", "ok"]);
  },
  "drifted -> set": () => {
    const d = distributionGroup.diff(setup, observed(both(["old@contoso.com"], ["priya@contoso.com"])));
    expect(d.actions.map((a) => [a.cmdlet, a.parameters.Member])).toEqual([
      ["Add-DistributionGroupMember", "anna@contoso.com"],
      ["Remove-DistributionGroupMember", "old@contoso.com"],
    ]);
    expect(d.status[0]?.drift).toEqual([
      { property: "Members", desired: ["anna@contoso.com"], actual: ["old@contoso.com"] },
    ]);
  },
  paused: () => {
    const d = distributionGroup.diff(setupOf({ ...euIndia, state: "paused" }), observed(both(["old@contoso.com"], [])));
    expect(d.actions).toEqual([]);
    expect(d.status[0]?.state).toBe("drifted");
  },
  removed: () => {
    // Lists always stay (the product cannot run Remove-DistributionGroup); the plan says why, and
    // names another journal rule that uses a list.
    const o = observed({
      ...both([], []),
      "Get-JournalRule": [
        rule(`contoso@${EU1_HOST}`, { Name: "EU rule", Recipient: EU }),
        rule("vault@archive.example", { Name: "Archive EU", Recipient: EU }),
      ],
    });
    const d = distributionGroup.diff(setupOf({ ...euIndia, state: "removed" }), o);
    expect(d.actions).toEqual([]);
    expect(d.warnings.map((w) => w.code)).toEqual(["removal-keeps", "removal-keeps"]);
    expect(d.warnings[0]?.message).toContain('journal rule "Archive EU" outside the setup also names it');
    expect(d.warnings[0]?.message).not.toContain("EU rule");
    expect(d.warnings[1]?.message).toContain("no other journal rule names it");
  },
  "made by hand -> recognised, not duplicated": () => {
    // Recognised by its address, whatever its name.
    const d = distributionGroup.diff(
      setupOf({
        ...euIndia,
        journaling: { regions: [{ region: "eu1", group: { name: "Journaling EU", address: EU } }] },
      }),
      observed({ "Get-DistributionGroup": [{ Name: "EU people (by hand)", PrimarySmtpAddress: EU.toUpperCase() }] }),
    );
    expect(d.actions).toEqual([]);
    expect(d.status[0]).toMatchObject({ state: "ok", identity: "EU people (by hand)" });
  },
});
