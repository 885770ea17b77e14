import { NDR_REQUIRED_MESSAGE } from "../../../src/emulator/exchange/cmdlets/transport";
import { fail, run, settings, tenant, withNdr } from "./fixture";

const RULE = { Name: "Journal to vault", JournalEmailAddress: "journal@vault.example", Scope: "External" };
const MAILBOX_MESSAGE = "The JournalEmailAddress can only be a mail user, a mail contact or an external address.";

describe("Exchange emulator: transport config and journal rules", () => {
  it("shows an unset NDR address as <>", () => {
    expect(run(tenant(), "Get-TransportConfig").rows[0]).toMatchObject({
      JournalingReportNdrTo: "<>",
      JournalMessageExpirationDays: 0,
    });
  });

  it("refuses a journal rule before the NDR address is set, with the service's text", () => {
    const err = fail(tenant(), "New-JournalRule", RULE);
    expect(err.exceptionType).toBe("System.InvalidOperationException");
    expect(err.message).toBe(NDR_REQUIRED_MESSAGE);
    expect(err.message).toMatch(/^Before you create a journal rule, you must specify an email account/);
  });

  it("accepts a user mailbox or an external address as NDR address and refuses a group", () => {
    const t = tenant();
    run(t, "Set-TransportConfig", { JournalingReportNdrTo: "journal-ndr@contoso.com" });
    expect(run(t, "Get-TransportConfig").rows[0]?.JournalingReportNdrTo).toBe("journal-ndr@contoso.com");
    run(t, "Set-TransportConfig", { JournalingReportNdrTo: "ndr@gmail.com" }); // consumer is fine here (I2774)
    const err = fail(t, "Set-TransportConfig", { JournalingReportNdrTo: "sales@contoso.com" });
    expect(err.message).toMatch(/can't be sent to a group or team/);
    expect(run(t, "Get-TransportConfig").rows[0]?.JournalingReportNdrTo).toBe("ndr@gmail.com");
  });

  it("refuses clearing the NDR address while journal rules exist", () => {
    const t = withNdr(tenant());
    run(t, "New-JournalRule", RULE);
    expect(fail(t, "Set-TransportConfig", { JournalingReportNdrTo: null }).message).toBe(NDR_REQUIRED_MESSAGE);
  });

  it("checks JournalMessageExpirationDays against 0..7", () => {
    expect(fail(tenant(), "Set-TransportConfig", { JournalMessageExpirationDays: 8 }).message).toBe(
      "Cannot validate argument on parameter 'JournalMessageExpirationDays'. The 8 argument is greater than the maximum allowed range of 7. Supply an argument that is less than or equal to 7 and then try the command again.",
    );
  });

  it("creates rules disabled unless -Enabled $true, with Exchange's output properties", () => {
    const t = withNdr(tenant());
    const created = run(t, "New-JournalRule", RULE).rows[0];
    expect(created).toMatchObject({
      Name: RULE.Name,
      Identity: RULE.Name,
      Enabled: false,
      Scope: "External",
      Recipient: null,
      JournalEmailAddress: "journal@vault.example",
    });
    run(t, "New-JournalRule", { ...RULE, Name: "enabled", Enabled: true });
    const rules = run(t, "Get-JournalRule").rows;
    expect(rules.map((r) => [r.Name, r.Enabled])).toEqual([
      [RULE.Name, false],
      ["enabled", true],
    ]);
  });

  it("keeps rule names unique", () => {
    const t = withNdr(tenant());
    run(t, "New-JournalRule", RULE);
    const err = fail(t, "New-JournalRule", { ...RULE, Name: RULE.Name.toUpperCase() });
    expect(err.exceptionType).toBe("Microsoft.Exchange.Configuration.Tasks.ManagementObjectAlreadyExistsException");
  });

  it("allows at most maxJournalRules rules (50 by default, as Exchange Online)", () => {
    const t = withNdr(tenant());
    for (let i = 0; i < 50; i++) run(t, "New-JournalRule", { ...RULE, Name: `rule ${i}` });
    expect(fail(t, "New-JournalRule", { ...RULE, Name: "rule 51" }).message).toMatch(
      /maximum number of journal rules \(50\)/,
    );
  });

  it("refuses a mailbox of the tenant or a consumer address as journaling address", () => {
    const t = withNdr(tenant());
    for (const address of [
      "alice@contoso.com",
      "info@contoso.com",
      "sales@contoso.com",
      "someone@gmail.com",
      "x@outlook.com",
      "y@hotmail.com",
      "z@live.com",
      "w@yahoo.com",
    ]) {
      const err = fail(t, "New-JournalRule", { ...RULE, JournalEmailAddress: address });
      expect([address, err.message, err.exceptionType]).toEqual([
        address,
        MAILBOX_MESSAGE,
        "System.InvalidOperationException",
      ]);
    }
  });

  it("accepts a mail user, a mail contact or an external address as journaling address", () => {
    const t = withNdr(tenant());
    run(t, "New-JournalRule", { ...RULE, Name: "mu", JournalEmailAddress: "archive@contoso.com" });
    run(t, "New-JournalRule", { ...RULE, Name: "mc", JournalEmailAddress: "Partner Contact" });
    run(t, "New-JournalRule", { ...RULE, Name: "ext", JournalEmailAddress: "journal@journaling.mxrecord.io" });
    expect(run(t, "Get-JournalRule").rows.map((r) => r.JournalEmailAddress)).toEqual([
      "archive@contoso.com",
      "contact@partner.example",
      "journal@journaling.mxrecord.io",
    ]);
  });

  it("requires the rule's recipient to resolve, without wildcards", () => {
    const t = withNdr(tenant());
    run(t, "New-JournalRule", { ...RULE, Name: "sales", Recipient: "sales@contoso.com" });
    expect(fail(t, "New-JournalRule", { ...RULE, Name: "ghost", Recipient: "ghost@contoso.com" }).message).toBe(
      'Couldn\'t find object "ghost@contoso.com". Please make sure that it was spelled correctly or specify a different object.',
    );
    expect(fail(t, "New-JournalRule", { ...RULE, Name: "wild", Recipient: "*@contoso.com" }).message).toContain(
      "Microsoft.Exchange.Data.SmtpAddress",
    );
  });

  it("Set-JournalRule changes settings, has no -Enabled, and -Recipient $null means everyone", () => {
    const t = withNdr(tenant());
    run(t, "New-JournalRule", { ...RULE, Recipient: "sales@contoso.com" });
    expect(fail(t, "Set-JournalRule", { Identity: RULE.Name, Enabled: true }).message).toBe(
      "A parameter cannot be found that matches parameter name 'Enabled'.",
    );
    run(t, "Set-JournalRule", { Identity: RULE.Name, Recipient: null, Scope: "Global" });
    expect(run(t, "Get-JournalRule", { Identity: RULE.Name }).rows[0]).toMatchObject({
      Recipient: null,
      Scope: "Global",
    });
    const same = run(t, "Set-JournalRule", { Identity: RULE.Name, Scope: "Global" });
    expect(same.warnings).toEqual([
      `The command completed successfully but no settings of '${RULE.Name}' have been modified.`,
    ]);
  });

  it("enables, disables and removes rules; unknown identities are not found", () => {
    const t = withNdr(tenant());
    run(t, "New-JournalRule", RULE);
    run(t, "Enable-JournalRule", { Identity: RULE.Name });
    expect(run(t, "Get-JournalRule").rows[0]?.Enabled).toBe(true);
    run(t, "Disable-JournalRule", { Identity: RULE.Name });
    expect(run(t, "Get-JournalRule").rows[0]?.Enabled).toBe(false);
    run(t, "Remove-JournalRule", { Identity: RULE.Name });
    expect(run(t, "Get-JournalRule").rows).toEqual([]);
    const err = fail(t, "Get-JournalRule", { Identity: "nope" });
    expect(err.exceptionType).toBe("Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException");
    expect(err.errorId).toBe("Ex6F9304");
    expect(err.message).toBe(
      "The operation couldn't be performed because object 'nope' couldn't be found on 'NAMPR01A001DC01.NAMPR01A001.PROD.OUTLOOK.COM'.",
    );
    expect(fail(t, "Enable-JournalRule", { Identity: "nope" }).httpStatus).toBe(404);
  });

  it("the rule limit is a setting", () => {
    const t = withNdr(tenant());
    settings(t, { maxJournalRules: 1 });
    run(t, "New-JournalRule", RULE);
    expect(fail(t, "New-JournalRule", { ...RULE, Name: "second" }).message).toMatch(/\(1\)/);
  });
});
