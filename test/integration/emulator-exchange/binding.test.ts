import { fail, run, tenant, withNdr } from "./fixture";

describe("Exchange emulator: parameter binding (catalog + PowerShell wording)", () => {
  it("refuses an unknown parameter like PowerShell", () => {
    const err = fail(tenant(), "New-OutboundConnector", { Name: "x", RequireTls: true });
    expect(err.exceptionType).toBe("System.Management.Automation.ParameterBindingException");
    expect(err.message).toBe("A parameter cannot be found that matches parameter name 'RequireTls'.");
  });

  it("refuses an enum value it can't convert, listing the enumerator names", () => {
    const err = fail(withNdr(tenant()), "New-JournalRule", {
      Name: "r",
      JournalEmailAddress: "j@vault.example",
      Scope: "Foo",
    });
    expect(err.message).toBe(
      'Cannot process argument transformation on parameter \'Scope\'. Cannot convert value "Foo" to type "Microsoft.Exchange.MessagingPolicies.Journaling.JournalRuleScope". Error: "Unable to match the identifier name Foo to a valid enumerator name. Specify one of the following enumerator names and try again: Global, Internal, External"',
    );
  });

  it("names the missing mandatory parameters", () => {
    expect(fail(tenant(), "New-JournalRule", { Name: "r" }).message).toBe(
      "Cannot process command because of one or more missing mandatory parameters: JournalEmailAddress.",
    );
    expect(fail(tenant(), "Validate-OutboundConnector", {}).message).toBe(
      "Cannot process command because of one or more missing mandatory parameters: Identity Recipients.",
    );
  });

  it("refuses a string for a Boolean parameter", () => {
    const err = fail(tenant(), "New-OutboundConnector", { Name: "x", UseMXRecord: "false" });
    expect(err.message).toContain("Cannot process argument transformation on parameter 'UseMXRecord'.");
    expect(err.message).toContain("Boolean parameters accept only Boolean values and numbers");
  });

  it("refuses a Name over 64 characters", () => {
    const name = "n".repeat(65);
    expect(
      fail(tenant(), "New-OutboundConnector", { Name: name, SmartHosts: ["h.example"], UseMXRecord: false }).message,
    ).toBe(
      'Cannot bind parameter \'Name\' to the target. Exception setting "Name": "The length of the property is too long. The maximum length is 64 and the length of the value provided is 65."',
    );
  });

  it("refuses $null for a Boolean", () => {
    expect(fail(tenant(), "New-OutboundConnector", { Name: "x", Enabled: null }).message).toBe(
      "Cannot bind argument to parameter 'Enabled' because it is null.",
    );
  });

  it("does not know module-only or made-up cmdlets", () => {
    const err = fail(tenant(), "Get-EXOMailbox", {});
    expect(err.exceptionType).toBe("System.Management.Automation.CommandNotFoundException");
    expect(err.message).toMatch(/^The term 'Get-EXOMailbox' is not recognized as a name of a cmdlet/);
    expect(fail(tenant(), "Remove-Everything", {}).message).toMatch(/^The term 'Remove-Everything'/);
  });

  it("binds cmdlet and parameter names case-insensitively and accepts common parameters", () => {
    const out = run(tenant(), "get-transportconfig", { ErrorAction: "Stop", Verbose: false });
    expect(out.rows[0]?.JournalingReportNdrTo).toBe("<>");
    run(tenant(), "Set-TransportConfig", { journalingreportndrto: "journal-ndr@contoso.com", Confirm: false });
  });

  it("refuses a malformed SMTP address with Exchange's conversion message", () => {
    const err = fail(tenant(), "Set-TransportConfig", { JournalingReportNdrTo: "not-an-address" });
    expect(err.message).toContain(
      'Cannot convert value "not-an-address" to type "Microsoft.Exchange.Data.SmtpAddress"',
    );
  });
});
