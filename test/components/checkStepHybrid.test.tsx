/** @jest-environment jsdom */
import "@testing-library/jest-dom";
import { render, screen, within } from "@testing-library/react";
import { observedStateSchema } from "../../src/core/observed/types";
import { CheckStep } from "../../src/components/steps/CheckStep/CheckStep";
import type { TenantSnapshot } from "../../src/components/Wizard/Wizard.types";
import { services, Wrap } from "./fakes";

/** Step 1 with a hybrid tenant whose outbound mail goes through on-premises (centralized mail transport). */
function snapshot(connectors: unknown[]): TenantSnapshot {
  return {
    observed: observedStateSchema.parse({ "Get-OutboundConnector": connectors }),
    readAt: "2026-01-01T00:00:00Z",
    loading: false,
    error: null,
    reload: () => undefined,
  };
}

const hybrid = {
  Name: "Outbound to on-premises",
  Enabled: true,
  ConnectorType: "OnPremises",
  RecipientDomains: ["*"],
  SmartHosts: ["mail.contoso.com"],
  UseMXRecord: false,
  TlsSettings: "DomainValidation",
  RouteAllMessagesViaOnPremises: true,
};

describe("Check: hybrid centralized mail transport", () => {
  it("says journal reports go on-premises, that the journaling connector is ignored, and what to do", () => {
    render(
      <Wrap value={services()}>
        <CheckStep tenant={snapshot([hybrid])} />
      </Wrap>,
    );
    const list = screen.getByRole("list", { name: "What the tenant already has" });
    const item = within(list)
      .getAllByRole("listitem")
      .find((li) => li.textContent?.includes("Hybrid centralized mail transport:"));
    expect(item).toBeDefined();
    const text = item?.textContent ?? "";
    expect(text).toContain("Note");
    expect(text).toContain("On: Outbound to on-premises (mail.contoso.com)");
    expect(text).toContain("journal reports included, through your on-premises organization (mail.contoso.com)");
    expect(text).toContain("a connector to the journaling host is ignored while this is on");
    expect(text).toContain("add a send connector on-premises that delivers to the journaling host over TLS");
    expect(text).toContain("or turn off centralized mail transport (Hybrid Configuration Wizard)");
    // The gateway advice ("the setup adds a direct connector") does not apply here, so it is not shown.
    expect(screen.queryByText(/Outbound gateway:/)).not.toBeInTheDocument();
  });

  it("says nothing about it when the on-premises connector does not route all mail", () => {
    render(
      <Wrap value={services()}>
        <CheckStep tenant={snapshot([{ ...hybrid, RouteAllMessagesViaOnPremises: false }])} />
      </Wrap>,
    );
    expect(screen.queryByText(/Hybrid centralized mail transport/)).not.toBeInTheDocument();
    expect(screen.getByText(/Outbound gateway:/)).toBeInTheDocument();
  });
});
