import { request } from "../emulator/helpers";
import {
  CONTOSO,
  FABRIKAM,
  JOURNAL,
  NDR,
  daemonCaller,
  invoke,
  notAllowedBody,
  rawToken,
  resetEmulator,
  run,
  startTenant,
  userCaller,
  type Caller,
  type TestTenant,
} from "./client";

/**
 * Who may call the admin API, over HTTPS with tokens from the emulator's own token endpoint:
 * token problems answer Exchange's 401 Bearer challenge; a valid token without the cmdlet's
 * role answers "User is not allowed to call <cmdlet>".
 */
let t: TestTenant;
let globalAdmin: Caller;
let exchangeAdmin: Caller;
let complianceAdmin: Caller;
let ordinaryUser: Caller;
let daemon: Caller;
let fabrikamAdmin: Caller;

beforeAll(async () => {
  t = await startTenant();
  [globalAdmin, exchangeAdmin, complianceAdmin, ordinaryUser, daemon, fabrikamAdmin] = await Promise.all([
    userCaller(t.emu, "admin@contoso.com"),
    userCaller(t.emu, "exchange.admin@contoso.com"),
    userCaller(t.emu, "compliance.admin@contoso.com"),
    userCaller(t.emu, "user@contoso.com"),
    daemonCaller(t.emu),
    userCaller(t.emu, "admin@fabrikam.com", FABRIKAM),
  ]);
});
afterAll(() => t.stop());
beforeEach(() => resetEmulator(t.emu));

function expectChallenge(res: { status: number; headers: Record<string, unknown>; text: string }): void {
  expect(res.status).toBe(401);
  expect(res.headers["www-authenticate"]).toMatch(
    /^Bearer client_id="00000002-0000-0ff1-ce00-000000000000", .*authorization_uri="https:\/\/login\.microsoftonline\.com\/common\/oauth2\/authorize"/,
  );
  expect(res.text).toBe("");
}

