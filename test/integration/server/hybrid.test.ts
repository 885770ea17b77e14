import { simulateMailFlow } from "../../../src/emulator/exchange";
import { run as invoke, userCaller } from "../emulator-https/client";
import { startStack, waitForRun, type Stack } from "./harness";

/**
 * A hybrid tenant with centralized mail transport (an OnPremises outbound connector with
 * RouteAllMessagesViaOnPremises $true, made here as the Hybrid Configuration Wizard makes it, by
 * New-OutboundConnector as an Exchange admin over the admin API). The backend's tenant read reports
 * the connector, every plan warns first, and journal reports really do take the on-premises route.
 */
const ADMIN = "admin@contoso.com";
const SYD_HOST = "journaling.mailstream-syd.area1.cloudflare.net";
const US_HOST = "journaling.mxrecord.io";
const everyone = (region: string): Record<string, unknown> => ({
  version: 1,
  profile: "area1",
  customer: "contoso",
  ndrMailbox: "journal-ndr@contoso.com",
  connector: "auto",
  journaling: { everyone: { region } },
});

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  const caller = await userCaller(stack.emulator, ADMIN, "contoso.com");
  await invoke(
    stack.emulator,
    caller,
    "New-OutboundConnector",
    {
      Name: "Outbound to on-premises",
      ConnectorType: "OnPremises",
      ConnectorSource: "HybridWizard",
      RecipientDomains: ["*"],
      UseMXRecord: false,
      SmartHosts: ["mail.contoso.com"],
      TlsSettings: "DomainValidation",
      TlsDomain: "mail.contoso.com",
      CloudServicesMailEnabled: true,
      RouteAllMessagesViaOnPremises: true,
    },
    { tenant: "contoso.com" },
  );
});
afterAll(async () => {
  await stack.close();
});

test("the tenant read reports the hybrid connector and the plan warns first, saying what to do", async () => {
  const token = await stack.token(ADMIN);
  const state = await stack.api("GET", "/api/tenant/state", token);
  expect(state.status).toBe(200);
  const connectors = state.json["Get-OutboundConnector"] as Record<string, unknown>[];
  expect(connectors).toEqual([
    expect.objectContaining({
      Name: "Outbound to on-premises",
      ConnectorType: "OnPremises",
      RouteAllMessagesViaOnPremises: true,
    }),
  ]);

  const plan = await stack.api("POST", "/api/plan", token, { desired: everyone("us") });
  expect(plan.status).toBe(200);
  const warnings = (plan.json.plan as { warnings: { code: string; message: string }[] }).warnings;
  expect(warnings[0]?.code).toBe("centralized-mail-transport");
  expect(warnings[0]?.message).toContain(`Exchange Online ignores the connector to ${US_HOST}`);
  expect(warnings[0]?.message).toMatch(/add a send connector on-premises .* or turn off centralized mail transport/);
});

test("after applying (Australia only), journal reports still go on-premises and the plan keeps warning", async () => {
  const token = await stack.token(ADMIN);
  const desired = everyone("syd");
  const plan = await stack.api("POST", "/api/plan", token, { desired });
  const started = await stack.api("POST", "/api/runs", token, { desired, planHash: plan.json.planHash });
  expect(started.status).toBe(202);
  const done = await waitForRun(stack, token, String(started.json.runId));
  expect(done.json.state).toBe("succeeded");

  const contoso = stack.emulator.state.getTenant("contoso.com");
  if (!contoso) throw new Error("no contoso");
  const now = Date.now();
  simulateMailFlow(contoso, { from: new Date(now - 2 * 3_600_000), to: new Date(now - 60_000), count: 20, seed: 3 });
  const reports = contoso.exchange.messageTrace.filter((t) => t.Kind === "journalReport");
  expect(reports.length).toBeGreaterThan(0);
  for (const r of reports) {
    expect(r.RecipientAddress).toBe(`contoso@${SYD_HOST}`);
    expect(r.Events.map((e) => e.Detail).join(" ")).toContain("using connector 'Outbound to on-premises'");
  }

  const again = await stack.api("POST", "/api/plan", token, { desired });
  expect((again.json.plan as { actions: unknown[] }).actions).toEqual([]);
  expect((again.json.plan as { warnings: { code: string }[] }).warnings[0]?.code).toBe("centralized-mail-transport");
});
