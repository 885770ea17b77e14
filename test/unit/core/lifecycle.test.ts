import type { AuditEntry } from "../../../src/core/contract";
import { checkCall } from "../../../src/core/exchange/catalog";
import {
  describeAction,
  pauseFromAudit,
  planSetup,
  renderScript,
  resolveDesiredState,
  type ObservedState,
  type Plan,
} from "../../../src/core";
import { connector, EU1_HOST, euIndia, observed, rule, US_HOST, usEveryone } from "./fixtures";

/** Planner transitions between the setup's states, on tenants as each previous state leaves them. */
function plan(desired: unknown, o: ObservedState): Plan {
  const r = planSetup(desired, o);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  for (const a of r.plan.actions)
    expect({ cmdlet: a.cmdlet, issues: checkCall(a.cmdlet, a.parameters) }).toEqual({ cmdlet: a.cmdlet, issues: [] });
  return r.plan;
}
const calls = (p: Plan): string[][] =>
  p.actions.map((a) => [a.cmdlet, String(a.parameters.Identity ?? a.parameters.Name ?? "")]);

const US = `contoso@${US_HOST}`;
const RULE = "Journal Messages to Cloudflare Area 1";
const NDR = { "Get-TransportConfig": { JournalingReportNdrTo: "journal-ndr@contoso.com" } };
/** A tenant where the US "everyone" setup with a connector is applied. */
const applied = (enabled = true): ObservedState =>
  observed({
    ...NDR,
    "Get-OutboundConnector": [connector(US_HOST)],
    "Get-JournalRule": [rule(US, { Enabled: enabled })],
  });
const always = { ...usEveryone, connector: "always" };

describe("desired state v1: state", () => {
  it("a saved setup without state loads unchanged (active, same plan as before)", () => {
    const r = resolveDesiredState(usEveryone);
    expect(r.ok && r.value.state).toBe("active");
    expect(plan(usEveryone, observed())).toEqual(plan({ ...usEveryone, state: "active" }, observed()));
  });
  it("refuses an unknown state and removeLists: true, naming why", () => {
    const bad = resolveDesiredState({ ...usEveryone, state: "off" });
    expect(bad.ok ? [] : bad.errors).toEqual([{ path: "state", message: "must be one of active, paused, removed" }]);
    const lists = resolveDesiredState({ ...usEveryone, state: "removed", removeLists: true });
    expect(lists.ok ? [] : lists.errors).toEqual([
      {
        path: "removeLists",
        message: expect.stringContaining("Remove-DistributionGroup is not among the Exchange cmdlets"),
      },
    ]);
  });
});

