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
 * The real service's restrictions on journaling and connectors, as a REST client meets them:
 * HTTP 400/404 with "<errorId>|<ExceptionType>|<text>" in error.details[0].message.
 */
let t: TestTenant;
let admin: Caller;
let app: Caller;

const NDR_REQUIRED =
  "Before you create a journal rule, you must specify an email account to receive journal reports that can't be delivered to the journal destination. To do this, click OK. On the Journal rules page, select an email address to send undeliverable journal reports to. Browse to select a mailbox in your organization or an external contact to receive the undeliverable reports.";
const NOT_A_JOURNAL_ADDRESS = "The JournalEmailAddress can only be a mail user, a mail contact or an external address.";

beforeAll(async () => {
  t = await startTenant();
  [admin, app] = await Promise.all([userCaller(t.emu, "admin@contoso.com"), daemonCaller(t.emu)]);
});
afterAll(() => t.stop());
beforeEach(() => resetEmulator(t.emu));

const setNdr = (address = NDR): Promise<unknown> =>
  run(t.emu, admin, "Set-TransportConfig", { JournalingReportNdrTo: address });

describe("the NDR address (Set-TransportConfig -JournalingReportNdrTo)", () => {
  it("refuses a distribution group, a mail-enabled security group and a Microsoft 365 group", async () => {
    for (const group of ["sales@contoso.com", "finance-security@contoso.com", "project-apollo@contoso.com"]) {
      const e = await fail(t.emu, admin, "Set-TransportConfig", { JournalingReportNdrTo: group });
      expect([e.status, e.exceptionType]).toEqual([400, "System.InvalidOperationException"]);
      expect(e.message).toContain(`The address '${group}' belongs to the group`);
      expect(e.message).toContain("can't be sent to a group or team");
    }
    expect((await run(t.emu, admin, "Get-TransportConfig")).rows[0]?.JournalingReportNdrTo).toBe("<>");
  });

  it("can't be cleared while journal rules exist", async () => {
    await setNdr();
    await run(t.emu, admin, "New-JournalRule", { Name: "r", JournalEmailAddress: JOURNAL, Enabled: true });
    for (const value of [null, "", "<>"]) {
      const e = await fail(t.emu, admin, "Set-TransportConfig", { JournalingReportNdrTo: value });
      expect([e.exceptionType, e.message]).toEqual(["System.InvalidOperationException", NDR_REQUIRED]);
    }
    await run(t.emu, admin, "Remove-JournalRule", { Identity: "r" });
    await run(t.emu, admin, "Set-TransportConfig", { JournalingReportNdrTo: null });
    expect((await run(t.emu, admin, "Get-TransportConfig")).rows[0]?.JournalingReportNdrTo).toBe("<>");
  });
});

