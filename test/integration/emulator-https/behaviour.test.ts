import { request } from "../emulator/helpers";
import {
  CONTOSO,
  FABRIKAM,
  JOURNAL,
  NDR,
  daemonCaller,
  fail,
  invoke,
  resetEmulator,
  run,
  setSettings,
  startTenant,
  userCaller,
  type Caller,
  type InvokeBody,
  type TestTenant,
} from "./client";

/**
 * What the admin API does around the cmdlets: OData paging and $select, and the behaviours tests
 * switch on through /_emulator/tenants/{tenant}/exchange/settings (throttling, transient 5xx,
 * replication delay, connector validation outcome), each observed over HTTPS.
 */
let t: TestTenant;
let admin: Caller;
let app: Caller;
let fabrikamAdmin: Caller;

beforeAll(async () => {
  t = await startTenant();
  [admin, app, fabrikamAdmin] = await Promise.all([
    userCaller(t.emu, "exchange.admin@contoso.com"),
    daemonCaller(t.emu),
    userCaller(t.emu, "admin@fabrikam.com", FABRIKAM),
  ]);
});
afterAll(() => t.stop());
beforeEach(() => resetEmulator(t.emu));

describe("paging and $select", () => {
  it("Prefer: odata.maxpagesize pages; POSTing the same body to @odata.nextLink walks every row once", async () => {
    const whole = (await run(t.emu, app, "Get-Recipient", { ResultSize: "Unlimited" })).rows;
    const first = await invoke(t.emu, app, "Get-Recipient", { ResultSize: "Unlimited" }, { pageSize: 4 });
    expect(first.headers["preference-applied"]).toBe("odata.maxpagesize=4");
    const body = first.json<InvokeBody>();
    expect(body.value).toHaveLength(4);
    const next = new URL(body["@odata.nextLink"] ?? "");
    expect(`${next.origin}${next.pathname}`).toBe(
      `${t.emu.origin}/adminapi/beta/${t.emu.config.apps.daemon.tenant}/InvokeCommand`,
    );
    expect(next.searchParams.get("$skiptoken")).toBe("4");
    const paged = await run(t.emu, app, "Get-Recipient", { ResultSize: "Unlimited" }, { pageSize: 4 });
    expect(paged.pages).toBe(Math.ceil(whole.length / 4));
    expect(paged.rows).toEqual(whole);
  });

  it("$select trims rows to the named properties (and keeps their @odata.type annotations), across pages", async () => {
    const paged = await run(
      t.emu,
      app,
      "Get-Recipient",
      { ResultSize: "Unlimited" },
      { pageSize: 5, select: "PrimarySmtpAddress,RecipientTypeDetails" },
    );
    expect(paged.pages).toBeGreaterThan(1);
    for (const row of paged.rows)
      expect(Object.keys(row).sort()).toEqual(["PrimarySmtpAddress", "RecipientTypeDetails"]);
    await run(t.emu, app, "New-OutboundConnector", {
      Name: "c",
      RecipientDomains: ["area1-vault.example"],
      SmartHosts: ["journaling.mxrecord.io"],
      UseMXRecord: false,
    });
    const connector = (await run(t.emu, app, "Get-OutboundConnector", {}, { select: "Name,SmartHosts" })).rows;
    expect(connector).toEqual([
      { Name: "c", "SmartHosts@odata.type": "#Collection(String)", SmartHosts: ["journaling.mxrecord.io"] },
    ]);
  });

  it("ResultSize N trims the rows and adds Exchange's 'more results available' warning", async () => {
    const two = await run(t.emu, app, "Get-Mailbox", { ResultSize: 2 });
    expect(two.rows).toHaveLength(2);
    expect(two.warnings[0]).toMatch(/^There are more results available than are currently displayed\./);
  });
});