describe("planner state transitions", () => {
  it("active -> paused: disables the setup's rules and nothing else", () => {
    const p = plan({ ...always, state: "paused" }, applied());
    expect(calls(p)).toEqual([["Disable-JournalRule", RULE]]);
    expect(describeAction(p.actions[0]!, "planned")).toBe(`Turn off journal rule "${RULE}"`);
  });

  it("paused -> paused again: nothing to do", () => {
    expect(plan({ ...always, state: "paused" }, applied(false)).actions).toEqual([]);
  });

  it("paused -> active: re-enables the rules and nothing else", () => {
    const p = plan(always, applied(false));
    expect(calls(p)).toEqual([["Enable-JournalRule", RULE]]);
  });

  it("active -> removed: rules first, then the connector; the NDR address stays and the plan says why", () => {
    const p = plan({ ...always, state: "removed" }, applied());
    expect(calls(p)).toEqual([
      ["Remove-JournalRule", RULE],
      ["Remove-OutboundConnector", `Connector ${US_HOST}`],
    ]);
    expect(p.actions[1]?.dependsOn).toEqual([`journal-rule-remove:${RULE}`]);
    expect(p.warnings.map((w) => w.code)).toEqual(["removal-keeps"]);
    expect(p.warnings[0]?.message).toContain("journal-ndr@contoso.com) stays");
  });

  it("active -> removed with clearNdrAddress: the address is cleared last, after the rules", () => {
    const p = plan({ ...always, state: "removed", clearNdrAddress: true }, applied());
    expect(calls(p).map((c) => c[0])).toEqual([
      "Remove-JournalRule",
      "Remove-OutboundConnector",
      "Set-TransportConfig",
    ]);
    expect(p.actions[2]).toMatchObject({
      parameters: { JournalingReportNdrTo: null },
      dependsOn: [`journal-rule-remove:${RULE}`],
    });
    expect(describeAction(p.actions[2]!, "planned")).toBe("Clear the address for undeliverable reports");
    const script = renderScript(p, { title: "Remove journaling" });
    expect(script).toContain("Set-TransportConfig -JournalingReportNdrTo $null");
    // What stays, and why, is in the script's notes like every warning.
    expect(script).not.toContain("stays");
  });

  it("active -> removed (regions): lists stay with a note; another service's rule and the address stay", () => {
    const o = observed({
      ...NDR,
      "Get-OutboundConnector": [connector(EU1_HOST)],
      "Get-JournalRule": [
        rule(`contoso@${EU1_HOST}`, { Name: "EU", Recipient: "journaling-eu@contoso.com" }),
        rule("vault@archive.example", { Name: "Archive" }),
      ],
      "Get-DistributionGroup": [{ Name: "Journaling EU", PrimarySmtpAddress: "journaling-eu@contoso.com" }],
      "Get-DistributionGroupMember": { "journaling-eu@contoso.com": [{ PrimarySmtpAddress: "anna@contoso.com" }] },
    });
    const p = plan({ ...euIndia, state: "removed", clearNdrAddress: true }, o);
    expect(calls(p)).toEqual([
      ["Remove-JournalRule", "EU"],
      ["Remove-OutboundConnector", `Connector ${EU1_HOST}`],
    ]);
    const words = p.warnings.map((w) => w.message).join("\n");
    expect(words).toContain("Distribution list journaling-eu@contoso.com");
    expect(words).toContain('Journal rule "Archive" stays');
    expect(words).toContain("1 other journal rule still needs it");
    expect(renderScript(p, { title: "Remove journaling" })).toContain('#  - Journal rule "Archive" stays');
  });

  it("removed -> removed again: nothing to do", () => {
    expect(plan({ ...always, state: "removed" }, observed(NDR)).actions).toEqual([]);
  });

  it("removed -> active: builds the setup again", () => {
    const p = plan(always, observed(NDR));
    expect(calls(p).map((c) => c[0])).toEqual(["New-OutboundConnector", "New-JournalRule"]);
  });
});

describe("who paused, from the audit", () => {
  const entry = (cmdlet: string, at: string, by: string, outcome = "succeeded"): AuditEntry => ({
    at,
    by,
    cmdlet,
    parameters: { Identity: RULE },
    outcome,
    runId: "r",
    attempt: 1,
  });
  it("is the last succeeded Disable-JournalRule on the setup's rules, unless enabled since", () => {
    const paused = [
      entry("Disable-JournalRule", "2026-11-29T10:00:00.000Z", "ann@contoso.com"),
      entry("Enable-JournalRule", "2026-11-29T09:00:00.000Z", "bob@contoso.com"),
      entry("Disable-JournalRule", "2026-11-29T11:00:00.000Z", "eve@contoso.com", "failed"),
    ];
    expect(pauseFromAudit(paused, [RULE])).toEqual({ since: "2026-11-29T10:00:00.000Z", by: "ann@contoso.com" });
    expect(
      pauseFromAudit([...paused, entry("Enable-JournalRule", "2026-11-29T12:00:00.000Z", "bob@contoso.com")], [RULE]),
    ).toBeUndefined();
    expect(pauseFromAudit(paused, ["Another rule"])).toBeUndefined();
  });
});
