import { request } from "../emulator/helpers";
import {
  JOURNAL,
  NDR,
  daemonCaller,
  fail,
  resetEmulator,
  run,
  startTenant,
  userCaller,
  type Caller,
  type TestTenant,
} from "./client";

/**
 * Every cmdlet the product uses, driven over HTTPS as a REST client does, with the output
 * property names the product reads; and PowerShell's parameter-binding errors.
 */
let t: TestTenant;
let admin: Caller;
let app: Caller;

beforeAll(async () => {
  t = await startTenant();
  [admin, app] = await Promise.all([userCaller(t.emu, "exchange.admin@contoso.com"), daemonCaller(t.emu)]);
});
afterAll(() => t.stop());
beforeEach(() => resetEmulator(t.emu));

describe("directory reads", () => {
  it("Get-AcceptedDomain and Get-OrganizationConfig describe the tenant", async () => {
    const domains = (await run(t.emu, app, "Get-AcceptedDomain")).rows;
    expect(domains.map((d) => [d.DomainName, d.DomainType, d.Default, d.InitialDomain])).toEqual(
      expect.arrayContaining([
        ["contoso.com", "Authoritative", true, false],
        ["contoso.onmicrosoft.com", "Authoritative", false, true],
      ]),
    );
    // Documented caution: an Identity that names nothing returns every domain.
    expect((await run(t.emu, app, "Get-AcceptedDomain", { Identity: "nope.example" })).rows).toHaveLength(
      domains.length,
    );
    const org = (await run(t.emu, app, "Get-OrganizationConfig")).rows;
    expect(org).toEqual([
      expect.objectContaining({ Name: "contoso.onmicrosoft.com", OrganizationId: t.emu.config.apps.daemon.tenant }),
    ]);
    expect(typeof org[0]?.IsDehydrated).toBe("boolean");
  });

  it("Get-Recipient lists mailboxes and groups; M365 groups only when asked by type", async () => {
    const all = (await run(t.emu, app, "Get-Recipient", { ResultSize: "Unlimited" })).rows;
    const byAddress = new Map(all.map((r) => [r.PrimarySmtpAddress, r.RecipientTypeDetails]));
    expect(byAddress.get("alex.wilber@contoso.com")).toBe("UserMailbox");
    expect(byAddress.get("info@contoso.com")).toBe("SharedMailbox");
    expect(byAddress.get("journal-ndr@contoso.com")).toBe("UserMailbox");
    expect(byAddress.get("sales@contoso.com")).toBe("MailUniversalDistributionGroup");
    expect(byAddress.get("finance-security@contoso.com")).toBe("MailUniversalSecurityGroup");
    expect(byAddress.has("project-apollo@contoso.com")).toBe(false);
    const unified = (await run(t.emu, app, "Get-Recipient", { RecipientTypeDetails: ["GroupMailbox"] })).rows;
    expect(unified.map((r) => r.PrimarySmtpAddress)).toEqual(["project-apollo@contoso.com"]);
    const one = (await run(t.emu, app, "Get-Recipient", { Identity: "anna.schmidt@contoso.com" })).rows;
    expect(one).toEqual([expect.objectContaining({ DisplayName: "Anna Schmidt", RecipientType: "UserMailbox" })]);
    const missing = await fail(t.emu, app, "Get-Recipient", { Identity: "nobody@contoso.com" });
    expect([missing.status, missing.exceptionType]).toEqual([
      404,
      "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException",
    ]);
  });

  it("Get-Mailbox returns user and shared mailboxes, and filters by type", async () => {
    const all = (await run(t.emu, app, "Get-Mailbox", { ResultSize: "Unlimited" })).rows;
    expect(all.length).toBeGreaterThan(15);
    expect(new Set(all.map((m) => m.RecipientTypeDetails))).toEqual(new Set(["UserMailbox", "SharedMailbox"]));
    const shared = (await run(t.emu, app, "Get-Mailbox", { RecipientTypeDetails: ["SharedMailbox"] })).rows;
    expect(shared).toEqual([expect.objectContaining({ PrimarySmtpAddress: "info@contoso.com", IsShared: true })]);
    const ndr = (await run(t.emu, admin, "Get-Mailbox", { Identity: NDR })).rows;
    expect(ndr).toHaveLength(1);
    // A group is not a mailbox.
    expect((await fail(t.emu, app, "Get-Mailbox", { Identity: "sales@contoso.com" })).status).toBe(404);
  });
});