describe("New-JournalRule / Set-JournalRule", () => {
  it("refuses the first rule until the NDR address is set (the service's exact text)", async () => {
    const e = await fail(t.emu, admin, "New-JournalRule", { Name: "r", JournalEmailAddress: JOURNAL, Enabled: true });
    expect(e).toMatchObject({
      status: 400,
      exceptionType: "System.InvalidOperationException",
      header: "System.InvalidOperationException",
      message: NDR_REQUIRED,
    });
    await setNdr();
    await run(t.emu, admin, "New-JournalRule", { Name: "r", JournalEmailAddress: JOURNAL, Enabled: true });
  });

  it("creates rules disabled unless -Enabled $true", async () => {
    await setNdr();
    await run(t.emu, admin, "New-JournalRule", { Name: "default", JournalEmailAddress: JOURNAL });
    await run(t.emu, admin, "New-JournalRule", { Name: "off", JournalEmailAddress: JOURNAL, Enabled: false });
    await run(t.emu, admin, "New-JournalRule", { Name: "on", JournalEmailAddress: JOURNAL, Enabled: true });
    const rules = (await run(t.emu, app, "Get-JournalRule")).rows;
    expect(rules.map((r) => [r.Name, r.Enabled])).toEqual([
      ["default", false],
      ["off", false],
      ["on", true],
    ]);
    // Set-JournalRule has no Enabled parameter: Enable-/Disable-JournalRule do that.
    const e = await fail(t.emu, admin, "Set-JournalRule", { Identity: "default", Enabled: true });
    expect(e.message).toBe("A parameter cannot be found that matches parameter name 'Enabled'.");
  });

  it("allows at most 50 journal rules", async () => {
    await setNdr();
    for (let i = 1; i <= 50; i++)
      await run(t.emu, app, "New-JournalRule", { Name: `rule ${i}`, JournalEmailAddress: JOURNAL, Enabled: true });
    const e = await fail(t.emu, app, "New-JournalRule", { Name: "rule 51", JournalEmailAddress: JOURNAL });
    expect(e.exceptionType).toBe("System.InvalidOperationException");
    expect(e.message).toContain("(50)");
    expect((await run(t.emu, app, "Get-JournalRule")).rows).toHaveLength(50);
    await run(t.emu, app, "Remove-JournalRule", { Identity: "rule 3" });
    await run(t.emu, app, "New-JournalRule", { Name: "rule 51", JournalEmailAddress: JOURNAL });
  });

  it("refuses a duplicate name, case-insensitively, on New- and on rename", async () => {
    await setNdr();
    await run(t.emu, admin, "New-JournalRule", { Name: "Area 1", JournalEmailAddress: JOURNAL });
    await run(t.emu, admin, "New-JournalRule", { Name: "Other", JournalEmailAddress: JOURNAL });
    const dup = await fail(t.emu, admin, "New-JournalRule", { Name: "AREA 1", JournalEmailAddress: JOURNAL });
    expect(dup.exceptionType).toBe("Microsoft.Exchange.Configuration.Tasks.ManagementObjectAlreadyExistsException");
    const rename = await fail(t.emu, admin, "Set-JournalRule", { Identity: "Other", Name: "area 1" });
    expect(rename.exceptionType).toBe(dup.exceptionType);
    expect((await run(t.emu, admin, "Get-JournalRule")).rows.map((r) => r.Name)).toEqual(["Area 1", "Other"]);
  });

  it("needs a Recipient that resolves to one recipient of the tenant, without wildcards", async () => {
    await setNdr();
    const base = { JournalEmailAddress: JOURNAL, Enabled: true };
    for (const recipient of ["alex.wilber@contoso.com", "sales@contoso.com", "info@contoso.com"])
      await run(t.emu, admin, "New-JournalRule", { ...base, Name: recipient, Recipient: recipient });
    const missing = await fail(t.emu, admin, "New-JournalRule", {
      ...base,
      Name: "ghost",
      Recipient: "ghost@contoso.com",
    });
    expect([missing.status, missing.exceptionType, missing.message]).toEqual([
      404,
      "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException",
      'Couldn\'t find object "ghost@contoso.com". Please make sure that it was spelled correctly or specify a different object.',
    ]);
    const wildcard = await fail(t.emu, admin, "New-JournalRule", { ...base, Name: "all", Recipient: "*@contoso.com" });
    expect(wildcard.exceptionType).toBe("System.Management.Automation.ParameterBindingArgumentTransformationException");
    expect(wildcard.message).toContain(
      'Cannot convert value "*@contoso.com" to type "Microsoft.Exchange.Data.SmtpAddress"',
    );
    const set = await fail(t.emu, admin, "Set-JournalRule", {
      Identity: "sales@contoso.com",
      Recipient: "x@contoso.com",
    });
    expect(set.status).toBe(404);
  });

  it("refuses a journaling address that is a mailbox or group of the tenant, or consumer webmail", async () => {
    await setNdr();
    for (const address of [
      "alex.wilber@contoso.com",
      "info@contoso.com",
      NDR,
      "sales@contoso.com",
      "gmail.user@gmail.com",
      "someone@outlook.com",
    ]) {
      const e = await fail(t.emu, admin, "New-JournalRule", { Name: "r", JournalEmailAddress: address });
      expect([e.status, e.exceptionType, e.message]).toEqual([
        400,
        "System.InvalidOperationException",
        NOT_A_JOURNAL_ADDRESS,
      ]);
    }
    // An address in the tenant's own domains that names nobody can't be an external address either.
    expect(
      (await fail(t.emu, admin, "New-JournalRule", { Name: "r", JournalEmailAddress: "nobody@contoso.com" })).status,
    ).toBe(404);
    await run(t.emu, admin, "New-JournalRule", { Name: "r", JournalEmailAddress: JOURNAL });
    const set = await fail(t.emu, admin, "Set-JournalRule", { Identity: "r", JournalEmailAddress: "me@hotmail.com" });
    expect(set.message).toBe(NOT_A_JOURNAL_ADDRESS);
    expect((await run(t.emu, admin, "Get-JournalRule")).rows[0]?.JournalEmailAddress).toBe(JOURNAL);
  });
});

