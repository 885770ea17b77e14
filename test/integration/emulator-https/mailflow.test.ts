import { request } from "../emulator/helpers";
import {
  CONTOSO,
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
  type Row,
  type TestTenant,
} from "./client";

/**
 * The simulated mail stream (mailFlow.ratePerHour, driven by the emulator's clock) journals
 * external mail through the tenant's rules and connectors; Get-MessageTraceV2 / Get-MessageTrace
 * show the journal reports (delivered, pending while deferred, failed once expired) and the NDRs,
 * within the service's limits.
 */
let t: TestTenant;
let admin: Caller;
let app: Caller;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SMART_HOST = "journaling.mxrecord.io";

/** Fresh tokens: the emulator's clock moves by hours here, past their lifetime. */
async function signIn(): Promise<void> {
  [admin, app] = await Promise.all([userCaller(t.emu, "compliance.admin@contoso.com"), daemonCaller(t.emu)]);
}

async function advance(ms: number): Promise<void> {
  t.advance(ms);
  await signIn();
}

beforeAll(async () => {
  t = await startTenant();
  await signIn();
});
afterAll(() => t.stop());

/** Journaling set up as the product does it, then `hours` of mail at `rate` messages per hour. */
async function journalingWithMail(options: {
  tls: "success" | "tlsFailure";
  hours: number;
  rate: number;
}): Promise<void> {
  await resetEmulator(t.emu);
  await setSettings(t.emu, {
    connectorValidation: { [SMART_HOST]: options.tls },
    mailFlow: { ratePerHour: options.rate, seed: 7 },
  });
  await run(t.emu, app, "Set-TransportConfig", { JournalingReportNdrTo: NDR });
  await run(t.emu, app, "New-OutboundConnector", {
    Name: "Area 1",
    RecipientDomains: ["area1-vault.example"],
    SmartHosts: [SMART_HOST],
    UseMXRecord: false,
    TlsSettings: "CertificateValidation",
  });
  await run(t.emu, app, "New-JournalRule", { Name: "Area 1", JournalEmailAddress: JOURNAL, Enabled: true });
  await advance(options.hours * HOUR);
}

const trace = async (parameters: Record<string, unknown> = {}): Promise<{ rows: Row[]; warnings: string[] }> =>
  run(t.emu, admin, "Get-MessageTraceV2", parameters);

