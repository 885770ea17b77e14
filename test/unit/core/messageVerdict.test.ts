import { messageVerdict, type VerdictInput } from "../../../src/core/status/messageVerdict";

const NOW = "2026-12-07T12:00:00.000Z";
const ID = "<abc@contoso.com>";
const EU = "contoso-eu1@journaling.mailstream-eu1.mxrecord.io";
const IN = "contoso-bom@journaling.mailstream-bom.mxrecord.mx";

function input(over: Partial<VerdictInput> = {}): VerdictInput {
  return {
    internetMessageId: ID,
    now: NOW,
    rows: [],
    regions: [
      {
        key: "eu1",
        label: "EU",
        address: EU,
        host: "journaling.mailstream-eu1.mxrecord.io",
        ruleName: "Journal EU",
        members: ["anna.schmidt@contoso.com"],
      },
      {
        key: "bom",
        label: "India",
        address: IN,
        host: "journaling.mailstream-bom.mxrecord.mx",
        ruleName: "Journal India",
        members: ["priya.sharma@contoso.com"],
      },
    ],
    rules: [
      { name: "Journal EU", journalEmailAddress: EU, enabled: true, scope: "External" },
      { name: "Journal India", journalEmailAddress: IN, enabled: true, scope: "External" },
    ],
    acceptedDomains: ["contoso.com", "contoso.onmicrosoft.com"],
    searched: "Get-MessageTraceV2, 10 days",
    ...over,
  };
}

const inbound = (status = "Delivered", received = "2026-12-07T11:00:00Z") => ({
  messageTraceId: "t1",
  senderAddress: "orders@northwind.example",
  recipientAddress: "anna.schmidt@contoso.com",
  subject: "Invoice",
  status,
  received,
});

const report = (status: string, address = EU) => ({
  messageTraceId: "t2",
  senderAddress: "MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@contoso.onmicrosoft.com",
  recipientAddress: address,
  subject: "Invoice",
  status,
  received: "2026-12-07T11:00:02Z",
});

test("a delivered report: journaled, to which region and host, when", () => {
  const v = messageVerdict(input({ rows: [inbound(), report("Delivered")] }));
  expect(v.verdict).toBe("journaled");
  expect(v.reports).toEqual([
    {
      address: EU,
      region: "eu1",
      host: "journaling.mailstream-eu1.mxrecord.io",
      status: "Delivered",
      at: "2026-12-07T11:00:02Z",
    },
  ]);
  expect(v.sentence).toBe(`Journaled: the report was delivered to EU (${EU}) at 2026-12-07T11:00:02Z.`);
  expect(v.message).toMatchObject({ sender: "orders@northwind.example", recipients: ["anna.schmidt@contoso.com"] });
  expect(v.evidence.some((e) => e.includes("t2"))).toBe(true);
});

test("a queued report: journaled, Pending since when and why", () => {
  const v = messageVerdict(input({ rows: [inbound(), report("pending")] }));
  expect(v.verdict).toBe("journaled");
  expect(v.reports[0]).toMatchObject({ status: "Pending", pendingSince: "2026-12-07T11:00:02Z" });
  expect(v.reports[0]?.why).toMatch(/has not accepted the report yet/);
  expect(v.sentence).toMatch(/queued for EU .* since 2026-12-07T11:00:02Z, not accepted yet/);
});

test("a failed report says why", () => {
  const v = messageVerdict(input({ rows: [inbound(), report("Failed")] }));
  expect(v.reports[0]?.status).toBe("Failed");
  expect(v.reports[0]?.why).toMatch(/expired/);
});

test("an internal-only message under External rules: not journaled, internalOnly", () => {
  const row = { ...inbound(), senderAddress: "priya.sharma@contoso.com" };
  const v = messageVerdict(input({ rows: [row] }));
  expect(v).toMatchObject({ verdict: "notJournaled", reason: "internalOnly" });
  expect(v.sentence).toMatch(/stayed inside the organization/);
});

test("nobody in a regional list: notInAnyRegion", () => {
  const row = { ...inbound(), recipientAddress: "louis.bernard@contoso.com" };
  const v = messageVerdict(input({ rows: [row] }));
  expect(v).toMatchObject({ verdict: "notJournaled", reason: "notInAnyRegion" });
  expect(v.sentence).toMatch(/EU and India/);
});

test("the rule was disabled at the time: ruleDisabled", () => {
  const v = messageVerdict(
    input({
      rows: [inbound()],
      rules: [
        {
          name: "Journal EU",
          journalEmailAddress: EU,
          enabled: false,
          scope: "External",
          whenChanged: "2026-12-01T00:00:00Z",
        },
        { name: "Journal India", journalEmailAddress: IN, enabled: true, scope: "External" },
      ],
    }),
  );
  expect(v).toMatchObject({ verdict: "notJournaled", reason: "ruleDisabled" });
  expect(v.sentence).toMatch(/"Journal EU" was disabled/);
});

test("journaling paused before the message: paused", () => {
  const v = messageVerdict(input({ rows: [inbound()], pausedSince: "2026-12-07T10:00:00Z" }));
  expect(v).toMatchObject({ verdict: "notJournaled", reason: "paused" });
});

test("not in trace yet: notYetKnown with when to look again", () => {
  const v = messageVerdict(input({ rows: [], mailboxReceived: "2026-12-07T11:59:00Z" }));
  expect(v).toMatchObject({ verdict: "notYetKnown", reason: "traceLag", retryAfterSeconds: 60 });
});

test("in trace, report not yet, minutes old: notYetKnown", () => {
  const v = messageVerdict(input({ rows: [inbound("Delivered", "2026-12-07T11:58:00Z")] }));
  expect(v).toMatchObject({ verdict: "notYetKnown", reason: "traceLag" });
});

test("older than trace keeps: tooOld", () => {
  const v = messageVerdict(input({ rows: [], mailboxReceived: "2026-08-01T00:00:00Z" }));
  expect(v).toMatchObject({ verdict: "tooOld", reason: "olderThanTrace" });
  expect(v.sentence).toMatch(/90 days/);
});
