import { AccessDeniedError } from "../../../src/emulator/exchange";
import { ADMIN, COMPLIANCE, NOBODY, NOW, READER, fail, run, settings, tenant, withNdr } from "./fixture";

describe("Exchange emulator: groups and recipients", () => {
  it("New-DistributionGroup adds a group to the directory that Exchange then resolves", () => {
    const t = tenant();
    const row = run(t, "New-DistributionGroup", {
      Name: "Journaling DE",
      Members: ["bob@contoso.com"],
      Type: "Distribution",
    }).rows[0];
    expect(row).toMatchObject({
      Name: "Journaling DE",
      Alias: "JournalingDE",
      PrimarySmtpAddress: "JournalingDE@contoso.com",
      RecipientTypeDetails: "MailUniversalDistributionGroup",
      ManagedBy: ["admin"],
    });
    const group = t.directory.groups.find((g) => g.exchangeName === "Journaling DE");
    expect(group).toMatchObject({
      mail: "JournalingDE@contoso.com",
      mailEnabled: true,
      securityEnabled: false,
      members: ["u-bob"],
    });
    run(t, "Add-DistributionGroupMember", { Identity: "Journaling DE", Member: "alice@contoso.com" });
    expect(
      run(t, "Get-DistributionGroupMember", { Identity: "JournalingDE@contoso.com" }).rows.map(
        (r) => r.PrimarySmtpAddress,
      ),
    ).toEqual(["bob@contoso.com", "alice@contoso.com"]);
    expect(
      fail(t, "Add-DistributionGroupMember", { Identity: "Journaling DE", Member: "alice@contoso.com" }).message,
    ).toBe('The recipient "alice@contoso.com" is already a member of the group "Journaling DE".');
    run(t, "Remove-DistributionGroupMember", { Identity: "Journaling DE", Member: "alice@contoso.com" });
    expect(
      fail(t, "Remove-DistributionGroupMember", { Identity: "Journaling DE", Member: "alice@contoso.com" }).message,
    ).toMatch(/isn't a member/);
    expect(fail(t, "Add-DistributionGroupMember", { Identity: "Journaling DE", Member: "ghost" }).message).toMatch(
      /^Couldn't find object "ghost"/,
    );
  });

  it("only the group's managers change it, unless an Organization Management admin passes -BypassSecurityGroupManagerCheck", () => {
    const t = tenant();
    // admin@ creates the list without -ManagedBy: Exchange makes the creator its owner.
    run(t, "New-DistributionGroup", { Name: "Journaling EU", Members: ["bob@contoso.com"] });
    expect(run(t, "Get-DistributionGroup", { Identity: "Journaling EU" }).rows[0]?.ManagedBy).toEqual(["admin"]);
    // A second Exchange Administrator, not in ManagedBy.
    const second = { ...ADMIN, upn: "alice@contoso.com" };
    const refusal =
      "You don't have sufficient permissions. This operation can only be performed by a manager of the group.";
    for (const [cmdlet, parameters] of [
      ["Add-DistributionGroupMember", { Identity: "Journaling EU", Member: "alice@contoso.com" }],
      ["Remove-DistributionGroupMember", { Identity: "Journaling EU", Member: "bob@contoso.com", Confirm: false }],
      ["Set-DistributionGroup", { Identity: "Journaling EU", DisplayName: "EU" }],
    ] as const) {
      const err = fail(t, cmdlet, parameters, { caller: second });
      expect({ cmdlet, type: err.exceptionType, message: err.message }).toEqual({
        cmdlet,
        type: "Microsoft.Exchange.Configuration.Tasks.OperationRequiresGroupManagerException",
        message: refusal,
      });
      run(t, cmdlet, { ...parameters, BypassSecurityGroupManagerCheck: true }, { caller: second });
    }
    expect(run(t, "Get-DistributionGroupMember", { Identity: "Journaling EU" }).rows.map((r) => r.Name)).toEqual([
      "alice",
    ]);
    // The owner needs no switch.
    run(t, "Add-DistributionGroupMember", { Identity: "Journaling EU", Member: "bob@contoso.com" });
    // Members of a mail-enabled security group that owns the list manage it too.
    run(t, "Set-DistributionGroup", { Identity: "Journaling EU", ManagedBy: ["Security Team"] });
    run(
      t,
      "Remove-DistributionGroupMember",
      { Identity: "Journaling EU", Member: "alice@contoso.com" },
      {
        caller: { ...ADMIN, upn: "bob@contoso.com" },
      },
    );
    expect(
      fail(t, "Add-DistributionGroupMember", { Identity: "Journaling EU", Member: "alice@contoso.com" }).message,
    ).toBe(refusal);
  });

  it("refuses duplicate names and addresses outside accepted domains", () => {
    const t = tenant();
    expect(fail(t, "New-DistributionGroup", { Name: "Sales" }).message).toBe(
      'The name "Sales" is already being used. Please try another name.',
    );
    expect(fail(t, "New-DistributionGroup", { Name: "X", PrimarySmtpAddress: "x@elsewhere.example" }).message).toMatch(
      /isn't an accepted domain/,
    );
    expect(fail(t, "New-DistributionGroup", { Name: "Y", Alias: "sales" }).message).toMatch(
      /proxy address "SMTP:sales@contoso.com" is already being used/,
    );
  });

  it("Get-DistributionGroup lists distribution and mail-enabled security groups, not Microsoft 365 groups", () => {
    const t = tenant();
    expect(run(t, "Get-DistributionGroup").rows.map((r) => r.Name)).toEqual(["Sales", "Security Team"]);
    expect(
      run(t, "Get-DistributionGroup", { RecipientTypeDetails: ["MailUniversalSecurityGroup"] }).rows.map((r) => r.Name),
    ).toEqual(["Security Team"]);
    expect(run(t, "Get-DistributionGroup", { Filter: "PrimarySmtpAddress -eq 'sales@contoso.com'" }).rows).toHaveLength(
      1,
    );
    expect(fail(t, "Get-DistributionGroup", { Identity: "Project X" }).httpStatus).toBe(404);
    // Nobody manages the seeded list, so an admin changes it with the switch Exchange asks for.
    run(t, "Set-DistributionGroup", {
      Identity: "Sales",
      DisplayName: "Sales (all)",
      BypassSecurityGroupManagerCheck: true,
    });
    expect(run(t, "Get-DistributionGroup", { Identity: "Sales" }).rows[0]?.DisplayName).toBe("Sales (all)");
  });

  it("Get-Recipient shows Microsoft 365 groups only when asked for", () => {
    const t = tenant();
    const names = run(t, "Get-Recipient").rows.map((r) => r.RecipientTypeDetails);
    expect(names).not.toContain("GroupMailbox");
    expect(names).toEqual(
      expect.arrayContaining([
        "UserMailbox",
        "SharedMailbox",
        "MailUser",
        "MailContact",
        "MailUniversalDistributionGroup",
      ]),
    );
    expect(run(t, "Get-Recipient", { RecipientTypeDetails: ["GroupMailbox"] }).rows.map((r) => r.Name)).toEqual([
      "Project X",
    ]);
    expect(run(t, "Get-Recipient", { Identity: "bob@contoso.com" }).rows[0]).toMatchObject({
      UsageLocation: "DE",
      RecipientType: "UserMailbox",
    });
    expect(run(t, "Get-Recipient", { ResultSize: 2 }).warnings[0]).toMatch(
      /^There are more results available than are currently displayed/,
    );
  });

  it("Get-Mailbox, Get-AcceptedDomain and Get-OrganizationConfig", () => {
    const t = tenant();
    expect(
      run(t, "Get-Mailbox")
        .rows.map((r) => r.RecipientTypeDetails)
        .sort(),
    ).toEqual(["SharedMailbox", "UserMailbox", "UserMailbox", "UserMailbox", "UserMailbox"]);
    expect(fail(t, "Get-Mailbox", { Identity: "archive@contoso.com" }).httpStatus).toBe(404);
    const domains = run(t, "Get-AcceptedDomain").rows;
    expect(domains.map((d) => [d.DomainName, d.DomainType, d.Default])).toEqual([
      ["contoso.onmicrosoft.com", "Authoritative", false],
      ["contoso.com", "Authoritative", true],
    ]);
    expect(run(t, "Get-AcceptedDomain", { Identity: "nope.example" }).rows).toHaveLength(2);
    expect(run(t, "Get-OrganizationConfig").rows[0]).toMatchObject({
      Name: "contoso.onmicrosoft.com",
      IsDehydrated: false,
    });
  });
});

describe("Exchange emulator: roles from the token's wids", () => {
  function denied(caller: typeof ADMIN, cmdlet: string, params: Record<string, unknown> = {}): string {
    try {
      run(withNdr(tenant()), cmdlet, params, { caller });
    } catch (err) {
      if (err instanceof AccessDeniedError) return err.message;
      throw err;
    }
    throw new Error("not denied");
  }

  it("lets a Compliance Administrator read everything and manage journal rules only", () => {
    const t = withNdr(tenant());
    run(t, "New-JournalRule", { Name: "r", JournalEmailAddress: "j@vault.example" }, { caller: COMPLIANCE });
    run(t, "Enable-JournalRule", { Identity: "r" }, { caller: COMPLIANCE });
    run(t, "Get-OutboundConnector", {}, { caller: COMPLIANCE });
    expect(denied(COMPLIANCE, "New-OutboundConnector", { Name: "c" })).toBe(
      "User is not allowed to call New-OutboundConnector",
    );
    expect(denied(COMPLIANCE, "Set-TransportConfig")).toBe("User is not allowed to call Set-TransportConfig");
  });

  it("lets a Global Reader read only, and nobody else anything", () => {
    run(tenant(), "Get-JournalRule", {}, { caller: READER });
    run(tenant(), "Get-MessageTraceV2", {}, { caller: READER });
    expect(denied(READER, "New-JournalRule", { Name: "r", JournalEmailAddress: "j@vault.example" })).toBe(
      "User is not allowed to call New-JournalRule",
    );
    expect(denied(NOBODY, "Get-JournalRule")).toBe("User is not allowed to call Get-JournalRule");
  });
});

describe("Exchange emulator: replication delay", () => {
  const later = (s: number): Date => new Date(NOW.getTime() + s * 1000);

  it("hides a new object from every cmdlet for T seconds", () => {
    const t = withNdr(tenant());
    settings(t, { replicationDelaySeconds: 30 });
    run(t, "New-DistributionGroup", { Name: "Journaling FR" });
    expect(fail(t, "Get-DistributionGroup", { Identity: "Journaling FR" }, { now: later(10) }).httpStatus).toBe(404);
    expect(
      fail(
        t,
        "New-JournalRule",
        { Name: "fr", JournalEmailAddress: "j@vault.example", Recipient: "JournalingFR@contoso.com" },
        { now: later(10) },
      ).message,
    ).toMatch(/^Couldn't find object/);
    run(
      t,
      "New-JournalRule",
      { Name: "fr", JournalEmailAddress: "j@vault.example", Recipient: "JournalingFR@contoso.com" },
      { now: later(31) },
    );
    expect(run(t, "Get-JournalRule", {}, { now: later(40) }).rows).toHaveLength(0);
    expect(run(t, "Get-JournalRule", {}, { now: later(62) }).rows).toHaveLength(1);
  });

  it("shows the previous version of a changed object until it replicates", () => {
    const t = tenant();
    settings(t, { replicationDelaySeconds: 60 });
    run(t, "Set-TransportConfig", { JournalingReportNdrTo: "journal-ndr@contoso.com" });
    expect(run(t, "Get-TransportConfig", {}, { now: later(5) }).rows[0]?.JournalingReportNdrTo).toBe("<>");
    expect(
      fail(t, "New-JournalRule", { Name: "r", JournalEmailAddress: "j@vault.example" }, { now: later(5) }).message,
    ).toMatch(/^Before you create a journal rule/);
    expect(run(t, "Get-TransportConfig", {}, { now: later(61) }).rows[0]?.JournalingReportNdrTo).toBe(
      "journal-ndr@contoso.com",
    );
  });

  it("refuses a duplicate name even before the first object is visible", () => {
    const t = withNdr(tenant());
    settings(t, { replicationDelaySeconds: 60 });
    run(t, "New-JournalRule", { Name: "r", JournalEmailAddress: "j@vault.example" });
    expect(fail(t, "New-JournalRule", { Name: "r", JournalEmailAddress: "j@vault.example" }).message).toMatch(
      /already exists/,
    );
  });
});