describe("transport config", () => {
  it("Get-/Set-TransportConfig: the NDR address starts as <>, is set, and an unchanged Set warns", async () => {
    expect((await run(t.emu, admin, "Get-TransportConfig")).rows[0]).toMatchObject({
      Identity: "Transport Settings",
      JournalingReportNdrTo: "<>",
    });
    const set = await run(t.emu, admin, "Set-TransportConfig", { JournalingReportNdrTo: NDR });
    expect(set).toMatchObject({ rows: [], warnings: [] });
    expect((await run(t.emu, app, "Get-TransportConfig")).rows[0]?.JournalingReportNdrTo).toBe(NDR);
    const again = await run(t.emu, app, "Set-TransportConfig", { JournalingReportNdrTo: NDR });
    expect(again.warnings).toEqual([
      "The command completed successfully but no settings of 'Transport Settings' have been modified.",
    ]);
    // An external address is allowed for undeliverable reports, consumer webmail included.
    await run(t.emu, app, "Set-TransportConfig", { JournalingReportNdrTo: "ndr-archive@gmail.com" });
    const range = await fail(t.emu, app, "Set-TransportConfig", { JournalMessageExpirationDays: 8 });
    expect(range.message).toBe(
      "Cannot validate argument on parameter 'JournalMessageExpirationDays'. The 8 argument is greater than the maximum allowed range of 7. Supply an argument that is less than or equal to 7 and then try the command again.",
    );
  });
});

