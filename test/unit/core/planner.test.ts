import { emptyTenant, planHash, planSetup, type Plan } from "../../../src/core";
import { BOM_HOST, connector, EU1_HOST, euIndia, gateway, observed, rule, US_HOST, usEveryone } from "./fixtures";

function plan(desired: unknown, o = emptyTenant()): Plan {
  const r = planSetup(desired, o);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.plan;
}

/** The observed state a tenant has after the plan ran (what a faithful apply leaves behind). */
const configuredUs = observed({
  "Get-TransportConfig": { JournalingReportNdrTo: "journal-ndr@contoso.com" },
  "Get-JournalRule": [rule(`contoso@${US_HOST}`)],
});

describe("planner", () => {
  it("empty tenant, US everyone, no gateway: NDR address, then the rule, which waits for it", () => {
    const p = plan(usEveryone);
    expect(p.actions.map((a) => a.id)).toEqual(["transport-config", "journal-rule:us"]);
    expect(p.actions[1]?.dependsOn).toEqual(["transport-config"]);
    expect(p.warnings.map((w) => w.code)).toEqual(["external-scope-spoofing", "ndr-mailbox-advice"]);
  });

  it("fully configured tenant: zero actions", () => {
    expect(plan(usEveryone, configuredUs).actions).toEqual([]);
  });

  it("partially configured: only what is missing", () => {
    const o = observed({ "Get-TransportConfig": { JournalingReportNdrTo: "journal-ndr@contoso.com" } });
    const p = plan(usEveryone, o);
    expect(p.actions.map((a) => a.cmdlet)).toEqual(["New-JournalRule"]);
    expect(p.actions[0]?.dependsOn).toEqual([]);
  });

  it("outbound gateway present: a direct connector, and the rule waits for connector and NDR address", () => {
    const p = plan(usEveryone, observed({ "Get-OutboundConnector": [gateway] }));
    expect(p.actions.map((a) => a.id)).toEqual(["transport-config", `connector:${US_HOST}`, "journal-rule:us"]);
    expect(p.actions[2]?.dependsOn).toEqual(["transport-config", `connector:${US_HOST}`]);
  });

  it("regions on an empty tenant: independent NDR/connectors/groups first, each rule after its own group and connector", () => {
    const p = plan(euIndia);
    expect(p.actions.map((a) => a.id)).toEqual([
      "transport-config",
      `connector:${EU1_HOST}`,
      `connector:${BOM_HOST}`,
      "group:journaling-eu@contoso.com",
      "group:journaling-in@contoso.com",
      "journal-rule:eu1",
      "journal-rule:bom",
    ]);
    expect(p.actions.find((a) => a.id === "journal-rule:bom")?.dependsOn).toEqual([
      "transport-config",
      `connector:${BOM_HOST}`,
      "group:journaling-in@contoso.com",
    ]);
    for (const a of p.actions.slice(0, 5)) expect(a.dependsOn).toEqual([]);
    expect(p.warnings.map((w) => w.code)).toContain("users-outside-groups");
  });

  it("switching from US everyone to EU+India removes the US rule before creating new ones", () => {
    const p = plan(euIndia, configuredUs);
    const remove = p.actions.find((a) => a.cmdlet === "Remove-JournalRule");
    expect(remove?.parameters).toEqual({ Identity: "Journal Messages to Cloudflare Area 1", Confirm: false });
    for (const a of p.actions.filter((x) => x.cmdlet === "New-JournalRule")) expect(a.dependsOn).toContain(remove?.id);
    expect(p.actions.some((a) => a.cmdlet === "Set-TransportConfig")).toBe(false);
  });

  it("drifted values become Set- actions with the reason naming desired and actual", () => {
    const o = observed({
      "Get-TransportConfig": { JournalingReportNdrTo: "journal-ndr@contoso.com" },
      "Get-JournalRule": [rule(`contoso@${US_HOST}`, { Scope: "Internal" })],
    });
    const p = plan(usEveryone, o);
    expect(p.actions).toEqual([
      expect.objectContaining({
        cmdlet: "Set-JournalRule",
        parameters: { Identity: "Journal Messages to Cloudflare Area 1", Scope: "External" },
      }),
    ]);
    expect(p.actions[0]?.reason).toMatch(/Scope is Internal, should be External/);
  });

  it("refuses a setup past Exchange Online's limit of 50 journal rules, counting existing ones", () => {
    const many = Array.from({ length: 49 }, (_, i) => rule(`archive${i}@archive.example`, { Name: `Archive ${i}` }));
    const r = planSetup(euIndia, observed({ "Get-JournalRule": many }));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0]?.path).toBe("journaling.regions");
      expect(r.errors[0]?.message).toMatch(
        /has 49 journal rules and this setup would bring it to 51; Exchange Online allows at most 50/,
      );
    }
    expect(planSetup(usEveryone, observed({ "Get-JournalRule": many })).ok).toBe(true);
  });

  it("refuses a group as the NDR address (Exchange refuses groups)", () => {
    const r = planSetup(
      { ...usEveryone, ndrMailbox: "all-staff@contoso.com" },
      observed({ "Get-DistributionGroup": [{ Name: "All staff", PrimarySmtpAddress: "all-staff@contoso.com" }] }),
    );
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors).toEqual([
        { path: "ndrMailbox", message: expect.stringMatching(/group "All staff".*user account/) },
      ]);
  });

  it("a hand-made setup under other names is found, not duplicated", () => {
    const o = observed({
      "Get-TransportConfig": { JournalingReportNdrTo: "journal-ndr@contoso.com" },
      "Get-OutboundConnector": [gateway, connector(US_HOST, { Name: "My Area 1 connector" })],
      "Get-JournalRule": [rule(`contoso@${US_HOST}`, { Name: "Area1 journaling" })],
    });
    expect(plan(usEveryone, o).actions).toEqual([]);
  });

  it("plan hash: same plan, same hash; any change, another hash", () => {
    const a = plan(euIndia);
    expect(planHash(a)).toBe(planHash(plan(euIndia)));
    expect(planHash(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(planHash(plan(usEveryone))).not.toBe(planHash(a));
    expect(planHash(plan(usEveryone, configuredUs))).not.toBe(planHash(plan(usEveryone)));
  });
});
