import { fail, run, settings, tenant } from "./fixture";

const CONNECTOR = {
  Name: "Journaling to mxrecord.io",
  ConnectorType: "Partner",
  RecipientDomains: ["journaling.mxrecord.io"],
  UseMXRecord: false,
  SmartHosts: ["journaling.mxrecord.io"],
  TlsSettings: "CertificateValidation",
  IsTransportRuleScoped: false,
  Enabled: true,
};

describe("Exchange emulator: outbound connectors", () => {
  it("creates the journaling connector and returns it with Exchange's property names", () => {
    const t = tenant();
    const row = run(t, "New-OutboundConnector", CONNECTOR).rows[0];
    expect(row).toMatchObject({
      Identity: CONNECTOR.Name,
      Name: CONNECTOR.Name,
      ConnectorType: "Partner",
      ConnectorSource: "Default",
      RecipientDomains: ["journaling.mxrecord.io"],
      "RecipientDomains@odata.type": "#Collection(String)",
      SmartHosts: ["journaling.mxrecord.io"],
      UseMXRecord: false,
      TlsSettings: "CertificateValidation",
      IsValidated: false,
      LastValidationTimestamp: null,
    });
    expect(run(t, "Get-OutboundConnector", { Identity: CONNECTOR.Name }).rows).toHaveLength(1);
  });

  it("requires SmartHosts when UseMXRecord is $false and refuses them with MX routing", () => {
    expect(fail(tenant(), "New-OutboundConnector", { Name: "a", UseMXRecord: false }).message).toMatch(
      /SmartHosts must be specified/,
    );
    expect(fail(tenant(), "New-OutboundConnector", { Name: "a", SmartHosts: ["h.example"] }).message).toMatch(
      /UseMXRecord is set to \$true/,
    );
  });

  it("accepts *, *.domain and plain domains, refuses other wildcards", () => {
    const t = tenant();
    run(t, "New-OutboundConnector", {
      Name: "all",
      RecipientDomains: ["*"],
      UseMXRecord: false,
      SmartHosts: ["10.0.0.1"],
    });
    run(t, "New-OutboundConnector", { Name: "sub", RecipientDomains: ["*.contoso.net", "fabrikam.com"] });
    for (const bad of ["a.*.b", "*contoso.com", "contoso", "-x.com"]) {
      const err = fail(t, "New-OutboundConnector", { Name: `bad ${bad}`, RecipientDomains: [bad] });
      expect(err.message).toContain("Microsoft.Exchange.Data.SmtpDomainWithSubdomains");
    }
  });

  it("allows TlsDomain only with DomainValidation", () => {
    const t = tenant();
    expect(fail(t, "New-OutboundConnector", { ...CONNECTOR, TlsDomain: "journaling.mxrecord.io" }).message).toMatch(
      /TlsDomain can only be specified/,
    );
    run(t, "New-OutboundConnector", {
      ...CONNECTOR,
      TlsSettings: "DomainValidation",
      TlsDomain: "journaling.mxrecord.io",
    });
  });

  it("keeps names unique and at most 64 characters on rename", () => {
    const t = tenant();
    run(t, "New-OutboundConnector", CONNECTOR);
    run(t, "New-OutboundConnector", { ...CONNECTOR, Name: "other" });
    expect(fail(t, "New-OutboundConnector", CONNECTOR).exceptionType).toBe(
      "Microsoft.Exchange.Configuration.Tasks.ManagementObjectAlreadyExistsException",
    );
    expect(fail(t, "Set-OutboundConnector", { Identity: "other", Name: CONNECTOR.Name }).message).toMatch(
      /already exists/,
    );
    expect(fail(t, "Set-OutboundConnector", { Identity: "other", Name: "x".repeat(65) }).message).toMatch(
      /maximum length is 64/,
    );
  });

  it("Get-OutboundConnector with an unknown Identity returns all connectors (documented quirk)", () => {
    const t = tenant("gateway");
    run(t, "New-OutboundConnector", CONNECTOR);
    expect(run(t, "Get-OutboundConnector", { Identity: "does not exist" }).rows.map((r) => r.Name)).toEqual([
      "Outbound to mail security gateway",
      CONNECTOR.Name,
    ]);
  });

  it("seeds the gateway variant with a * connector through a smart host", () => {
    const row = run(tenant("gateway"), "Get-OutboundConnector").rows[0];
    expect(row).toMatchObject({
      RecipientDomains: ["*"],
      SmartHosts: ["gateway.contoso-mailsec.example"],
      UseMXRecord: false,
      Enabled: true,
      ConnectorSource: "AdminUI",
    });
    expect(run(tenant(), "Get-OutboundConnector").rows).toEqual([]);
  });

  it("validates only recipients in the connector's domains and doesn't mark it validated", () => {
    const t = tenant();
    run(t, "New-OutboundConnector", CONNECTOR);
    expect(
      fail(t, "Validate-OutboundConnector", { Identity: CONNECTOR.Name, Recipients: ["x@other.example"] }).message,
    ).toMatch(/isn't in a domain that the connector/);
    const rows = run(t, "Validate-OutboundConnector", {
      Identity: CONNECTOR.Name,
      Recipients: ["test@journaling.mxrecord.io"],
    }).rows;
    expect(rows.every((r) => r.IsTaskSuccessful === true)).toBe(true);
    expect(run(t, "Get-OutboundConnector", { Identity: CONNECTOR.Name }).rows[0]?.IsValidated).toBe(false);
  });

  it("reports a TLS failure for a host configured to fail", () => {
    const t = tenant();
    settings(t, { connectorValidation: { "journaling.mxrecord.io": "tlsFailure" } });
    run(t, "New-OutboundConnector", CONNECTOR);
    const rows = run(t, "Validate-OutboundConnector", {
      Identity: CONNECTOR.Name,
      Recipients: "test@journaling.mxrecord.io",
    }).rows;
    expect(rows[0]).toMatchObject({ IsTaskSuccessful: false });
    expect(String(rows[0]?.Details)).toContain("450 4.4.317");
    expect(rows[1]).toMatchObject({
      TaskName: "Send test email to test@journaling.mxrecord.io",
      IsTaskSuccessful: false,
    });
  });

  it("marks it validated with Set-OutboundConnector, and removes it", () => {
    const t = tenant();
    run(t, "New-OutboundConnector", CONNECTOR);
    run(t, "Set-OutboundConnector", {
      Identity: CONNECTOR.Name,
      IsValidated: true,
      LastValidationTimestamp: "2025-06-02T11:59:00Z",
      ValidationRecipients: ["test@journaling.mxrecord.io"],
    });
    expect(run(t, "Get-OutboundConnector", { Identity: CONNECTOR.Name }).rows[0]).toMatchObject({
      IsValidated: true,
      LastValidationTimestamp: "2025-06-02T11:59:00.000Z",
      ValidationRecipients: ["test@journaling.mxrecord.io"],
    });
    run(t, "Remove-OutboundConnector", { Identity: CONNECTOR.Name });
    expect(fail(t, "Remove-OutboundConnector", { Identity: CONNECTOR.Name }).httpStatus).toBe(404);
  });

  it("Get-InboundConnector reads connectors and refuses unknown identities", () => {
    expect(run(tenant("gateway"), "Get-InboundConnector").rows).toHaveLength(1);
    expect(fail(tenant(), "Get-InboundConnector", { Identity: "x" }).httpStatus).toBe(404);
  });
});
