import { planSetup, resolveDesiredState, type ResolvedSetup } from "../../../src/core";
import { diffDistributionGroups } from "../../../src/core/resources/distributionGroup/diff";
import { permissions as groupPermissions } from "../../../src/core/resources/distributionGroup";
import { diffJournalRules } from "../../../src/core/resources/journalRule/diff";
import { permissions as rulePermissions } from "../../../src/core/resources/journalRule";
import { diffOutboundConnectors } from "../../../src/core/resources/outboundConnector/diff";
import { permissions as connectorPermissions } from "../../../src/core/resources/outboundConnector";
import { diffTransportConfig } from "../../../src/core/resources/transportConfig/diff";
import { permissions as ndrPermissions } from "../../../src/core/resources/transportConfig";
import { BOM_HOST, connector, EU1_HOST, euIndia, gateway, observed, rule, US_HOST, usEveryone } from "./fixtures";

function setup(input: unknown): ResolvedSetup {
  const r = resolveDesiredState(input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

// Five scenarios per resource (Microsoft365DSC's template): absent -> create; drifted -> update;
// should be absent -> remove; as desired -> nothing; read round-trip.

describe("transport config (undeliverable journal reports address)", () => {
  const s = setup(usEveryone);
  it("creates: unset address (Exchange prints <>) is set", () => {
    const d = diffTransportConfig(s, observed({ "Get-TransportConfig": { JournalingReportNdrTo: "<>" } }));
    expect(d.actions).toEqual([
      expect.objectContaining({
        cmdlet: "Set-TransportConfig",
        parameters: { JournalingReportNdrTo: "journal-ndr@contoso.com" },
      }),
    ]);
    expect(d.status[0]).toMatchObject({ state: "missing" });
  });
  it("updates a different address and names the drift", () => {
    const d = diffTransportConfig(s, observed({ "Get-TransportConfig": { JournalingReportNdrTo: "old@contoso.com" } }));
    expect(d.status[0]).toMatchObject({
      state: "drifted",
      drift: [{ property: "JournalingReportNdrTo", desired: "journal-ndr@contoso.com", actual: "old@contoso.com" }],
    });
    expect(d.actions[0]?.reason).toContain("old@contoso.com");
  });
  it("is never cleared (should-be-absent does not apply): an address set by hand for other rules stays", () => {
    const d = diffTransportConfig(
      s,
      observed({ "Get-TransportConfig": { JournalingReportNdrTo: "Journal-NDR@Contoso.com" } }),
    );
    expect(d.actions).toEqual([]);
  });
  it("as desired (case-insensitive) -> no action, status ok", () => {
    const d = diffTransportConfig(
      s,
      observed({ "Get-TransportConfig": { JournalingReportNdrTo: "JOURNAL-NDR@contoso.com" } }),
    );
    expect(d.actions).toEqual([]);
    expect(d.status[0]?.state).toBe("ok");
  });
  it("round-trips a read: the observed object keeps Exchange's extra properties", () => {
    const o = observed({
      "Get-TransportConfig": { JournalingReportNdrTo: "x@contoso.com", JournalMessageExpirationDays: 0 },
    });
    expect(o["Get-TransportConfig"]).toEqual({
      JournalingReportNdrTo: "x@contoso.com",
      JournalMessageExpirationDays: 0,
    });
  });
});

describe("outbound connector", () => {
  const always = setup({ ...usEveryone, connector: "always" });
  it("creates a Partner connector, host as domain and smart host, no MX, trusted-CA TLS", () => {
    const d = diffOutboundConnectors(always, observed());
    expect(d.actions).toEqual([
      expect.objectContaining({
        cmdlet: "New-OutboundConnector",
        parameters: {
          Name: "Deliver journal directly to Area 1",
          ConnectorType: "Partner",
          RecipientDomains: [US_HOST],
          SmartHosts: [US_HOST],
          UseMXRecord: false,
          TlsSettings: "CertificateValidation",
          IsTransportRuleScoped: false,
          Enabled: true,
        },
      }),
    ]);
  });
  it("updates only the drifted properties of a connector found by its domain, whatever its name", () => {
    const o = observed({
      "Get-OutboundConnector": [
        connector(US_HOST, { Name: "Hand made", TlsSettings: "EncryptionOnly", Enabled: false }),
      ],
    });
    const d = diffOutboundConnectors(always, o);
    expect(d.actions).toEqual([
      expect.objectContaining({
        cmdlet: "Set-OutboundConnector",
        parameters: { Identity: "Hand made", TlsSettings: "CertificateValidation", Enabled: true },
      }),
    ]);
    expect(d.status[0]).toMatchObject({
      state: "drifted",
      drift: [
        { property: "TlsSettings", desired: "CertificateValidation", actual: "EncryptionOnly" },
        { property: "Enabled", desired: true, actual: false },
      ],
    });
  });
  it("never adds a second host to a connector; narrows a mixed one and warns", () => {
    const o = observed({
      "Get-OutboundConnector": [connector(US_HOST, { Name: "Mixed", RecipientDomains: [US_HOST, EU1_HOST] })],
    });
    const d = diffOutboundConnectors(always, o);
    expect(d.actions[0]?.parameters.RecipientDomains).toEqual([US_HOST]);
    expect(d.warnings.map((w) => w.code)).toContain("connector-shared-domains");
  });
  it("removes a connector to a host the setup no longer uses", () => {
    const o = observed({ "Get-OutboundConnector": [connector(US_HOST), connector(EU1_HOST, { Name: "Old EU" })] });
    const d = diffOutboundConnectors(always, o);
    expect(d.actions).toEqual([
      expect.objectContaining({
        cmdlet: "Remove-OutboundConnector",
        parameters: { Identity: "Old EU", Confirm: false },
      }),
    ]);
  });
  it("as desired -> nothing; DomainValidation (stricter) is accepted", () => {
    const o = observed({ "Get-OutboundConnector": [connector(US_HOST, { TlsSettings: "DomainValidation" })] });
    expect(diffOutboundConnectors(always, o).actions).toEqual([]);
  });
  it("auto: no gateway -> no connector; gateway -> connector; never + gateway -> warning", () => {
    const auto = setup(usEveryone);
    expect(diffOutboundConnectors(auto, observed()).actions).toEqual([]);
    const withGateway = observed({ "Get-OutboundConnector": [gateway] });
    expect(diffOutboundConnectors(auto, withGateway).actions.map((a) => a.cmdlet)).toEqual(["New-OutboundConnector"]);
    expect(diffOutboundConnectors(auto, withGateway).actions[0]?.reason).toContain("Outbound to gateway");
    const never = diffOutboundConnectors(setup({ ...usEveryone, connector: "never" }), withGateway);
    expect(never.actions).toEqual([]);
    expect(never.warnings.map((w) => w.code)).toEqual(["gateway-without-connector"]);
  });
  it("auto without a gateway keeps a hand-made connector in shape but creates none for other hosts", () => {
    const regions = setup({ ...euIndia, connector: "auto" });
    const o = observed({ "Get-OutboundConnector": [connector(EU1_HOST, { Enabled: false })] });
    const d = diffOutboundConnectors(regions, o);
    expect(d.actions.map((a) => [a.cmdlet, a.parameters])).toEqual([
      ["Set-OutboundConnector", { Identity: `Connector ${EU1_HOST}`, Enabled: true }],
    ]);
  });
  it("a gateway scoped to mail flow rules is not a gateway (journal reports skip those rules)", () => {
    const scoped = observed({ "Get-OutboundConnector": [{ ...gateway, IsTransportRuleScoped: true }] });
    expect(diffOutboundConnectors(setup(usEveryone), scoped).actions).toEqual([]);
  });
  it("picks another name when the default name is taken by an unrelated connector", () => {
    const o = observed({ "Get-OutboundConnector": [{ ...gateway, Name: "Deliver journal directly to Area 1" }] });
    const d = diffOutboundConnectors(always, o);
    expect(d.actions[0]?.parameters.Name).toBe("Deliver journal directly to Area 1 (us)");
  });
  it("round-trips a read: single strings become one-element lists, extras are kept", () => {
    const o = observed({ "Get-OutboundConnector": [connector(US_HOST, { SmartHosts: US_HOST, Comment: "kept" })] });
    expect(o["Get-OutboundConnector"][0]).toMatchObject({ SmartHosts: [US_HOST], Comment: "kept" });
    expect(diffOutboundConnectors(always, o).actions).toEqual([]);
  });
});

describe("distribution group", () => {
  const regions = setup(euIndia);
  it("creates a missing group with its members in one call", () => {
    const d = diffDistributionGroups(regions, observed());
    expect(d.actions[0]).toMatchObject({
      cmdlet: "New-DistributionGroup",
      parameters: {
        Name: "Journaling EU",
        Alias: "journaling-eu",
        PrimarySmtpAddress: "journaling-eu@contoso.com",
        Type: "Distribution",
        Members: ["anna@contoso.com"],
      },
    });
  });
  const existing = {
    "Get-DistributionGroup": [
      { Name: "EU staff", PrimarySmtpAddress: "journaling-eu@contoso.com" },
      { Name: "IN staff", PrimarySmtpAddress: "journaling-in@contoso.com" },
    ],
  };
  it("adds missing and removes extra members of a group found by address", () => {
    const d = diffDistributionGroups(
      regions,
      observed({
        ...existing,
        "Get-DistributionGroupMember": {
          "journaling-eu@contoso.com": [{ PrimarySmtpAddress: "zoe@contoso.com" }],
          "JOURNALING-IN@contoso.com": [{ PrimarySmtpAddress: "priya@contoso.com" }],
        },
      }),
    );
    expect(d.actions.map((a) => [a.cmdlet, a.parameters])).toEqual([
      // The list may be another admin's (ManagedBy = its creator): every member change bypasses the owner check.
      [
        "Add-DistributionGroupMember",
        { Identity: "journaling-eu@contoso.com", Member: "anna@contoso.com", BypassSecurityGroupManagerCheck: true },
      ],
      [
        "Remove-DistributionGroupMember",
        {
          Identity: "journaling-eu@contoso.com",
          Member: "zoe@contoso.com",
          BypassSecurityGroupManagerCheck: true,
          Confirm: false,
        },
      ],
    ]);
    expect(d.status.map((s) => s.state)).toEqual(["drifted", "ok"]);
  });
  it("leaves membership alone when the setup lists no members (reusing a list)", () => {
    const reuse = setup({
      ...euIndia,
      journaling: { regions: [{ region: "eu1", group: { name: "EU staff", address: "journaling-eu@contoso.com" } }] },
    });
    expect(diffDistributionGroups(reuse, observed(existing)).actions).toEqual([]);
  });
  it("refuses to plan from a failed read: members of an existing group must have been read", () => {
    expect(() => diffDistributionGroups(regions, observed(existing))).toThrow(/Get-DistributionGroupMember/);
    const r = planSetup(euIndia, observed(existing));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.path).toBe("observed");
  });
  it("as desired -> nothing", () => {
    const d = diffDistributionGroups(
      regions,
      observed({
        ...existing,
        "Get-DistributionGroupMember": {
          "journaling-eu@contoso.com": [{ PrimarySmtpAddress: "Anna@contoso.com" }],
          "journaling-in@contoso.com": [{ PrimarySmtpAddress: "priya@contoso.com" }],
        },
      }),
    );
    expect(d.actions).toEqual([]);
  });
});

describe("journal rule", () => {
  const s = setup(usEveryone);
  it("creates an enabled External rule without -Recipient for everyone", () => {
    const d = diffJournalRules(s, observed());
    expect(d.actions).toEqual([
      expect.objectContaining({
        cmdlet: "New-JournalRule",
        parameters: {
          Name: "Journal Messages to Cloudflare Area 1",
          JournalEmailAddress: `contoso@${US_HOST}`,
          Scope: "External",
          Enabled: true,
        },
      }),
    ]);
  });
  it("finds a hand-made rule by what it does, fixes scope with Set and enables it with Enable-JournalRule", () => {
    const o = observed({
      "Get-JournalRule": [rule(`contoso@${US_HOST}`, { Name: "Mine", Scope: "Global", Enabled: false })],
    });
    const d = diffJournalRules(s, o);
    expect(d.actions.map((a) => [a.cmdlet, a.parameters])).toEqual([
      ["Set-JournalRule", { Identity: "Mine", Scope: "External" }],
      ["Enable-JournalRule", { Identity: "Mine" }],
    ]);
    expect(d.status[0]?.drift.map((x) => x.property)).toEqual(["Scope", "Enabled"]);
  });
  it("a disabled but otherwise right rule needs only Enable-JournalRule (Set-JournalRule has no -Enabled)", () => {
    const d = diffJournalRules(s, observed({ "Get-JournalRule": [rule(`contoso@${US_HOST}`, { Enabled: false })] }));
    expect(d.actions.map((a) => a.cmdlet)).toEqual(["Enable-JournalRule"]);
  });
  it("switches a rule with the setup's name from a group to everyone with -Recipient $null", () => {
    const o = observed({ "Get-JournalRule": [rule(`contoso@${US_HOST}`, { Recipient: "old@contoso.com" })] });
    const d = diffJournalRules(s, o);
    expect(d.actions[0]).toMatchObject({
      cmdlet: "Set-JournalRule",
      parameters: { Identity: "Journal Messages to Cloudflare Area 1", Recipient: null },
    });
  });
  it("removes a rule to a region the setup dropped; leaves other destinations alone with a warning", () => {
    const regions = setup(euIndia);
    const o = observed({
      "Get-JournalRule": [rule(`contoso@${US_HOST}`), rule("archive@archive.example", { Name: "Archive" })],
    });
    const d = diffJournalRules(regions, o);
    expect(d.actions.filter((a) => a.cmdlet === "Remove-JournalRule").map((a) => a.parameters)).toEqual([
      { Identity: "Journal Messages to Cloudflare Area 1", Confirm: false },
    ]);
    expect(d.warnings).toEqual([expect.objectContaining({ code: "other-journal-destination" })]);
    expect(d.warnings[0]?.message).toContain("archive@archive.example");
  });
  it("as desired -> nothing", () => {
    expect(diffJournalRules(s, observed({ "Get-JournalRule": [rule(`CONTOSO@${US_HOST}`)] })).actions).toEqual([]);
  });
  it("per-region rules carry the region in their name and the group as recipient", () => {
    const d = diffJournalRules(setup(euIndia), observed());
    expect(d.actions.map((a) => a.parameters)).toEqual([
      {
        Name: "Journal Messages to Cloudflare Area 1 (eu1)",
        JournalEmailAddress: `contoso@${EU1_HOST}`,
        Recipient: "journaling-eu@contoso.com",
        Scope: "External",
        Enabled: true,
      },
      {
        Name: "Journal Messages to Cloudflare Area 1 (bom)",
        JournalEmailAddress: `contoso@${BOM_HOST}`,
        Recipient: "journaling-in@contoso.com",
        Scope: "External",
        Enabled: true,
      },
    ]);
  });
  it("round-trips a read: an unset recipient (null or empty) means everyone", () => {
    const o = observed({ "Get-JournalRule": [rule(`contoso@${US_HOST}`, { Recipient: "", Extra: 1 })] });
    expect(o["Get-JournalRule"][0]).toMatchObject({ Extra: 1 });
    expect(diffJournalRules(s, o).actions).toEqual([]);
  });
});

describe("the Exchange roles each resource declares (Microsoft's role for each cmdlet it runs)", () => {
  it.each([
    // Set-TransportConfig: Organization Transport Settings, or Journaling for JournalingReportNdrTo (never Transport Hygiene, the anti-spam role).
    [
      "transport config",
      ndrPermissions,
      ["View-Only Configuration"],
      ["Organization Transport Settings", "Journaling"],
    ],
    ["outbound connector", connectorPermissions, ["View-Only Configuration"], ["Remote and Accepted Domains"]],
    // Member changes carry -BypassSecurityGroupManagerCheck: Security Group Creation and Membership (or Organization Management).
    [
      "distribution group",
      groupPermissions,
      ["View-Only Recipients"],
      ["Distribution Groups", "Security Group Creation and Membership"],
    ],
    ["journal rule", rulePermissions, ["View-Only Configuration"], ["Journaling"]],
  ])("%s", (_name, declared, read, change) => {
    expect(declared.read.exchangeRoles).toEqual(read);
    expect(declared.change.exchangeRoles).toEqual(change);
  });
});
