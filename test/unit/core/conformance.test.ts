import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { checkCall, getCmdletSpec } from "../../../src/core/exchange/catalog";
import { area1, planSetup, type Action, type ObservedState } from "../../../src/core";
import { connector, euIndia, gateway, observed, rule, US_HOST, usEveryone } from "./fixtures";

const vendored = path.join(__dirname, "../../../src/core/exchange/cmdlets.json");
const shared = path.join(__dirname, "../../../../shared/reference/cmdlets.json");

/** Every plan the product can emit across the scenarios the planner distinguishes. */
function allActions(): Action[] {
  const desired: unknown[] = [usEveryone, euIndia, { ...usEveryone, connector: "always" }];
  for (const r of area1.regions) {
    desired.push({ ...usEveryone, connector: "always", journaling: { everyone: { region: r.id } } });
  }
  const tenants: ObservedState[] = [
    observed(),
    observed({ "Get-OutboundConnector": [gateway] }),
    observed({
      "Get-TransportConfig": { JournalingReportNdrTo: "someone@contoso.com" },
      "Get-OutboundConnector": [
        connector(US_HOST, {
          Enabled: false,
          UseMXRecord: true,
          TlsSettings: null,
          ConnectorType: "OnPremises",
          IsTransportRuleScoped: true,
          SmartHosts: ["x.example"],
        }),
        connector("journaling.mailstream-asia.mxrecord.mx"),
      ],
      "Get-JournalRule": [
        rule(`contoso@${US_HOST}`, { Scope: "Global", Enabled: false, Recipient: "x@contoso.com" }),
        rule("contoso@journaling.mailstream-asia.mxrecord.mx", { Name: "Asia" }),
      ],
      "Get-DistributionGroup": [{ Name: "EU", PrimarySmtpAddress: "journaling-eu@contoso.com" }],
      "Get-DistributionGroupMember": { "journaling-eu@contoso.com": [{ PrimarySmtpAddress: "old@contoso.com" }] },
    }),
  ];
  const actions: Action[] = [];
  for (const d of desired) {
    for (const t of tenants) {
      const r = planSetup(d, t);
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      actions.push(...r.plan.actions);
    }
  }
  return actions;
}

describe("every emitted cmdlet, parameter and enum value exists in the reference cmdlets.json", () => {
  const actions = allActions();

  it("covers every cmdlet the planner can emit", () => {
    expect(new Set(actions.map((a) => a.cmdlet))).toEqual(
      new Set([
        "Set-TransportConfig",
        "New-OutboundConnector",
        "Set-OutboundConnector",
        "Remove-OutboundConnector",
        "New-DistributionGroup",
        "Add-DistributionGroupMember",
        "Remove-DistributionGroupMember",
        "New-JournalRule",
        "Set-JournalRule",
        "Enable-JournalRule",
        "Remove-JournalRule",
      ]),
    );
  });

  it("binds every action without an issue (names, types, enum values, mandatory parameters)", () => {
    for (const a of actions) {
      expect({ cmdlet: a.cmdlet, issues: checkCall(a.cmdlet, a.parameters) }).toEqual({ cmdlet: a.cmdlet, issues: [] });
      const spec = getCmdletSpec(a.cmdlet);
      for (const name of Object.keys(a.parameters)) expect(spec?.parameters[name]).toBeDefined();
    }
  });

  it("the checker itself catches unknown parameters, bad enums, wrong types and missing mandatory ones", () => {
    expect(checkCall("New-OutboundConnector", { Name: "x", RequireTls: true })).toEqual([
      { kind: "unknownParameter", parameter: "RequireTls" },
    ]);
    expect(
      checkCall("New-JournalRule", { Name: "x", JournalEmailAddress: "a@b.example", Scope: "Everyone" })[0],
    ).toMatchObject({ kind: "badEnum" });
    expect(
      checkCall("New-JournalRule", { Name: "x", JournalEmailAddress: "a@b.example", Enabled: "yes" })[0],
    ).toMatchObject({ kind: "wrongType" });
    expect(checkCall("New-JournalRule", { Name: "x" })).toEqual([
      { kind: "missingMandatory", parameters: ["JournalEmailAddress"] },
    ]);
    expect(checkCall("Set-JournalRule", { Identity: "x", Enabled: true })).toEqual([
      { kind: "unknownParameter", parameter: "Enabled" },
    ]);
  });

  it("the vendored catalog is the reference file, unchanged", () => {
    if (!existsSync(shared)) {
      // CI clones the project alone; the copy is then checked for shape instead.
      expect(
        (JSON.parse(readFileSync(vendored, "utf8")) as { _source: { repository: string } })._source.repository,
      ).toBe("MicrosoftDocs/office-docs-powershell");
      return;
    }
    expect(readFileSync(vendored, "utf8")).toBe(readFileSync(shared, "utf8"));
  });
});