describe("outbound connectors", () => {
  const connector = {
    Name: "Cloudflare Area 1 journaling",
    ConnectorType: "Partner",
    RecipientDomains: ["area1-vault.example"],
    SmartHosts: ["journaling.mxrecord.io"],
    UseMXRecord: false,
    TlsSettings: "DomainValidation",
    TlsDomain: "mxrecord.io",
    Comment: "Created by Journaling Assistant",
  };

  it("New-, Get-, Set-, Validate- and Remove-OutboundConnector", async () => {
    const created = (await run(t.emu, app, "New-OutboundConnector", connector)).rows;
    expect(created[0]).toMatchObject({
      Identity: connector.Name,
      Name: connector.Name,
      Enabled: true,
      ConnectorType: "Partner",
      ConnectorSource: "Default",
      RecipientDomains: ["area1-vault.example"],
      "RecipientDomains@odata.type": "#Collection(String)",
      SmartHosts: ["journaling.mxrecord.io"],
      UseMXRecord: false,
      TlsSettings: "DomainValidation",
      TlsDomain: "mxrecord.io",
      IsTransportRuleScoped: false,
      IsValidated: false,
      LastValidationTimestamp: null,
    });
    expect((await run(t.emu, admin, "Get-OutboundConnector", { Identity: connector.Name })).rows).toHaveLength(1);

    const validation = (
      await run(t.emu, admin, "Validate-OutboundConnector", {
        Identity: connector.Name,
        Recipients: ["probe@area1-vault.example"],
      })
    ).rows;
    expect(validation).toEqual([
      expect.objectContaining({ TaskName: "Connectivity check to journaling.mxrecord.io", IsTaskSuccessful: true }),
      expect.objectContaining({ TaskName: "Send test email to probe@area1-vault.example", IsTaskSuccessful: true }),
    ]);
    // Validation does not mark the connector validated; the client records it with Set-.
    expect((await run(t.emu, admin, "Get-OutboundConnector", { Identity: connector.Name })).rows[0]?.IsValidated).toBe(
      false,
    );
    const stamp = "2025-06-02T12:00:00.000Z";
    await run(t.emu, admin, "Set-OutboundConnector", {
      Identity: connector.Name,
      IsValidated: true,
      LastValidationTimestamp: stamp,
      ValidationRecipients: ["probe@area1-vault.example"],
    });
    expect((await run(t.emu, admin, "Get-OutboundConnector")).rows).toEqual([
      expect.objectContaining({
        IsValidated: true,
        LastValidationTimestamp: stamp,
        ValidationRecipients: ["probe@area1-vault.example"],
      }),
    ]);
    const unchanged = await run(t.emu, admin, "Set-OutboundConnector", { Identity: connector.Name, IsValidated: true });
    expect(unchanged.warnings).toEqual([
      `The command completed successfully but no settings of '${connector.Name}' have been modified.`,
    ]);
    await run(t.emu, admin, "Set-OutboundConnector", { Identity: connector.Name, Name: "Area 1", Enabled: false });
    expect((await run(t.emu, admin, "Get-OutboundConnector")).rows.map((c) => [c.Name, c.Enabled])).toEqual([
      ["Area 1", false],
    ]);
    await run(t.emu, app, "Remove-OutboundConnector", { Identity: "Area 1", Confirm: false });
    expect((await run(t.emu, app, "Get-OutboundConnector")).rows).toEqual([]);
    const gone = await fail(t.emu, app, "Remove-OutboundConnector", { Identity: "Area 1" });
    expect(gone.status).toBe(404);
    expect(gone.errorId).toBe("Ex6F9304");
    expect(gone.message).toMatch(/^The operation couldn't be performed because object 'Area 1' couldn't be found on '/);
  });

  it("Get-OutboundConnector with an unknown Identity returns every connector (documented caution)", async () => {
    await resetEmulator(t.emu, "gateway");
    const all = (await run(t.emu, app, "Get-OutboundConnector")).rows;
    expect(all).toEqual([expect.objectContaining({ RecipientDomains: ["*"], UseMXRecord: false })]);
    expect((await run(t.emu, app, "Get-OutboundConnector", { Identity: "no such connector" })).rows).toEqual(all);
  });
});

describe("journal rules", () => {
  it("New-, Get-, Set-, Disable-, Enable- and Remove-JournalRule", async () => {
    await run(t.emu, admin, "Set-TransportConfig", { JournalingReportNdrTo: NDR });
    const created = (
      await run(t.emu, admin, "New-JournalRule", {
        Name: "Area 1 journaling",
        JournalEmailAddress: JOURNAL,
        Scope: "Global",
        Enabled: true,
      })
    ).rows;
    expect(created).toEqual([
      expect.objectContaining({
        Name: "Area 1 journaling",
        Identity: "Area 1 journaling",
        Recipient: null,
        JournalEmailAddress: JOURNAL,
        Scope: "Global",
        Enabled: true,
      }),
    ]);
    await run(t.emu, admin, "Set-JournalRule", {
      Identity: "area 1 journaling", // identities are case-insensitive
      Recipient: "sales@contoso.com",
      Scope: "external", // enum values too; the output is canonical
    });
    expect((await run(t.emu, app, "Get-JournalRule", { Identity: "Area 1 journaling" })).rows[0]).toMatchObject({
      Recipient: "sales@contoso.com",
      Scope: "External",
    });
    await run(t.emu, admin, "Set-JournalRule", { Identity: "Area 1 journaling", Recipient: null });
    await run(t.emu, admin, "Disable-JournalRule", { Identity: "Area 1 journaling", Confirm: false });
    expect((await run(t.emu, app, "Get-JournalRule")).rows[0]).toMatchObject({ Recipient: null, Enabled: false });
    await run(t.emu, admin, "Enable-JournalRule", { Identity: "Area 1 journaling" });
    expect((await run(t.emu, app, "Get-JournalRule")).rows[0]?.Enabled).toBe(true);
    const noop = await run(t.emu, admin, "Enable-JournalRule", { Identity: "Area 1 journaling" });
    expect(noop.warnings).toHaveLength(1);
    await run(t.emu, admin, "Remove-JournalRule", { Identity: "Area 1 journaling", Confirm: false });
    expect((await run(t.emu, app, "Get-JournalRule")).rows).toEqual([]);
    const missing = await fail(t.emu, app, "Get-JournalRule", { Identity: "Area 1 journaling" });
    expect([missing.status, missing.errorId, missing.header]).toEqual([
      404,
      "Ex6F9304",
      "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException",
    ]);
  });
});

describe("distribution groups", () => {
  it("New-, Get-, Set-DistributionGroup and Add-, Get-, Remove-DistributionGroupMember", async () => {
    const created = (
      await run(t.emu, admin, "New-DistributionGroup", {
        Name: "Journaled users",
        Alias: "journaled-users",
        Type: "Distribution",
        Members: ["alex.wilber@contoso.com", "anna.schmidt@contoso.com"],
      })
    ).rows;
    expect(created[0]).toMatchObject({
      Name: "Journaled users",
      PrimarySmtpAddress: "journaled-users@contoso.com",
      RecipientTypeDetails: "MailUniversalDistributionGroup",
      ManagedBy: [expect.any(String)], // defaults to the caller
    });
    await run(t.emu, admin, "Set-DistributionGroup", {
      Identity: "journaled-users@contoso.com",
      HiddenFromAddressListsEnabled: true,
      Description: ["Mailboxes journaled to Area 1"],
    });
    expect((await run(t.emu, app, "Get-DistributionGroup", { Identity: "Journaled users" })).rows[0]).toMatchObject({
      HiddenFromAddressListsEnabled: true,
      Description: ["Mailboxes journaled to Area 1"],
    });
    await run(t.emu, app, "Add-DistributionGroupMember", {
      Identity: "Journaled users",
      BypassSecurityGroupManagerCheck: true, // an app has no mailbox to own the list with
      Member: "wei.tan@contoso.com",
    });
    await run(t.emu, app, "Remove-DistributionGroupMember", {
      Identity: "Journaled users",
      BypassSecurityGroupManagerCheck: true,
      Member: "alex.wilber@contoso.com",
      Confirm: false,
    });
    const members = (await run(t.emu, app, "Get-DistributionGroupMember", { Identity: "Journaled users" })).rows;
    expect(members.map((m) => m.PrimarySmtpAddress).sort()).toEqual([
      "anna.schmidt@contoso.com",
      "wei.tan@contoso.com",
    ]);
    const twice = await fail(t.emu, app, "Add-DistributionGroupMember", {
      Identity: "Journaled users",
      BypassSecurityGroupManagerCheck: true,
      Member: "wei.tan@contoso.com",
    });
    expect(twice.exceptionType).toBe("Microsoft.Exchange.Management.Tasks.MemberAlreadyExistsException");
    const notMember = await fail(t.emu, app, "Remove-DistributionGroupMember", {
      Identity: "Journaled users",
      BypassSecurityGroupManagerCheck: true,
      Member: "alex.wilber@contoso.com",
    });
    expect(notMember.exceptionType).toBe("Microsoft.Exchange.Management.Tasks.MemberNotFoundException");
    const all = (await run(t.emu, app, "Get-DistributionGroup")).rows.map((g) => g.PrimarySmtpAddress);
    expect(all).toEqual(
      expect.arrayContaining(["sales@contoso.com", "finance-security@contoso.com", "journaled-users@contoso.com"]),
    );
    expect(all).not.toContain("project-apollo@contoso.com");
    const duplicate = await fail(t.emu, app, "New-DistributionGroup", { Name: "Journaled users" });
    expect(duplicate.message).toBe('The name "Journaled users" is already being used. Please try another name.');
  });
});

describe("parameter binding errors, in PowerShell's words", () => {
  it("unknown parameter", async () => {
    const e = await fail(t.emu, admin, "New-OutboundConnector", { Name: "c", RequireTls: true });
    expect(e).toMatchObject({
      status: 400,
      exceptionType: "System.Management.Automation.ParameterBindingException",
      header: "System.Management.Automation.ParameterBindingException",
      message: "A parameter cannot be found that matches parameter name 'RequireTls'.",
    });
    expect(e.errorId).toMatch(/^Ex[0-9A-F]{6}$/);
  });

  it("wrong type", async () => {
    await run(t.emu, admin, "Set-TransportConfig", { JournalingReportNdrTo: NDR });
    const e = await fail(t.emu, admin, "New-JournalRule", { Name: "r", JournalEmailAddress: JOURNAL, Enabled: "yes" });
    expect(e).toMatchObject({
      exceptionType: "System.Management.Automation.ParameterBindingArgumentTransformationException",
      message:
        'Cannot process argument transformation on parameter \'Enabled\'. Cannot convert value "System.String" to type "System.Boolean". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.',
    });
    const int = await fail(t.emu, admin, "Set-TransportConfig", { JournalMessageExpirationDays: "ten" });
    expect(int.message).toBe(
      'Cannot process argument transformation on parameter \'JournalMessageExpirationDays\'. Cannot convert value "ten" to type "System.Int32". Error: "Input string was not in a correct format."',
    );
  });

  it("bad enum value", async () => {
    const e = await fail(t.emu, admin, "New-JournalRule", {
      Name: "r",
      JournalEmailAddress: JOURNAL,
      Scope: "Everyone",
    });
    expect(e.exceptionType).toBe("System.Management.Automation.ParameterBindingArgumentTransformationException");
    expect(e.message).toBe(
      'Cannot process argument transformation on parameter \'Scope\'. Cannot convert value "Everyone" to type "Microsoft.Exchange.MessagingPolicies.Journaling.JournalRuleScope". Error: "Unable to match the identifier name Everyone to a valid enumerator name. Specify one of the following enumerator names and try again: Global, Internal, External"',
    );
  });

  it("missing mandatory parameters", async () => {
    const e = await fail(t.emu, admin, "New-JournalRule", { Name: "r" });
    expect(e.exceptionType).toBe("System.Management.Automation.ParameterBindingException");
    expect(e.message).toBe(
      "Cannot process command because of one or more missing mandatory parameters: JournalEmailAddress.",
    );
    const member = await fail(t.emu, admin, "Add-DistributionGroupMember", { Identity: "sales@contoso.com" });
    expect(member.message).toBe("Cannot process command because of one or more missing mandatory parameters: Member.");
    const validate = await fail(t.emu, admin, "Validate-OutboundConnector", { Identity: "c" });
    expect(validate.message).toBe(
      "Cannot process command because of one or more missing mandatory parameters: Recipients.",
    );
  });

  it("binds as PowerShell does: numbers to Boolean parameters, digit strings to Int32 ones", async () => {
    await run(t.emu, admin, "Set-TransportConfig", { JournalingReportNdrTo: NDR, JournalMessageExpirationDays: "3" });
    expect((await run(t.emu, admin, "Get-TransportConfig")).rows[0]?.JournalMessageExpirationDays).toBe(3);
    await run(t.emu, admin, "New-JournalRule", { Name: "one", JournalEmailAddress: JOURNAL, Enabled: 1 });
    await run(t.emu, admin, "New-JournalRule", { Name: "zero", JournalEmailAddress: JOURNAL, Enabled: 0 });
    expect((await run(t.emu, admin, "Get-JournalRule")).rows.map((r) => [r.Name, r.Enabled])).toEqual([
      ["one", true],
      ["zero", false],
    ]);
  });

  it("-WhatIf validates but changes nothing", async () => {
    await run(t.emu, admin, "Set-TransportConfig", { JournalingReportNdrTo: NDR, WhatIf: true });
    expect((await run(t.emu, admin, "Get-TransportConfig")).rows[0]?.JournalingReportNdrTo).toBe("<>");
    const refused = await fail(t.emu, admin, "New-JournalRule", {
      Name: "r",
      JournalEmailAddress: JOURNAL,
      WhatIf: true,
    });
    expect(refused.message).toMatch(/^Before you create a journal rule/);
    await run(t.emu, admin, "Set-TransportConfig", { JournalingReportNdrTo: NDR });
    const dryRun = await run(t.emu, admin, "New-JournalRule", {
      Name: "r",
      JournalEmailAddress: JOURNAL,
      WhatIf: true,
    });
    expect(dryRun.rows).toEqual([]);
    expect((await run(t.emu, admin, "Get-JournalRule")).rows).toEqual([]);
  });

  it("too long a name, a malformed SMTP address, an unknown cmdlet", async () => {
    const long = await fail(t.emu, admin, "New-OutboundConnector", { Name: "x".repeat(65) });
    expect(long.message).toBe(
      'Cannot bind parameter \'Name\' to the target. Exception setting "Name": "The length of the property is too long. The maximum length is 64 and the length of the value provided is 65."',
    );
    const smtp = await fail(t.emu, admin, "Set-TransportConfig", { JournalingReportNdrTo: "not-an-address" });
    expect(smtp.message).toMatch(/^Cannot process argument transformation on parameter 'JournalingReportNdrTo'\./);
    const unknown = await fail(t.emu, admin, "Get-EXOMailbox");
    expect(unknown.exceptionType).toBe("System.Management.Automation.CommandNotFoundException");
    expect(unknown.message).toMatch(/^The term 'Get-EXOMailbox' is not recognized as a name of a cmdlet/);
  });

  it("a malformed body is a 400 before any cmdlet runs", async () => {
    const bad = await request(`${t.emu.origin}/adminapi/beta/contoso.onmicrosoft.com/InvokeCommand`, t.emu.caPem, {
      method: "POST",
      headers: { authorization: `Bearer ${admin.token}`, "content-type": "application/json" },
      body: JSON.stringify({ CmdletName: "Get-JournalRule" }),
    });
    expect(bad.status).toBe(400);
    expect(bad.json<{ error: { code: string } }>().error.code).toBe("BadRequest");
  });
});
