import { checkCall } from "../../../../src/core/exchange/catalog";
import { MONITOR_CALLS } from "../../../../src/core/monitor/cmdlets";
import type { StatusResponse } from "../../../../src/core/contract";
import { problemsFromStatus, recentCount } from "../../../../src/core/monitor/problems";
import { nextCheckMs } from "../../../../src/core/monitor/schedule";
import { coverageProblems, regionCoverage } from "../../../../src/core/monitor/coverage";
import { activityNotificationBody, statusDeepLink } from "../../../../src/core/monitor/notification";

const NOW = Date.parse("2026-12-07T10:30:00.000Z");

function status(over: Partial<StatusResponse>): StatusResponse {
  return {
    resources: [],
    connectorValidation: null,
    messageTrace: { asOf: new Date(NOW).toISOString(), ageSeconds: 0, perAddress: [] },
    checkedAt: new Date(NOW).toISOString(),
    hasSetup: true,
    findings: [],
    setupState: "active",
    ...over,
  };
}

describe("problems from a status", () => {
  test("no setup, no problems", () => {
    expect(problemsFromStatus(status({ hasSetup: false }), NOW, 3_600_000)).toEqual([]);
  });

  test("a disabled rule is one problem (the finding), not also a drift", () => {
    const s = status({
      resources: [
        {
          kind: "journalRule",
          key: "eu1",
          label: 'Journal rule "Area 1 (eu1)"',
          state: "drifted",
          drift: [{ property: "Enabled", desired: true, actual: false }],
          identity: "Area 1 (eu1)",
        },
      ],
      findings: [{ code: "rule-disabled", address: "c@eu1.example", rule: "Area 1 (eu1)", pending: 0, failed: 0 }],
    });
    const p = problemsFromStatus(s, NOW, 3_600_000);
    expect(p.map((x) => x.key)).toEqual(["rule-disabled:c@eu1.example"]);
    expect(p[0]?.action).toMatch(/^[A-Z]/);
  });

  test("a connector whose TLS setting changed is a connector-tls problem with the drift in words", () => {
    const s = status({
      resources: [
        {
          kind: "outboundConnector",
          key: "eu1.example",
          label: 'Connector "Area 1 (eu1)"',
          state: "drifted",
          drift: [{ property: "TlsSettings", desired: "CertificateValidation", actual: null }],
        },
      ],
    });
    const [p] = problemsFromStatus(s, NOW, 3_600_000);
    expect(p?.code).toBe("connector-tls");
    expect(p?.text).toContain("TlsSettings");
  });

  test("a paused setup's disabled rules are no problem", () => {
    const s = status({
      setupState: "paused",
      resources: [
        {
          kind: "journalRule",
          key: "eu1",
          label: "rule",
          state: "drifted",
          drift: [{ property: "Enabled", desired: true, actual: false }],
        },
      ],
      findings: [{ code: "rule-disabled", address: "c@eu1.example", rule: "rule", pending: 0, failed: 0 }],
    });
    expect(problemsFromStatus(s, NOW, 3_600_000)).toEqual([]);
  });

  test("reports that failed in the recent hours bounce to the NDR mailbox; older ones don't count", () => {
    const hourly = [
      { hour: "2026-12-07T08:00:00.000Z", delivered: 0, failed: 5 },
      { hour: "2026-12-07T10:00:00.000Z", delivered: 3, failed: 2 },
    ];
    expect(recentCount(hourly, NOW, 3_600_000, "failed")).toBe(2);
    const s = status({
      messageTrace: {
        asOf: "",
        ageSeconds: 0,
        perAddress: [{ address: "c@eu1.example", delivered: 3, failed: 7, hourly }],
      },
    });
    const p = problemsFromStatus(s, NOW, 3_600_000);
    expect(p.map((x) => x.code)).toEqual(["undeliverable-reports"]);
    expect(p[0]?.text).toMatch(/^2 journal reports/);
  });
});

describe("schedule", () => {
  test("the next check is never later than one interval and at most 10% early", () => {
    expect(nextCheckMs(0, 15, 0)).toBe(15 * 60_000);
    expect(nextCheckMs(0, 15, 1)).toBe(13.5 * 60_000);
    expect(nextCheckMs(0, 1, 5)).toBe(54_000);
  });
});

describe("regional list coverage", () => {
  const regions = [
    { id: "eu1", countries: ["DE", "FR"], groupAddress: "eu@c.com", members: ["Anna@c.com"] },
    { id: "in1", countries: ["IN"], groupAddress: "in@c.com", members: ["ravi@c.com"] },
  ];
  test("a user in a region's country but in no list is uncovered; a member whose country moved is reported", () => {
    const r = regionCoverage(regions, [
      { address: "anna@c.com", usageLocation: "DE" },
      { address: "new@c.com", usageLocation: "de" },
      { address: "ravi@c.com", usageLocation: "FR" },
      { address: "us@c.com", usageLocation: "US" },
      { address: "none@c.com", usageLocation: null },
    ]);
    expect(r.uncovered).toEqual([{ address: "new@c.com", usageLocation: "DE", regions: ["eu1"] }]);
    expect(r.moved).toEqual([{ address: "ravi@c.com", usageLocation: "FR", inRegion: "in1", belongsTo: ["eu1"] }]);
  });
});

describe("Teams notification", () => {
  test("deep link opens the tab's status sub-page; the body follows Graph's sendActivityNotification", () => {
    const link = statusDeepLink("4b7f3c2e-9a51-4d8e-b6f0-2c1e7a9d5f38");
    expect(link).toBe(
      "https://teams.microsoft.com/l/entity/4b7f3c2e-9a51-4d8e-b6f0-2c1e7a9d5f38/setup?context=%7B%22subEntityId%22%3A%22status%22%7D",
    );
    const body = activityNotificationBody({
      kind: "resolved",
      title: "Rule off",
      text: "t",
      action: "a",
      deepLink: link,
      chainId: 7,
    });
    expect(body).toEqual({
      topic: { source: "text", value: "Journaling", webUrl: link },
      activityType: "journalingResolved",
      chainId: 7,
      previewText: { content: "Cleared. Nothing to do." },
      templateParameters: [{ name: "alertTitle", value: "Rule off" }],
    });
  });
});

describe("regional list coverage as alert problems", () => {
  test("one problem for people in no list, one for people in the wrong list; the people are the fingerprint", () => {
    const problems = coverageProblems({
      uncovered: [{ address: "New@c.com", usageLocation: "DE", regions: ["eu1"] }],
      moved: [{ address: "ravi@c.com", usageLocation: "FR", inRegion: "in1", belongsTo: ["eu1"] }],
    });
    expect(problems.map((p) => [p.key, p.fingerprint])).toEqual([
      ["region-coverage:uncovered", "new@c.com"],
      ["region-coverage:moved", "ravi@c.com"],
    ]);
    expect(problems[0]?.title).toBe("1 person is in no regional journaling list");
    expect(problems[1]?.text).toContain("ravi@c.com: FR, list in1, now eu1");
    expect(coverageProblems({ uncovered: [], moved: [] })).toEqual([]);
  });
});

describe("the monitor's own Exchange calls", () => {
  test("bind against the reference cmdlets.json", () => {
    for (const call of Object.values(MONITOR_CALLS)) {
      expect({ cmdlet: call.cmdlet, issues: checkCall(call.cmdlet, call.parameters) }).toEqual({
        cmdlet: call.cmdlet,
        issues: [],
      });
    }
  });
});