describe("the rest of the admin API surface", () => {
  it("$batch runs InvokeCommand requests of the same tenant and answers each in responses[]", async () => {
    const url = `https://outlook.office365.com/adminapi/beta/${CONTOSO}/InvokeCommand`;
    const res = await request(`${t.emu.origin}/adminapi/beta/${CONTOSO}/$batch`, t.emu.caPem, {
      method: "POST",
      headers: {
        authorization: `Bearer ${app.token}`,
        "content-type": "application/json",
        prefer: "odata.continue-on-error",
      },
      body: JSON.stringify({
        requests: [
          { id: "1", method: "POST", url, body: { CmdletInput: { CmdletName: "Get-TransportConfig" } } },
          {
            id: "2",
            method: "POST",
            url,
            body: { CmdletInput: { CmdletName: "Get-JournalRule", Parameters: { Identity: "none" } } },
          },
          {
            id: "3",
            method: "POST",
            url: url.replace(CONTOSO, FABRIKAM),
            body: { CmdletInput: { CmdletName: "Get-JournalRule" } },
          },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const responses = res.json<{ responses: { id: string; status: number; body: { value?: unknown[] } }[] }>()
      .responses;
    expect(responses.map((r) => [r.id, r.status])).toEqual([
      ["1", 200],
      ["2", 404],
      ["3", 400],
    ]);
    expect(responses[0]?.body.value).toHaveLength(1);
  });

  it("answers an unknown resource 404 and a GET of InvokeCommand 405", async () => {
    const headers = { authorization: `Bearer ${app.token}` };
    const missing = await request(`${t.emu.origin}/adminapi/beta/${CONTOSO}/RunScript`, t.emu.caPem, {
      method: "POST",
      headers,
      body: "{}",
    });
    expect(missing.status).toBe(404);
    const wrongMethod = await request(`${t.emu.origin}/adminapi/beta/${CONTOSO}/InvokeCommand`, t.emu.caPem, {
      headers,
    });
    expect([wrongMethod.status, wrongMethod.headers.allow]).toEqual([405, "POST"]);
  });
});

describe("settings endpoint", () => {
  it("validates a patch (400 invalid_settings, nothing changes), 404s an unknown tenant, and is per tenant", async () => {
    const url = `${t.emu.origin}/_emulator/tenants/${CONTOSO}/exchange/settings`;
    const bad = await request(url, t.emu.caPem, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ replicationDelaySeconds: 5, throttling: { maxCalls: 0 } }),
    });
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ code: "invalid_settings", errors: [{ path: "throttling.maxCalls" }] });
    expect((await request(url, t.emu.caPem)).json()).toMatchObject({ replicationDelaySeconds: 0 });
    const unknown = await request(`${t.emu.origin}/_emulator/tenants/nowhere.example/exchange/settings`, t.emu.caPem);
    expect(unknown.status).toBe(404);
    await setSettings(t.emu, { transientFailures: { failNext: 1 } });
    expect((await invoke(t.emu, fabrikamAdmin, "Get-JournalRule", {}, { tenant: FABRIKAM })).status).toBe(200);
    expect((await invoke(t.emu, app, "Get-JournalRule")).status).toBe(503);
  });
});