describe("tokens", () => {
  it("every seed admin, the daemon app and the fabrikam admin run cmdlets in their own tenant", async () => {
    for (const caller of [globalAdmin, exchangeAdmin, complianceAdmin, daemon]) {
      const { rows } = await run(t.emu, caller, "Get-OrganizationConfig");
      expect(rows).toHaveLength(1);
    }
    const fabrikam = await run(t.emu, fabrikamAdmin, "Get-AcceptedDomain", {}, { tenant: FABRIKAM });
    expect(fabrikam.rows.map((r) => r.DomainName)).toContain("fabrikam.com");
    // The tenant in the URL may be its GUID or any of its domains.
    const byGuid = await run(t.emu, daemon, "Get-TransportConfig", {}, { tenant: t.emu.config.apps.daemon.tenant });
    const byDomain = await run(t.emu, daemon, "Get-TransportConfig", {}, { tenant: "contoso.com" });
    expect(byGuid.rows).toEqual(byDomain.rows);
  });

  it("refuses a request without a token with Exchange's Bearer challenge", async () => {
    const res = await invoke(t.emu, globalAdmin, "Get-JournalRule", {}, { authorization: null });
    expectChallenge(res);
    expect(res.headers["x-ms-diagnostics"]).toContain("no access token");
  });

  it("refuses a malformed token, a token signed by someone else and a non-Bearer scheme", async () => {
    const [header, payload] = globalAdmin.token.split(".");
    const forged = `${header}.${payload}.${Buffer.from("not the signature").toString("base64url")}`;
    for (const authorization of ["Bearer not-a-jwt", `Bearer ${forged}`, `Basic ${globalAdmin.token}`]) {
      expectChallenge(await invoke(t.emu, globalAdmin, "Get-JournalRule", {}, { authorization }));
    }
  });

  it("refuses an expired token (the emulator's clock moved past exp + 5 min skew), then accepts a fresh one", async () => {
    const old = await userCaller(t.emu, "exchange.admin@contoso.com");
    expect((await invoke(t.emu, old, "Get-JournalRule")).status).toBe(200);
    t.advance(2 * 3_600_000);
    try {
      const res = await invoke(t.emu, old, "Get-JournalRule");
      expectChallenge(res);
      expect(res.headers["x-ms-diagnostics"]).toContain("expired");
      const fresh = await userCaller(t.emu, "exchange.admin@contoso.com");
      expect((await invoke(t.emu, fresh, "Get-JournalRule")).status).toBe(200);
    } finally {
      // Later tests use tokens issued before the jump; put the clock back within their lifetime.
      t.advance(-2 * 3_600_000);
    }
  });

  it("refuses a Graph token and a token for the product's API (wrong audience)", async () => {
    const api = t.emu.config.apps.api;
    const graph = await rawToken(t.emu, CONTOSO, {
      grant_type: "password",
      client_id: api.clientId,
      client_secret: api.secret,
      username: "admin@contoso.com",
      password: "admin-Pass1!",
      scope: "https://graph.microsoft.com/User.Read",
    });
    const pane = t.emu.config.apps.pane;
    const ownApi = await rawToken(t.emu, CONTOSO, {
      grant_type: "password",
      client_id: pane.clientId,
      username: "admin@contoso.com",
      password: "admin-Pass1!",
      scope: api.scope,
    });
    for (const token of [graph, ownApi]) {
      const res = await invoke(t.emu, globalAdmin, "Get-JournalRule", {}, { authorization: `Bearer ${token}` });
      expectChallenge(res);
      expect(res.headers["x-ms-diagnostics"]).toMatch(/audience/i);
    }
  });

  it("refuses another tenant's token both ways (invalid_tenant), and an unknown tenant", async () => {
    const intoContoso = await invoke(t.emu, fabrikamAdmin, "Get-JournalRule", {}, { tenant: CONTOSO });
    expectChallenge(intoContoso);
    expect(intoContoso.headers["x-ms-diagnostics"]).toContain('error_category="invalid_tenant"');
    for (const tenant of [FABRIKAM, "dc025849-3102-5916-8209-96a6c0be0c8d", "nowhere.onmicrosoft.com"]) {
      expectChallenge(await invoke(t.emu, daemon, "Get-JournalRule", {}, { tenant }));
    }
  });

  it("refuses (403) a valid Exchange token that carries neither Exchange.Manage nor Exchange.ManageAsApp", async () => {
    // The product's API app has no application permission on Exchange: Entra still issues a token without roles.
    const api = t.emu.config.apps.api;
    const token = await rawToken(t.emu, CONTOSO, {
      grant_type: "client_credentials",
      client_id: api.clientId,
      client_secret: api.secret,
      scope: "https://outlook.office365.com/.default",
    });
    const res = await invoke(t.emu, daemon, "Get-JournalRule", {}, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(403);
    expect(res.json<{ error: { code: string } }>().error.code).toBe("Forbidden");
  });
});

describe("roles (Exchange RBAC from the token's wids)", () => {
  it("an ordinary user gets Exchange's access-denied answer for reads and writes", async () => {
    for (const [cmdlet, parameters] of [
      ["Get-JournalRule", {}],
      ["Get-Mailbox", {}],
      ["Set-TransportConfig", { JournalingReportNdrTo: NDR }],
      ["New-OutboundConnector", { Name: "c", SmartHosts: ["h.example"], UseMXRecord: false }],
    ] as const) {
      const res = await invoke(t.emu, ordinaryUser, cmdlet, parameters);
      expect(res.status).toBe(401);
      expect(res.json()).toEqual(notAllowedBody(cmdlet));
    }
    // Nothing changed.
    const config = await run(t.emu, globalAdmin, "Get-TransportConfig");
    expect(config.rows[0]?.JournalingReportNdrTo).toBe("<>");
  });

  it("a Compliance Administrator manages journal rules and reads everything, but not connectors, transport config or groups", async () => {
    await run(t.emu, exchangeAdmin, "Set-TransportConfig", { JournalingReportNdrTo: NDR });
    const rule = { Name: "Compliance rule", JournalEmailAddress: JOURNAL, Enabled: true };
    expect((await run(t.emu, complianceAdmin, "New-JournalRule", rule)).rows[0]).toMatchObject({ Enabled: true });
    await run(t.emu, complianceAdmin, "Set-JournalRule", { Identity: rule.Name, Scope: "External" });
    await run(t.emu, complianceAdmin, "Disable-JournalRule", { Identity: rule.Name });
    await run(t.emu, complianceAdmin, "Enable-JournalRule", { Identity: rule.Name });
    for (const read of ["Get-OutboundConnector", "Get-TransportConfig", "Get-DistributionGroup", "Get-MessageTraceV2"])
      await run(t.emu, complianceAdmin, read);
    for (const [cmdlet, parameters] of [
      ["New-OutboundConnector", { Name: "c", SmartHosts: ["h.example"], UseMXRecord: false }],
      ["Set-TransportConfig", { JournalingReportNdrTo: "other@contoso.com" }],
      ["New-DistributionGroup", { Name: "Journaled users" }],
      ["Validate-OutboundConnector", { Identity: "c", Recipients: ["a@b.example"] }],
    ] as const) {
      const res = await invoke(t.emu, complianceAdmin, cmdlet, parameters);
      expect(res.status).toBe(401);
      expect(res.json()).toEqual(notAllowedBody(cmdlet));
    }
    await run(t.emu, complianceAdmin, "Remove-JournalRule", { Identity: rule.Name });
    expect((await run(t.emu, globalAdmin, "Get-JournalRule")).rows).toEqual([]);
  });

  it("the role check comes before parameter binding (a denied caller learns nothing about parameters)", async () => {
    const res = await invoke(t.emu, ordinaryUser, "New-JournalRule", { Bogus: 1 });
    expect(res.json()).toEqual(notAllowedBody("New-JournalRule"));
  });

  it("EXOModuleFile lists what each caller may run", async () => {
    const cmdlets = async (caller: Caller): Promise<string[]> => {
      const res = await request(`${t.emu.origin}/adminapi/v1.0/${CONTOSO}/EXOModuleFile?Version=3.7.0`, t.emu.caPem, {
        headers: { authorization: `Bearer ${caller.token}`, commandname: "*", "x-anchormailbox": caller.anchor },
      });
      expect(res.status).toBe(200);
      const value = res.json<{ value: { exportedCmdlets: string }[] }>().value;
      return (value[0]?.exportedCmdlets ?? "").split(",").filter((c) => c !== "");
    };
    expect(await cmdlets(ordinaryUser)).toEqual([]);
    const compliance = await cmdlets(complianceAdmin);
    expect(compliance).toEqual(
      expect.arrayContaining(["Get-OutboundConnector", "New-JournalRule", "Remove-JournalRule"]),
    );
    expect(compliance).not.toContain("New-OutboundConnector");
    expect(compliance).not.toContain("Set-TransportConfig");
    const all = await cmdlets(daemon);
    expect(all).toEqual(expect.arrayContaining(["New-OutboundConnector", "Set-TransportConfig", "Get-MessageTraceV2"]));
    expect(await cmdlets(globalAdmin)).toEqual(all);
    expect(await cmdlets(exchangeAdmin)).toEqual(all);
  });
});