describe("mail flow → message trace", () => {
  it("delivered journal reports reach the journaling address through the connector; no NDRs", async () => {
    await journalingWithMail({ tls: "success", hours: 2, rate: 30 });
    const all = (await trace()).rows;
    const reports = all.filter((r) => r.RecipientAddress === JOURNAL);
    expect(reports.length).toBeGreaterThanOrEqual(55);
    expect(reports.every((r) => r.Status === "Delivered")).toBe(true);
    expect(all.filter((r) => r.RecipientAddress === NDR)).toEqual([]);
    const inbound = all.filter((r) => r.RecipientAddress !== JOURNAL);
    // One rule, one journaling address: one report per message (the newest report may still be on its way).
    const inboundIds = new Set(inbound.map((r) => r.MessageId));
    expect(new Set(reports.map((r) => r.MessageId)).size).toBe(reports.length);
    expect(reports.every((r) => inboundIds.has(r.MessageId))).toBe(true);
    expect(reports.length).toBeGreaterThanOrEqual(inbound.length - 1);
    expect(Object.keys(reports[0] ?? {}).sort()).toEqual(
      [
        "FromIP",
        "MessageId",
        "MessageTraceId",
        "Received",
        "RecipientAddress",
        "SenderAddress",
        "Size",
        "Status",
        "Subject",
        "ToIP",
      ].sort(),
    );
    // Newest first, UTC timestamps.
    const times = all.map((r) => Date.parse(String(r.Received)));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(String(all[0]?.Received)).toMatch(/Z$/);

    const report = reports[0] ?? {};
    const detail = (
      await run(t.emu, admin, "Get-MessageTraceDetailV2", {
        MessageTraceId: report.MessageTraceId,
        RecipientAddress: JOURNAL,
      })
    ).rows;
    expect(detail.map((d) => d.Event)).toEqual(["Journal", "Send"]);
    expect(String(detail[1]?.Detail)).toContain(`Message sent to ${SMART_HOST}`);
    expect(String(detail[1]?.Detail)).toContain("using connector 'Area 1'");
  });

  it("a TLS failure at the smart host defers the journal reports: Pending, no NDR while they are retried", async () => {
    await journalingWithMail({ tls: "tlsFailure", hours: 1, rate: 20 });
    const now = t.now().getTime();
    const window = {
      StartDate: new Date(now - 2 * HOUR).toISOString(),
      EndDate: new Date(now + 5 * 60_000).toISOString(),
    };
    const pending = (await trace({ ...window, RecipientAddress: [JOURNAL], Status: ["Pending"] })).rows;
    expect(pending).toHaveLength(20);
    expect((await trace({ ...window, RecipientAddress: [JOURNAL], Status: ["Failed"] })).rows).toEqual([]);
    expect((await trace({ ...window, RecipientAddress: [NDR] })).rows).toEqual([]);
    const detail = (
      await run(t.emu, admin, "Get-MessageTraceDetailV2", {
        MessageTraceId: pending[0]?.MessageTraceId,
        RecipientAddress: JOURNAL,
        Event: ["Defer"],
      })
    ).rows;
    expect(detail).toEqual([expect.objectContaining({ Event: "Defer" })]);
    expect(String(detail[0]?.Detail)).toContain("4.4.317");
  });

  it("/_emulator/ advances a tenant's mail flow: reports expire after a day (Failed + NDR) and the service disables the rule", async () => {
    await journalingWithMail({ tls: "tlsFailure", hours: 1, rate: 20 });
    await trace(); // the stream catches up to now at the next call, then stops
    await setSettings(t.emu, { mailFlow: { ratePerHour: 0 } });
    const advance = async (hours: number): Promise<Record<string, unknown>> => {
      const res = await request(`${t.emu.origin}/_emulator/tenants/${CONTOSO}/exchange/mailflow/advance`, t.emu.caPem, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ hours }),
      });
      expect(res.status).toBe(200);
      return JSON.parse(res.text) as Record<string, unknown>;
    };
    const day = await advance(25);
    expect(day.summary).toMatchObject({ failed: 20, ndrs: 20, rulesDisabled: 0 });
    const now = t.now().getTime();
    const window = { StartDate: new Date(now - 2 * DAY).toISOString(), EndDate: new Date(now).toISOString() };
    expect((await trace({ ...window, RecipientAddress: [JOURNAL], Status: ["Failed"] })).rows).toHaveLength(20);
    const ndrs = (await trace({ ...window, RecipientAddress: [NDR] })).rows;
    expect(ndrs).toHaveLength(20);
    expect(String(ndrs[0]?.Subject)).toMatch(/^Undeliverable: /);
    expect((await run(t.emu, admin, "Get-JournalRule", { Identity: "Area 1" })).rows[0]).toMatchObject({
      Enabled: true,
    });

    const later = await advance(48);
    expect(later.summary).toMatchObject({ rulesDisabled: 1 });
    expect((await run(t.emu, admin, "Get-JournalRule", { Identity: "Area 1" })).rows[0]).toMatchObject({
      Enabled: false,
    });
    const view = await request(`${t.emu.origin}/_emulator/tenants/${CONTOSO}/exchange/mailflow`, t.emu.caPem);
    const rules = (JSON.parse(view.text) as { autoDisabledRules: Record<string, unknown>[] }).autoDisabledRules;
    expect(rules).toEqual([
      expect.objectContaining({
        ruleName: "Area 1",
        journalEmailAddress: JOURNAL,
        reason: expect.stringMatching(/undeliverable/),
      }),
    ]);

    const bad = await request(`${t.emu.origin}/_emulator/tenants/${CONTOSO}/exchange/mailflow/advance`, t.emu.caPem, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ hours: -1 }),
    });
    expect(bad.status).toBe(400);
  });

  it("a disabled rule journals nothing; the stream keeps delivering the original messages", async () => {
    await journalingWithMail({ tls: "success", hours: 0, rate: 10 });
    await run(t.emu, app, "Disable-JournalRule", { Identity: "Area 1" });
    await advance(HOUR);
    const all = (await trace()).rows;
    expect(all.length).toBeGreaterThanOrEqual(9);
    expect(all.filter((r) => r.RecipientAddress === JOURNAL)).toEqual([]);
  });

  it("Get-MessageTrace (V1) pages with Page/PageSize and warns that it is deprecated", async () => {
    await journalingWithMail({ tls: "success", hours: 1, rate: 12 });
    const v2 = (await trace()).rows;
    const page1 = await run(t.emu, admin, "Get-MessageTrace", { PageSize: 10, Page: 1 });
    const page2 = await run(t.emu, admin, "Get-MessageTrace", { PageSize: 10, Page: 2 });
    expect(page1.warnings[0]).toContain("Get-MessageTraceV2");
    expect(page1.rows).toHaveLength(10);
    expect([...page1.rows, ...page2.rows].map((r) => r.MessageTraceId)).toEqual(
      v2.map((r) => r.MessageTraceId).slice(0, page1.rows.length + page2.rows.length),
    );
    expect(page1.rows[0]).toMatchObject({ Organization: "contoso.onmicrosoft.com", Index: 0 });
    expect(page2.rows[0]?.Index).toBe(10);
  });
});

