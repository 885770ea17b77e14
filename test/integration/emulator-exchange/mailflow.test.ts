import {
  ThrottledError,
  advanceMailFlow,
  ageMailFlow,
  journalQueue,
  simulateMailFlow,
} from "../../../src/emulator/exchange";
import { NOW, fail, run, settings, tenant, withNdr } from "./fixture";

const HOUR = 3_600_000;
const CONNECTOR = {
  Name: "Journaling",
  RecipientDomains: ["journaling.mxrecord.io"],
  UseMXRecord: false,
  SmartHosts: ["eu.journaling.mxrecord.io"],
  TlsSettings: "CertificateValidation",
};
const ago = (hours: number): Date => new Date(NOW.getTime() - hours * HOUR);

function journaled(): ReturnType<typeof tenant> {
  const t = withNdr(tenant());
  run(t, "New-OutboundConnector", CONNECTOR);
  run(t, "New-JournalRule", {
    Name: "all",
    JournalEmailAddress: "journal@journaling.mxrecord.io",
    Scope: "External",
    Enabled: true,
  });
  return t;
}

describe("Exchange emulator: simulated mail flow and message trace", () => {
  it("journals every external message through the matching connector", () => {
    const t = journaled();
    const summary = simulateMailFlow(t, { from: ago(5), to: ago(1), count: 20, seed: 7 });
    expect(summary).toEqual({
      messages: 20,
      journalReports: 20,
      delivered: 20,
      deferred: 0,
      failed: 0,
      ndrs: 0,
      rulesDisabled: 0,
    });
    const reports = run(t, "Get-MessageTraceV2", { RecipientAddress: "journal@journaling.mxrecord.io" }).rows;
    expect(reports).toHaveLength(20);
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
    expect(reports.every((r) => r.Status === "Delivered" && typeof r.ToIP === "string")).toBe(true);
  });

  it("is deterministic for a seed", () => {
    const a = journaled();
    const b = journaled();
    simulateMailFlow(a, { from: ago(3), to: ago(1), count: 5, seed: 42 });
    simulateMailFlow(b, { from: ago(3), to: ago(1), count: 5, seed: 42 });
    expect(a.exchange.messageTrace).toEqual(b.exchange.messageTrace);
  });

  it("defers reports over a connector whose host fails TLS: Pending, retried, not failed and no NDR yet", () => {
    const t = journaled();
    settings(t, { connectorValidation: { "eu.journaling.mxrecord.io": "tlsFailure" } });
    const summary = simulateMailFlow(t, { from: ago(2), to: ago(1), count: 3, seed: 1 });
    expect(summary).toMatchObject({ journalReports: 3, deferred: 3, failed: 0, ndrs: 0 });
    advanceMailFlow(t, NOW);
    expect(run(t, "Get-MessageTraceV2", { Status: ["Failed"] }).rows).toHaveLength(0);
    const pending = run(t, "Get-MessageTraceV2", { Status: ["Pending"] }).rows;
    expect(pending).toHaveLength(3);
    expect(run(t, "Get-MessageTraceV2", { RecipientAddress: ["journal-ndr@contoso.com"] }).rows).toHaveLength(0);
    const detail = run(t, "Get-MessageTraceDetailV2", {
      MessageTraceId: pending[0]?.MessageTraceId,
      RecipientAddress: pending[0]?.RecipientAddress,
    }).rows;
    expect(detail.map((d) => d.Event)).toEqual(["Journal", "Defer"]);
    expect(String(detail[1]?.Detail)).toMatch(/450 4\.4\.317/);
  });

  it("delivers a queued report on a retry once the destination accepts TLS again", () => {
    const t = journaled();
    settings(t, { connectorValidation: { "eu.journaling.mxrecord.io": "tlsFailure" } });
    simulateMailFlow(t, { from: ago(3), to: ago(2), count: 2, seed: 5 });
    settings(t, { connectorValidation: {} });
    expect(advanceMailFlow(t, NOW).delivered).toBe(2);
    const rows = run(t, "Get-MessageTraceV2", { RecipientAddress: "journal@journaling.mxrecord.io" }).rows;
    expect(rows.map((r) => r.Status)).toEqual(["Delivered", "Delivered"]);
    expect(journalQueue(t).queue).toHaveLength(0);
  });

  it("expires a report after a day in the queue: Failed, with an NDR to the NDR address", () => {
    const t = journaled();
    settings(t, { connectorValidation: { "eu.journaling.mxrecord.io": "tlsFailure" } });
    simulateMailFlow(t, { from: ago(30), to: ago(20), count: 3, seed: 1 });
    const step = advanceMailFlow(t, NOW);
    // Sent 30, 25 and 20 hours ago: the first two have been queued for more than a day.
    expect(step).toMatchObject({ failed: 2, ndrs: 2 });
    const window = { StartDate: ago(48).toISOString(), EndDate: NOW.toISOString() };
    expect(run(t, "Get-MessageTraceV2", { ...window, Status: "Failed" }).rows).toHaveLength(2);
    expect(run(t, "Get-MessageTraceV2", { ...window, Status: "Pending" }).rows).toHaveLength(1);
    const ndrs = run(t, "Get-MessageTraceV2", { ...window, RecipientAddress: ["journal-ndr@contoso.com"] }).rows;
    expect(ndrs.map((r) => String(r.Subject).startsWith("Undeliverable: "))).toEqual([true, true]);
    const failed = run(t, "Get-MessageTraceV2", { ...window, Status: "Failed" }).rows[0];
    const detail = run(t, "Get-MessageTraceDetailV2", {
      MessageTraceId: failed?.MessageTraceId,
      RecipientAddress: failed?.RecipientAddress,
    }).rows;
    expect(detail.map((d) => d.Event)).toEqual(["Journal", "Defer", "Fail"]);
    expect(String(detail[2]?.Detail)).toMatch(/QUEUE\.Expired/);
  });

  it("delivers the NDR of an expired report to the JournalingReportNdrTo mailbox: in message trace and in the mailbox", () => {
    const t = journaled();
    settings(t, { connectorValidation: { "eu.journaling.mxrecord.io": "tlsFailure" } });
    simulateMailFlow(t, { from: ago(25), to: ago(25), count: 1, seed: 3 });
    advanceMailFlow(t, NOW);
    const window = { StartDate: ago(48).toISOString(), EndDate: NOW.toISOString() };
    const [report] = run(t, "Get-MessageTraceV2", {
      ...window,
      RecipientAddress: "journal@journaling.mxrecord.io",
    }).rows;
    const ndrs = run(t, "Get-MessageTraceV2", { ...window, RecipientAddress: "journal-ndr@contoso.com" }).rows;
    // One row, to the NDR address, from the Microsoft Exchange recipient, when the report expired (a day after).
    expect(ndrs).toEqual([
      expect.objectContaining({
        RecipientAddress: "journal-ndr@contoso.com",
        SenderAddress: `MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@${t.directory.initialDomain}`,
        Subject: `Undeliverable: ${String(report?.Subject)}`,
        Status: "Delivered",
        Received: new Date(Date.parse(String(report?.Received)) + 24 * HOUR + 500).toISOString(),
      }),
    ]);
    const ndrUser = t.directory.users.find((u) => u.mail === "journal-ndr@contoso.com");
    const inbox = t.exchange.mailboxes?.[ndrUser?.id ?? ""] ?? [];
    expect(inbox).toEqual([
      expect.objectContaining({
        subject: `Undeliverable: ${String(report?.Subject)}`,
        internetMessageId: ndrs[0]?.MessageId,
        hasAttachments: true,
        from: { emailAddress: { name: "Microsoft Exchange", address: ndrs[0]?.SenderAddress } },
      }),
    ]);
    expect(inbox[0]?.body.content).toContain("journal@journaling.mxrecord.io");
  });

  it("sends the NDR to an external JournalingReportNdrTo from the postmaster address, and keeps no copy here", () => {
    const t = journaled();
    withNdr(t, "ndr@archive.example");
    settings(t, { connectorValidation: { "eu.journaling.mxrecord.io": "tlsFailure" } });
    simulateMailFlow(t, { from: ago(25), to: ago(25), count: 1, seed: 3 });
    advanceMailFlow(t, NOW);
    const window = { StartDate: ago(48).toISOString(), EndDate: NOW.toISOString() };
    const ndrs = run(t, "Get-MessageTraceV2", { ...window, RecipientAddress: "ndr@archive.example" }).rows;
    expect(ndrs).toEqual([
      expect.objectContaining({ SenderAddress: `postmaster@${t.directory.initialDomain}`, Status: "Delivered" }),
    ]);
    expect(Object.values(t.exchange.mailboxes ?? {}).flat()).toEqual([]);
  });

  it("disables the journal rule two days after contact when its reports stay undeliverable, and says why", () => {
    const t = journaled();
    settings(t, { connectorValidation: { "eu.journaling.mxrecord.io": "tlsFailure" } });
    simulateMailFlow(t, { from: ago(2), to: ago(1), count: 2, seed: 1 });
    // A day: the first report expires and "Microsoft" contacts the tenant; the rule is still on.
    expect(ageMailFlow(t, 24 * HOUR, NOW).rulesDisabled).toBe(0);
    expect(run(t, "Get-JournalRule", { Identity: "all" }).rows[0]).toMatchObject({ Enabled: true });
    // Two more days without a fix: the service disables the rule.
    expect(ageMailFlow(t, 48 * HOUR, NOW).rulesDisabled).toBe(1);
    const rule = run(t, "Get-JournalRule", { Identity: "all" }).rows[0];
    expect(rule).toMatchObject({ Enabled: false });
    // Exchange itself says nothing about why; the emulator keeps who and why for /_emulator/.
    expect(Object.keys(rule ?? {})).not.toContain("DisabledReason");
    const record = journalQueue(t).autoDisabled[0];
    expect(record).toMatchObject({ ruleName: "all", journalEmailAddress: "journal@journaling.mxrecord.io" });
    expect(record?.reason).toMatch(/stayed undeliverable/);
    // A disabled rule journals nothing more.
    expect(simulateMailFlow(t, { from: ago(0.5), to: ago(0.1), count: 3, seed: 2 }).journalReports).toBe(0);
  });

  it("does not disable the rule when a report gets through after the contact", () => {
    const t = journaled();
    settings(t, { connectorValidation: { "eu.journaling.mxrecord.io": "tlsFailure" } });
    simulateMailFlow(t, { from: ago(2), to: ago(1), count: 2, seed: 1 });
    ageMailFlow(t, 24 * HOUR, NOW);
    settings(t, { connectorValidation: {} });
    simulateMailFlow(t, { from: ago(0.5), to: ago(0.1), count: 1, seed: 3 });
    ageMailFlow(t, 72 * HOUR, NOW);
    expect(run(t, "Get-JournalRule", { Identity: "all" }).rows[0]).toMatchObject({ Enabled: true });
    expect(journalQueue(t).autoDisabled).toEqual([]);
  });

  it("journals only members of a rule's group, and ignores disabled and internal-scope rules", () => {
    const t = withNdr(tenant());
    run(t, "New-JournalRule", {
      Name: "sales",
      JournalEmailAddress: "j@vault.example",
      Recipient: "sales@contoso.com",
      Enabled: true,
    });
    run(t, "New-JournalRule", { Name: "off", JournalEmailAddress: "off@vault.example" });
    run(t, "New-JournalRule", {
      Name: "internal",
      JournalEmailAddress: "int@vault.example",
      Scope: "Internal",
      Enabled: true,
    });
    simulateMailFlow(t, { from: ago(10), to: ago(1), count: 60, seed: 3 });
    const messagesToAlice = t.exchange.messageTrace.filter(
      (e) => e.Kind === "message" && e.RecipientAddress === "alice@contoso.com",
    ).length;
    const reports = t.exchange.messageTrace.filter((e) => e.Kind === "journalReport");
    expect(messagesToAlice).toBeGreaterThan(0);
    expect(reports).toHaveLength(messagesToAlice);
    expect(new Set(reports.map((r) => r.RecipientAddress))).toEqual(new Set(["j@vault.example"]));
  });

  it("the continuous stream follows the configured rate", () => {
    const t = journaled();
    settings(t, { mailFlow: { ratePerHour: 60 } });
    advanceMailFlow(t, ago(2));
    expect(advanceMailFlow(t, ago(1)).messages).toBe(60);
    expect(advanceMailFlow(t, new Date(ago(1).getTime() + 90_000)).messages).toBe(1);
  });

  it("applies the trace limits: default 48 h, 10 days per query, 90 days history, ResultSize 1..5000", () => {
    const t = journaled();
    simulateMailFlow(t, { from: ago(72), to: ago(60), count: 2, seed: 1 });
    simulateMailFlow(t, { from: ago(2), to: ago(1), count: 2, seed: 2 });
    expect(run(t, "Get-MessageTraceV2").rows).toHaveLength(4); // 2 messages + 2 reports in the last 48 h
    expect(
      run(t, "Get-MessageTraceV2", { StartDate: ago(96).toISOString(), EndDate: NOW.toISOString() }).rows,
    ).toHaveLength(8);
    expect(
      fail(t, "Get-MessageTraceV2", { StartDate: ago(11 * 24).toISOString(), EndDate: NOW.toISOString() }).message,
    ).toMatch(/can't exceed 10 days/);
    expect(
      fail(t, "Get-MessageTraceV2", { StartDate: ago(91 * 24).toISOString(), EndDate: ago(89 * 24).toISOString() })
        .message,
    ).toMatch(/90 days/);
    expect(fail(t, "Get-MessageTraceV2", { ResultSize: 5001 }).message).toMatch(/maximum allowed range of 5000/);
    expect(fail(t, "Get-MessageTraceV2", { ResultSize: 0 }).message).toMatch(/minimum allowed range of 1/);
  });

  it("continues a partial result with StartingRecipientAddress and EndDate", () => {
    const t = journaled();
    simulateMailFlow(t, { from: ago(3), to: ago(1), count: 5, seed: 9 });
    const all = run(t, "Get-MessageTraceV2").rows;
    const first = run(t, "Get-MessageTraceV2", { ResultSize: 4 });
    expect(first.warnings[0]).toMatch(/^There are more results/);
    const last = first.rows[3];
    const rest = run(t, "Get-MessageTraceV2", {
      StartDate: ago(48).toISOString(),
      EndDate: last?.Received,
      StartingRecipientAddress: last?.RecipientAddress,
    }).rows;
    expect([...first.rows, ...rest].map((r) => r.MessageTraceId)).toEqual(all.map((r) => r.MessageTraceId));
  });

  it("limits message trace to 100 queries per 5 minutes per tenant", () => {
    const t = tenant();
    for (let i = 0; i < 100; i++) run(t, "Get-MessageTraceV2");
    expect(() => run(t, "Get-MessageTraceV2")).toThrow(ThrottledError);
    run(t, "Get-MessageTraceV2", {}, { now: new Date(NOW.getTime() + 5 * 60_000 + 1) });
  });

  it("Get-MessageTrace (old) pages and keeps 10 days", () => {
    const t = journaled();
    simulateMailFlow(t, { from: ago(3), to: ago(1), count: 3, seed: 4 });
    const page = run(t, "Get-MessageTrace", { PageSize: 2, Page: 2 });
    expect(page.rows.map((r) => r.Index)).toEqual([2, 3]);
    expect(page.rows[0]).toMatchObject({ Organization: "contoso.onmicrosoft.com" });
    expect(
      fail(t, "Get-MessageTrace", { StartDate: ago(11 * 24).toISOString(), EndDate: NOW.toISOString() }).message,
    ).toMatch(/10 days/);
  });
});
