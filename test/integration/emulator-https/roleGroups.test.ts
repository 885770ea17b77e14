import { decodeJwt } from "jose";
import { API_DEFAULT_CLAIMS_APP_ID, API_DEFAULT_CLAIMS_IDENTIFIER_URI } from "../../../src/emulator/directory/apps";
import { request } from "../emulator/helpers";
import {
  CONTOSO,
  JOURNAL,
  NDR,
  invoke,
  notAllowedBody,
  rawToken,
  run,
  startTenant,
  userCaller,
  type Caller,
  type TestTenant,
} from "./client";

/**
 * Identity as Microsoft 365 hands it out: `wids` only for resources whose app registration asks for
 * directory roles (groupMembershipClaims), and Exchange RBAC from Exchange's own role groups for
 * users who hold no Entra role at all.
 */
let t: TestTenant;
let orgManagement: Caller;
let complianceManagement: Caller;

beforeAll(async () => {
  t = await startTenant();
  [orgManagement, complianceManagement] = await Promise.all([
    userCaller(t.emu, "exchange.orgadmin@contoso.com"),
    userCaller(t.emu, "exchange.compliance@contoso.com"),
  ]);
});
afterAll(() => t.stop());

describe("wids follows the resource's groupMembershipClaims", () => {
  async function apiToken(resourceUri: string): Promise<Record<string, unknown>> {
    const user = t.emu.config.users.find((u) => u.upn === "admin@contoso.com")!;
    const token = await rawToken(t.emu, CONTOSO, {
      grant_type: "password",
      client_id: t.emu.config.apps.pane.clientId,
      username: user.upn,
      password: user.password,
      scope: `${resourceUri}/access_as_user`,
    });
    return decodeJwt(token);
  }

  it("a registration with groupMembershipClaims DirectoryRole gets wids; one left at Entra's default does not", async () => {
    const withRoles = await apiToken(t.emu.config.apps.api.identifierUri);
    expect(withRoles.wids).toContain("62e90394-69f5-4237-9190-012177145e10");
    const plain = await apiToken(API_DEFAULT_CLAIMS_IDENTIFIER_URI);
    expect(plain.aud).toBe(API_DEFAULT_CLAIMS_APP_ID);
    expect(plain).not.toHaveProperty("wids");
  });
});

describe("Exchange RBAC from role groups (no Entra role)", () => {
  it("an Organization Management member runs the whole journaling setup", async () => {
    await run(t.emu, orgManagement, "Set-TransportConfig", { JournalingReportNdrTo: NDR });
    await run(t.emu, orgManagement, "New-OutboundConnector", {
      Name: "Journaling (org mgmt)",
      ConnectorType: "Partner",
      RecipientDomains: ["vault.example"],
      SmartHosts: ["journaling.vault.example"],
      UseMXRecord: false,
      TlsSettings: "DomainValidation",
      TlsDomain: "journaling.vault.example",
    });
    await run(t.emu, orgManagement, "New-DistributionGroup", { Name: "Journaled (org mgmt)" });
    const rule = await run(t.emu, orgManagement, "New-JournalRule", {
      Name: "Org mgmt rule",
      JournalEmailAddress: JOURNAL,
      Scope: "External",
      Enabled: true,
    });
    expect(rule.rows[0]).toMatchObject({ Enabled: true });
    await run(t.emu, orgManagement, "Get-MessageTraceV2");
  });

  it("a Compliance Management member manages journal rules, the journaling NDR address and reads, but not connectors, other transport settings or groups", async () => {
    await run(t.emu, complianceManagement, "New-JournalRule", {
      Name: "Compliance mgmt rule",
      JournalEmailAddress: JOURNAL,
    });
    await run(t.emu, complianceManagement, "Remove-JournalRule", { Identity: "Compliance mgmt rule" });
    // The Journaling role's entry for Set-TransportConfig holds the journaling settings only.
    await run(t.emu, complianceManagement, "Set-TransportConfig", { JournalingReportNdrTo: NDR });
    const other = await invoke(t.emu, complianceManagement, "Set-TransportConfig", { ExternalPostmasterAddress: NDR });
    expect(other.status).toBe(400);
    expect(JSON.stringify(other.json())).toContain(
      "A parameter cannot be found that matches parameter name 'ExternalPostmasterAddress'.",
    );
    for (const read of ["Get-OutboundConnector", "Get-TransportConfig", "Get-DistributionGroup", "Get-MessageTraceV2"])
      await run(t.emu, complianceManagement, read);
    for (const [cmdlet, parameters] of [
      ["New-OutboundConnector", { Name: "c", SmartHosts: ["h.example"], UseMXRecord: false }],
      ["New-DistributionGroup", { Name: "Not mine" }],
    ] as const) {
      const res = await invoke(t.emu, complianceManagement, cmdlet, parameters);
      expect(res.status).toBe(401);
      expect(res.json()).toEqual(notAllowedBody(cmdlet));
    }
  });

  it("EXOModuleFile lists what the role groups allow", async () => {
    const cmdlets = async (caller: Caller): Promise<string[]> => {
      const res = await request(`${t.emu.origin}/adminapi/v1.0/${CONTOSO}/EXOModuleFile?Version=3.7.0`, t.emu.caPem, {
        headers: { authorization: `Bearer ${caller.token}`, commandname: "*" },
      });
      expect(res.status).toBe(200);
      return String(res.json<{ value: { exportedCmdlets: string }[] }>().value[0]?.exportedCmdlets).split(",");
    };
    expect(await cmdlets(orgManagement)).toEqual(expect.arrayContaining(["New-OutboundConnector", "New-JournalRule"]));
    const compliance = await cmdlets(complianceManagement);
    expect(compliance).toContain("New-JournalRule");
    expect(compliance).not.toContain("New-OutboundConnector");
  });
});