describe("message trace limits", () => {
  beforeAll(() => journalingWithMail({ tls: "success", hours: 3, rate: 10 }));

  it("ResultSize 1–5000; more rows than ResultSize → a warning naming the StartingRecipientAddress continuation", async () => {
    for (const size of [0, 5001]) {
      const e = await fail(t.emu, admin, "Get-MessageTraceV2", { ResultSize: size });
      expect(e.exceptionType).toBe("System.Management.Automation.ParameterBindingValidationException");
      expect(e.message).toMatch(/^Cannot validate argument on parameter 'ResultSize'\./);
    }
    const all = (await trace()).rows;
    const seen: Row[] = [];
    let parameters: Record<string, unknown> = { ResultSize: 7 };
    for (let i = 0; i < 50; i++) {
      const page = await trace(parameters);
      seen.push(...page.rows);
      const warning = page.warnings.find((w) => w.startsWith("There are more results"));
      if (warning === undefined) break;
      const m = /-StartDate "([^"]+)" -EndDate "([^"]+)" -StartingRecipientAddress "([^"]+)"/.exec(warning);
      expect(m).not.toBeNull();
      parameters = { ResultSize: 7, StartDate: m?.[1], EndDate: m?.[2], StartingRecipientAddress: m?.[3] };
    }
    expect(seen.map((r) => r.MessageTraceId)).toEqual(all.map((r) => r.MessageTraceId));
  });

  it("at most 10 days per query and 90 days of history (V2); 10 days of history (V1)", async () => {
    const now = t.now().getTime();
    const iso = (ms: number): string => new Date(ms).toISOString();
    const wide = await fail(t.emu, admin, "Get-MessageTraceV2", {
      StartDate: iso(now - 11 * DAY),
      EndDate: iso(now),
    });
    expect([wide.exceptionType, wide.message]).toEqual([
      "System.ArgumentException",
      "The time range between StartDate and EndDate can't exceed 10 days.",
    ]);
    const old = await fail(t.emu, admin, "Get-MessageTraceV2", {
      StartDate: iso(now - 91 * DAY),
      EndDate: iso(now - 85 * DAY),
    });
    expect(old.message).toContain("90 days");
    await trace({ StartDate: iso(now - 89 * DAY), EndDate: iso(now - 80 * DAY) });
    const reversed = await fail(t.emu, admin, "Get-MessageTraceV2", { StartDate: iso(now), EndDate: iso(now - DAY) });
    expect(reversed.exceptionType).toBe("System.ArgumentException");
    const v1 = await fail(t.emu, admin, "Get-MessageTrace", { StartDate: iso(now - 11 * DAY), EndDate: iso(now) });
    expect(v1.message).toContain("10 days");
    // Without dates: the last 48 hours.
    await setSettings(t.emu, { mailFlow: { ratePerHour: 0 } });
    await advance(47 * HOUR);
    expect((await trace()).rows.length).toBeGreaterThan(0);
    await advance(2 * HOUR);
    expect((await trace()).rows).toEqual([]);
    expect((await trace({ StartDate: iso(now - DAY), EndDate: iso(now) })).rows.length).toBeGreaterThan(0);
  });

  it("100 queries per 5 minutes per tenant, then 429 with Retry-After until the window moves", async () => {
    await advance(10 * 60_000); // a fresh 5-minute window
    for (let i = 0; i < 100; i++)
      expect((await invoke(t.emu, admin, "Get-MessageTraceV2", { ResultSize: 1 })).status).toBe(200);
    const throttled = await invoke(t.emu, admin, "Get-MessageTraceV2", { ResultSize: 1 });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers["retry-after"])).toBeGreaterThan(0);
    expect(throttled.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: "TooManyRequests",
      message: expect.stringContaining("100 queries per 5 minutes") as unknown,
    });
    // Other cmdlets are not affected by the message trace budget.
    expect((await invoke(t.emu, admin, "Get-JournalRule")).status).toBe(200);
    await advance(5 * 60_000 + 1_000);
    expect((await invoke(t.emu, admin, "Get-MessageTraceV2", { ResultSize: 1 })).status).toBe(200);
  });
});
