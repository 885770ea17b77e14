import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { planSetup, renderScript, type Plan } from "../../../src/core";
import { connector, euIndia, EU1_HOST, gateway, observed, US_HOST, usEveryone } from "./fixtures";

/**
 * Hybrid centralized mail transport: an OnPremises outbound connector with
 * RouteAllMessagesViaOnPremises $true sends journal reports through on-premises; the plan warns,
 * first, and says what to do.
 */
const hybrid = {
  Identity: "Outbound to on-premises",
  Name: "Outbound to on-premises",
  Enabled: true,
  ConnectorType: "OnPremises",
  RecipientDomains: ["*"],
  SmartHosts: ["mail.contoso.com"],
  UseMXRecord: false,
  TlsSettings: "DomainValidation",
  IsTransportRuleScoped: false,
  RouteAllMessagesViaOnPremises: true,
};

function plan(desired: unknown, connectors: unknown[]): Plan {
  const r = planSetup(desired, observed({ "Get-OutboundConnector": connectors }));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.plan;
}

const codes = (p: Plan): string[] => p.warnings.map((w) => w.code);

describe("planner: hybrid centralized mail transport", () => {
  it("warns first, naming the connector, the on-premises route and the two ways out", () => {
    const p = plan(usEveryone, [hybrid]);
    expect(codes(p)[0]).toBe("centralized-mail-transport");
    const message = p.warnings[0]?.message ?? "";
    expect(message).toContain('connector "Outbound to on-premises"');
    expect(message).toContain("through your on-premises organization (mail.contoso.com)");
    expect(message).toContain(`Exchange Online ignores the connector to ${US_HOST}`);
    expect(message).toMatch(/add a send connector on-premises that delivers .* directly over TLS/);
    expect(message).toMatch(/turn off centralized mail transport/);
    // The warning travels into the exported script, where the admin reads it before running it.
    expect(renderScript(p, { title: "t" })).toContain("#  - Hybrid centralized mail transport is on:");
  });

  it("names every journaling host of a per-region setup", () => {
    const p = plan(euIndia, [hybrid, connector(EU1_HOST)]);
    const w = p.warnings.find((x) => x.code === "centralized-mail-transport");
    expect(w?.message).toContain(`ignores the connector to ${EU1_HOST}, journaling.mailstream-bom.mxrecord.mx`);
  });

  it.each([
    ["a plain outbound gateway", gateway],
    [
      "an OnPremises connector without RouteAllMessagesViaOnPremises",
      { ...hybrid, RouteAllMessagesViaOnPremises: false },
    ],
    ["a disabled hybrid connector", { ...hybrid, Enabled: false }],
    ["a hybrid connector in test mode", { ...hybrid, TestMode: true }],
    ["a hybrid connector for the accepted domains only", { ...hybrid, RecipientDomains: ["contoso.com"] }],
  ])("does not warn for %s", (_, c) => {
    expect(codes(plan(usEveryone, [c]))).not.toContain("centralized-mail-transport");
  });

  it("the CLI's plan output shows the warning for a tenant read with the hybrid connector", () => {
    const tmp = mkdtempSync(path.join(tmpdir(), "ja-cmt-"));
    const observedFile = path.join(tmp, "tenant.json");
    writeFileSync(observedFile, JSON.stringify({ "Get-OutboundConnector": [hybrid] }));
    const root = path.join(__dirname, "../../..");
    const r = spawnSync(
      process.execPath,
      [
        path.join(root, "bin/journaling-assistant.js"),
        "plan",
        "--desired",
        "examples/us-everyone.json",
        "--observed",
        observedFile,
      ],
      { cwd: root, encoding: "utf8" },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/! Hybrid centralized mail transport is on: connector "Outbound to on-premises"/);
  });
});