describe("throttling", () => {
  it("answers 429 + Retry-After after N calls in the window, and lets calls through once the window passed", async () => {
    await setSettings(t.emu, { throttling: { enabled: true, maxCalls: 3, windowSeconds: 60, retryAfterSeconds: 5 } });
    const first = await invoke(t.emu, app, "Get-JournalRule");
    expect(first.headers["rate-limit-remaining"]).toBe("2");
    await invoke(t.emu, admin, "Get-TransportConfig");
    await invoke(t.emu, app, "Get-OutboundConnector");
    const throttled = await invoke(t.emu, app, "Get-JournalRule");
    expect(throttled.status).toBe(429);
    const retryAfter = Number(throttled.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(5);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(throttled.json()).toMatchObject({ error: { code: "TooManyRequests" } });
    // Other tenants have their own budget.
    expect((await invoke(t.emu, fabrikamAdmin, "Get-JournalRule", {}, { tenant: FABRIKAM })).status).toBe(200);
    t.advance(61_000);
    expect((await invoke(t.emu, app, "Get-JournalRule")).status).toBe(200);
  });

  it("can answer with the plain-text 'maximum number of concurrent requests' variant", async () => {
    await setSettings(t.emu, { throttling: { enabled: true, maxCalls: 1, style: "concurrent" } });
    await invoke(t.emu, app, "Get-JournalRule");
    const res = await invoke(t.emu, app, "Get-JournalRule");
    expect(res.status).toBe(429);
    expect(res.headers["content-type"]).toMatch(/^text\/plain/);
    expect(res.text).toBe(
      "You have reached the maximum number of concurrent requests per tenant. Please wait and try again",
    );
  });
});

describe("transient 5xx", () => {
  it("fails the next N calls (503 JSON with Retry-After; 502/504 as HTML), and nothing ran", async () => {
    await setSettings(t.emu, { transientFailures: { failNext: 2, status: 503 } });
    for (let i = 0; i < 2; i++) {
      const res = await invoke(t.emu, app, "Set-TransportConfig", { JournalingReportNdrTo: NDR });
      expect(res.status).toBe(503);
      expect(res.headers["retry-after"]).toBe("5");
      expect(res.json()).toMatchObject({ error: { code: "ServiceUnavailable" } });
    }
    expect((await run(t.emu, app, "Get-TransportConfig")).rows[0]?.JournalingReportNdrTo).toBe("<>");
    for (const status of [502, 504] as const) {
      await setSettings(t.emu, { transientFailures: { failNext: 1, status } });
      const res = await invoke(t.emu, app, "Get-JournalRule");
      expect(res.status).toBe(status);
      expect(res.headers["content-type"]).toMatch(/^text\/html/);
      expect(res.text).toMatch(/^<html>/);
    }
    expect((await invoke(t.emu, app, "Get-JournalRule")).status).toBe(200);
  });

  it("with when 'after' the cmdlet ran and only the answer was lost (a blind retry of New- then fails)", async () => {
    await run(t.emu, app, "Set-TransportConfig", { JournalingReportNdrTo: NDR });
    await setSettings(t.emu, { transientFailures: { failNext: 1, status: 500, when: "after" } });
    const rule = { Name: "Area 1", JournalEmailAddress: JOURNAL, Enabled: true };
    const lost = await invoke(t.emu, app, "New-JournalRule", rule);
    expect(lost.status).toBe(500);
    expect(lost.json()).toMatchObject({ error: { code: "InternalServerError" } });
    const retry = await fail(t.emu, app, "New-JournalRule", rule);
    expect(retry.exceptionType).toBe("Microsoft.Exchange.Configuration.Tasks.ManagementObjectAlreadyExistsException");
    expect((await run(t.emu, app, "Get-JournalRule")).rows).toHaveLength(1);
  });
});

describe("replication delay", () => {
  it("a new journal rule is invisible for T seconds (but its name is taken at once), then visible", async () => {
    await run(t.emu, app, "Set-TransportConfig", { JournalingReportNdrTo: NDR });
    await setSettings(t.emu, { replicationDelaySeconds: 1 });
    const rule = { Name: "Area 1", JournalEmailAddress: JOURNAL, Enabled: true };
    expect((await run(t.emu, app, "New-JournalRule", rule)).rows).toHaveLength(1);
    expect((await run(t.emu, app, "Get-JournalRule")).rows).toEqual([]);
    expect((await fail(t.emu, app, "Get-JournalRule", { Identity: "Area 1" })).status).toBe(404);
    expect((await fail(t.emu, app, "Disable-JournalRule", { Identity: "Area 1" })).status).toBe(404);
    const dup = await fail(t.emu, app, "New-JournalRule", rule);
    expect(dup.exceptionType).toBe("Microsoft.Exchange.Configuration.Tasks.ManagementObjectAlreadyExistsException");
    t.advance(1_100);
    expect((await run(t.emu, app, "Get-JournalRule")).rows).toEqual([expect.objectContaining({ Name: "Area 1" })]);
  });

  it("a changed NDR address is not yet seen by New-JournalRule; a changed connector shows its previous version", async () => {
    await setSettings(t.emu, { replicationDelaySeconds: 1 });
    await run(t.emu, app, "Set-TransportConfig", { JournalingReportNdrTo: NDR });
    expect((await run(t.emu, app, "Get-TransportConfig")).rows[0]?.JournalingReportNdrTo).toBe("<>");
    const early = await fail(t.emu, app, "New-JournalRule", { Name: "r", JournalEmailAddress: JOURNAL });
    expect(early.message).toMatch(/^Before you create a journal rule/);

    await setSettings(t.emu, { replicationDelaySeconds: 0 });
    await run(t.emu, app, "New-OutboundConnector", {
      Name: "c",
      RecipientDomains: ["area1-vault.example"],
      SmartHosts: ["old.mxrecord.io"],
      UseMXRecord: false,
    });
    await setSettings(t.emu, { replicationDelaySeconds: 1 });
    await run(t.emu, app, "Set-OutboundConnector", { Identity: "c", SmartHosts: ["journaling.mxrecord.io"] });
    expect((await run(t.emu, app, "Get-OutboundConnector", { Identity: "c" })).rows[0]?.SmartHosts).toEqual([
      "old.mxrecord.io",
    ]);
    t.advance(1_100);
    expect((await run(t.emu, app, "Get-TransportConfig")).rows[0]?.JournalingReportNdrTo).toBe(NDR);
    expect((await run(t.emu, app, "Get-OutboundConnector", { Identity: "c" })).rows[0]?.SmartHosts).toEqual([
      "journaling.mxrecord.io",
    ]);
    await run(t.emu, app, "New-JournalRule", { Name: "r", JournalEmailAddress: JOURNAL });
  });

  it("a new distribution group can't take members until it replicated", async () => {
    await setSettings(t.emu, { replicationDelaySeconds: 1 });
    await run(t.emu, admin, "New-DistributionGroup", { Name: "Journaled users" });
    const early = await fail(t.emu, admin, "Add-DistributionGroupMember", {
      Identity: "Journaled users",
      Member: "wei.tan@contoso.com",
    });
    expect(early.status).toBe(404);
    t.advance(1_100);
    await run(t.emu, admin, "Add-DistributionGroupMember", {
      Identity: "Journaled users",
      Member: "wei.tan@contoso.com",
    });
  });
});

describe("connector validation outcome per host", () => {
  const connector = {
    Name: "Area 1",
    RecipientDomains: ["area1-vault.example"],
    SmartHosts: ["journaling.mxrecord.io"],
    UseMXRecord: false,
    TlsSettings: "CertificateValidation",
  };

  it("a tlsFailure host fails the connectivity check and the test message", async () => {
    await run(t.emu, admin, "New-OutboundConnector", connector);
    await setSettings(t.emu, { connectorValidation: { "journaling.mxrecord.io": "tlsFailure" } });
    const rows = (
      await run(t.emu, admin, "Validate-OutboundConnector", {
        Identity: "Area 1",
        Recipients: ["probe@area1-vault.example"],
      })
    ).rows;
    expect(rows).toEqual([
      {
        TaskName: "Connectivity check to journaling.mxrecord.io",
        IsTaskSuccessful: false,
        Details: expect.stringMatching(/^450 4\.4\.317 Cannot connect to remote server .*certificate/) as unknown,
      },
      expect.objectContaining({ TaskName: "Send test email to probe@area1-vault.example", IsTaskSuccessful: false }),
    ]);
    // Opportunistic TLS (TlsSettings $null) falls back to plain SMTP and passes.
    await run(t.emu, admin, "Set-OutboundConnector", { Identity: "Area 1", TlsSettings: null });
    const plain = (
      await run(t.emu, admin, "Validate-OutboundConnector", {
        Identity: "Area 1",
        Recipients: ["probe@area1-vault.example"],
      })
    ).rows;
    expect(plain.map((r) => r.IsTaskSuccessful)).toEqual([true, true]);
    // Back to success for the host.
    await setSettings(t.emu, { connectorValidation: {} });
    await run(t.emu, admin, "Set-OutboundConnector", { Identity: "Area 1", TlsSettings: "CertificateValidation" });
    const ok = (
      await run(t.emu, admin, "Validate-OutboundConnector", {
        Identity: "Area 1",
        Recipients: ["probe@area1-vault.example"],
      })
    ).rows;
    expect(ok.map((r) => r.IsTaskSuccessful)).toEqual([true, true]);
  });
});
