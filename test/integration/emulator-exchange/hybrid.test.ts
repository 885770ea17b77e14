import { simulateMailFlow } from "../../../src/emulator/exchange";
import { NOW, fail, run, tenant, withNdr } from "./fixture";

/**
 * Hybrid centralized mail transport: an OnPremises outbound connector with
 * RouteAllMessagesViaOnPremises $true takes all outbound mail, journal reports included, and the
 * Partner connector to the journaling host is ignored (sources in src/emulator/exchange/hybrid.ts).
 */
const HOUR = 3_600_000;
const HOST = "journaling.mailstream-syd.area1.cloudflare.net";
const ON_PREMISES = "mail.contoso.com";
const ago = (hours: number): Date => new Date(NOW.getTime() - hours * HOUR);

function hybridTenant(): ReturnType<typeof tenant> {
  const t = withNdr(tenant());
  run(t, "New-OutboundConnector", {
    Name: "Outbound to Area 1",
    ConnectorType: "Partner",
    RecipientDomains: [HOST],
    UseMXRecord: false,
    SmartHosts: [HOST],
    TlsSettings: "CertificateValidation",
  });
  // What the Hybrid Configuration Wizard makes when "centralized mail transport" is ticked.
  run(t, "New-OutboundConnector", {
    Name: "Outbound to on-premises",
    ConnectorType: "OnPremises",
    ConnectorSource: "HybridWizard",
    RecipientDomains: ["*"],
    UseMXRecord: false,
    SmartHosts: [ON_PREMISES],
    TlsSettings: "DomainValidation",
    TlsDomain: ON_PREMISES,
    CloudServicesMailEnabled: true,
    RouteAllMessagesViaOnPremises: true,
  });
  run(t, "New-JournalRule", {
    Name: "all",
    JournalEmailAddress: `contoso@${HOST}`,
    Scope: "External",
    Enabled: true,
  });
  return t;
}

describe("Exchange emulator: hybrid centralized mail transport", () => {
  it("Get-OutboundConnector reports ConnectorType and RouteAllMessagesViaOnPremises", () => {
    const t = hybridTenant();
    const rows = run(t, "Get-OutboundConnector").rows;
    expect(rows.map((r) => [r.Name, r.ConnectorType, r.RouteAllMessagesViaOnPremises])).toEqual([
      ["Outbound to Area 1", "Partner", false],
      ["Outbound to on-premises", "OnPremises", true],
    ]);
  });

  it("refuses RouteAllMessagesViaOnPremises $true on a Partner connector (it requires OnPremises)", () => {
    const t = tenant();
    const err = fail(t, "New-OutboundConnector", {
      Name: "x",
      RecipientDomains: ["*"],
      UseMXRecord: false,
      SmartHosts: ["relay.example"],
      RouteAllMessagesViaOnPremises: true,
    });
    expect(err.message).toMatch(/RouteAllMessagesViaOnPremises .* ConnectorType is OnPremises/);
    expect(run(t, "Get-OutboundConnector").rows).toEqual([]);
    // Turning it on later for an OnPremises connector works without repeating ConnectorType.
    run(t, "New-OutboundConnector", {
      Name: "hybrid",
      ConnectorType: "onpremises",
      RecipientDomains: ["*"],
      UseMXRecord: false,
      SmartHosts: [ON_PREMISES],
    });
    run(t, "Set-OutboundConnector", { Identity: "hybrid", RouteAllMessagesViaOnPremises: true });
    expect(run(t, "Get-OutboundConnector", { Identity: "hybrid" }).rows[0]).toMatchObject({
      ConnectorType: "OnPremises",
      RouteAllMessagesViaOnPremises: true,
    });
  });

  it("sends journal reports through the on-premises connector, not the connector to the journaling host", () => {
    const t = hybridTenant();
    const summary = simulateMailFlow(t, { from: ago(3), to: ago(1), count: 5, seed: 4 });
    expect(summary.journalReports).toBe(5);
    const reports = run(t, "Get-MessageTraceV2", { RecipientAddress: [`contoso@${HOST}`] }).rows;
    expect(reports).toHaveLength(5);
    const first = reports[0];
    const detail = run(t, "Get-MessageTraceDetailV2", {
      MessageTraceId: first?.MessageTraceId,
      RecipientAddress: first?.RecipientAddress,
    }).rows;
    const send = detail.find((d) => d.Event === "Send");
    expect(send?.Detail).toMatch(/^Message sent to mail\.contoso\.com .* using connector 'Outbound to on-premises'\.$/);
    expect(detail.map((d) => String(d.Detail)).join(" ")).not.toContain("Outbound to Area 1");
  });

  it("uses the connector to the journaling host again once centralized mail transport is off", () => {
    const t = hybridTenant();
    run(t, "Set-OutboundConnector", {
      Identity: "Outbound to on-premises",
      RecipientDomains: ["contoso.com"],
      RouteAllMessagesViaOnPremises: false,
    });
    simulateMailFlow(t, { from: ago(3), to: ago(1), count: 3, seed: 4 });
    const first = run(t, "Get-MessageTraceV2", { RecipientAddress: [`contoso@${HOST}`] }).rows[0];
    const detail = run(t, "Get-MessageTraceDetailV2", {
      MessageTraceId: first?.MessageTraceId,
      RecipientAddress: first?.RecipientAddress,
    }).rows;
    expect(detail.find((d) => d.Event === "Send")?.Detail).toMatch(/using connector 'Outbound to Area 1'\.$/);
  });
});