describe("New-/Set-OutboundConnector parameter combinations", () => {
  const smartHost = {
    RecipientDomains: ["area1-vault.example"],
    SmartHosts: ["journaling.mxrecord.io"],
    UseMXRecord: false,
  };

  it("UseMXRecord $false needs SmartHosts, and SmartHosts need UseMXRecord $false", async () => {
    const noHosts = await fail(t.emu, admin, "New-OutboundConnector", { Name: "c", UseMXRecord: false });
    expect([noHosts.exceptionType, noHosts.message]).toEqual([
      "Microsoft.Exchange.Data.DataValidationException",
      "SmartHosts must be specified when UseMXRecord is set to $false.",
    ]);
    const withMx = await fail(t.emu, admin, "New-OutboundConnector", { Name: "c", SmartHosts: ["h.example"] });
    expect(withMx.message).toBe("SmartHosts can't be specified when UseMXRecord is set to $true.");
    await run(t.emu, admin, "New-OutboundConnector", { Name: "c", ...smartHost });
    const clear = await fail(t.emu, admin, "Set-OutboundConnector", { Identity: "c", SmartHosts: null });
    expect(clear.message).toBe("SmartHosts must be specified when UseMXRecord is set to $false.");
    await run(t.emu, admin, "Set-OutboundConnector", { Identity: "c", UseMXRecord: true, SmartHosts: null });
    expect((await run(t.emu, admin, "Get-OutboundConnector")).rows[0]).toMatchObject({
      UseMXRecord: true,
      SmartHosts: [],
    });
  });

  it("TlsDomain only with TlsSettings DomainValidation", async () => {
    const e = await fail(t.emu, admin, "New-OutboundConnector", {
      Name: "c",
      ...smartHost,
      TlsSettings: "CertificateValidation",
      TlsDomain: "mxrecord.io",
    });
    expect(e.message).toBe("TlsDomain can only be specified when TlsSettings is set to DomainValidation.");
    const bad = await fail(t.emu, admin, "New-OutboundConnector", { Name: "c", ...smartHost, TlsSettings: "Strict" });
    expect(bad.message).toMatch(
      /^Cannot process argument transformation on parameter 'TlsSettings'\. .*EncryptionOnly, CertificateValidation, DomainValidation"$/,
    );
  });

  it("RecipientDomains allow '*' and '*.domain' but no wildcard inside a name; SmartHosts must be hosts or IPs", async () => {
    for (const domain of ["a.*.example", "*example.com", "not a domain"]) {
      const e = await fail(t.emu, admin, "New-OutboundConnector", {
        Name: "c",
        ...smartHost,
        RecipientDomains: [domain],
      });
      expect(e.message).toContain(
        `Cannot convert value "${domain}" to type "Microsoft.Exchange.Data.SmtpDomainWithSubdomains"`,
      );
    }
    const host = await fail(t.emu, admin, "New-OutboundConnector", {
      Name: "c",
      ...smartHost,
      SmartHosts: ["300.1.1.1"],
    });
    expect(host.message).toContain("Invalid smarthost '300.1.1.1'.");
    await run(t.emu, admin, "New-OutboundConnector", {
      Name: "wild",
      ...smartHost,
      RecipientDomains: ["*", "*.vault.example"],
      SmartHosts: ["192.0.2.10", "192.0.2.0/28"],
    });
  });

  it("connector names are unique (case-insensitive)", async () => {
    await run(t.emu, admin, "New-OutboundConnector", { Name: "Area 1", ...smartHost });
    const e = await fail(t.emu, admin, "New-OutboundConnector", { Name: "area 1", ...smartHost });
    expect(e.exceptionType).toBe("Microsoft.Exchange.Configuration.Tasks.ManagementObjectAlreadyExistsException");
  });
});

describe("Validate-OutboundConnector", () => {
  it("refuses recipients outside the connector's RecipientDomains; '*.domain' covers subdomains", async () => {
    await run(t.emu, admin, "New-OutboundConnector", {
      Name: "Area 1",
      RecipientDomains: ["*.area1-vault.example"],
      SmartHosts: ["journaling.mxrecord.io"],
      UseMXRecord: false,
    });
    const e = await fail(t.emu, admin, "Validate-OutboundConnector", {
      Identity: "Area 1",
      Recipients: ["probe@eu.area1-vault.example", "someone@contoso.com"],
    });
    expect(e.exceptionType).toBe("System.InvalidOperationException");
    expect(e.message).toContain("'someone@contoso.com' isn't in a domain that the connector 'Area 1' sends to");
    const ok = await run(t.emu, admin, "Validate-OutboundConnector", {
      Identity: "Area 1",
      Recipients: ["probe@eu.area1-vault.example", "probe@area1-vault.example"],
    });
    expect(ok.rows.every((r) => r.IsTaskSuccessful === true)).toBe(true);
    expect(
      (await fail(t.emu, admin, "Validate-OutboundConnector", { Identity: "nope", Recipients: ["a@b.example"] }))
        .status,
    ).toBe(404);
  });
});
