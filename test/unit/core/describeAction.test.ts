import { emptyTenant, planSetup, type Action, type ObservedState } from "../../../src/core";
import { describeAction, type ActionPhase } from "../../../src/core/plan/describeAction";
import { BOM_HOST, connector, EU1_HOST, euIndia, gateway, observed, rule, US_HOST, usEveryone } from "./fixtures";

/** The actions the planner itself emits for a desired state and a tenant, by cmdlet. */
function actions(desired: unknown, o: ObservedState = emptyTenant()): Action[] {
  const r = planSetup(desired, o);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return [...r.plan.actions];
}

function one(list: readonly Action[], cmdlet: string, n = 0): Action {
  const found = list.filter((a) => a.cmdlet === cmdlet)[n];
  if (!found) throw new Error(`no ${cmdlet} in ${list.map((a) => a.cmdlet).join(", ")}`);
  return found;
}

const PHASES: readonly ActionPhase[] = ["planned", "running", "done", "failed", "notRun"];
const all = (a: Action): string[] => PHASES.map((p) => describeAction(a, p));

const RULE = "Journal Messages to Cloudflare Area 1";

describe("describeAction: each cmdlet the planner emits, in every phase", () => {
  const fresh = actions(euIndia, observed({ "Get-OutboundConnector": [gateway] }));
  const fromUs = actions(
    euIndia,
    observed({
      "Get-TransportConfig": { JournalingReportNdrTo: "journal-ndr@contoso.com" },
      "Get-JournalRule": [rule(`contoso@${US_HOST}`)],
      "Get-OutboundConnector": [connector(US_HOST, { Name: "Area 1 US", Identity: "Area 1 US" })],
    }),
  );

  it("Set-TransportConfig: the address for undeliverable reports", () => {
    expect(all(one(actions(usEveryone), "Set-TransportConfig"))).toEqual([
      "Set the address for undeliverable reports to journal-ndr@contoso.com",
      "Setting the address for undeliverable reports to journal-ndr@contoso.com",
      "Set the address for undeliverable reports to journal-ndr@contoso.com",
      "Could not set the address for undeliverable reports to journal-ndr@contoso.com",
      "Did not set the address for undeliverable reports to journal-ndr@contoso.com",
    ]);
  });

  it("New-OutboundConnector: its name and host", () => {
    const a = one(fresh, "New-OutboundConnector");
    expect(describeAction(a, "planned")).toBe(
      `Create connector "Deliver journal directly to Area 1 (eu1)" to ${EU1_HOST}`,
    );
    expect(describeAction(a, "done")).toBe(
      `Created connector "Deliver journal directly to Area 1 (eu1)" to ${EU1_HOST}`,
    );
    expect(describeAction(a, "failed")).toMatch(/^Could not create connector/);
  });

  it("Set-OutboundConnector: each property it changes, in words", () => {
    const a = one(
      actions(
        usEveryone,
        observed({
          "Get-OutboundConnector": [gateway, connector(US_HOST, { TlsSettings: "EncryptionOnly", Enabled: false })],
        }),
      ),
      "Set-OutboundConnector",
    );
    expect(describeAction(a, "done")).toBe(
      `Changed connector "Connector ${US_HOST}": TLS with a trusted certificate, turned on`,
    );
    expect(describeAction(a, "planned")).toMatch(/^Change connector/);
  });

  it("Remove-OutboundConnector: the connector no region uses", () => {
    const a = one(fromUs, "Remove-OutboundConnector");
    expect(all(a)).toEqual([
      'Remove connector "Area 1 US"',
      'Removing connector "Area 1 US"',
      'Removed connector "Area 1 US"',
      'Could not remove connector "Area 1 US"',
      'Did not remove connector "Area 1 US"',
    ]);
  });

  it("New-DistributionGroup: the list's address and how many members", () => {
    const a = one(fresh, "New-DistributionGroup");
    expect(describeAction(a, "planned")).toBe("Create list journaling-eu@contoso.com with 1 member");
    expect(describeAction(a, "done")).toBe("Created list journaling-eu@contoso.com with 1 member");
    const two = { ...a, parameters: { ...a.parameters, Members: ["a@contoso.com", "b@contoso.com"] } };
    expect(describeAction(two, "done")).toBe("Created list journaling-eu@contoso.com with 2 members");
    const none = { ...a, parameters: { Name: "Journaling EU", PrimarySmtpAddress: "journaling-eu@contoso.com" } };
    expect(describeAction(none, "done")).toBe("Created list journaling-eu@contoso.com with no members");
  });

  const withLists = observed({
    "Get-DistributionGroup": [
      { Name: "Journaling EU", PrimarySmtpAddress: "journaling-eu@contoso.com" },
      { Name: "Journaling India", PrimarySmtpAddress: "journaling-in@contoso.com" },
    ],
    "Get-DistributionGroupMember": {
      "journaling-eu@contoso.com": [{ PrimarySmtpAddress: "old@contoso.com" }],
      "journaling-in@contoso.com": [{ PrimarySmtpAddress: "priya@contoso.com" }],
    },
  });

  it("Add-DistributionGroupMember and Remove-DistributionGroupMember: who joins or leaves which list", () => {
    const list = actions(euIndia, withLists);
    expect(describeAction(one(list, "Add-DistributionGroupMember"), "done")).toBe(
      "Added anna@contoso.com to list journaling-eu@contoso.com",
    );
    expect(describeAction(one(list, "Add-DistributionGroupMember"), "planned")).toBe(
      "Add anna@contoso.com to list journaling-eu@contoso.com",
    );
    expect(describeAction(one(list, "Remove-DistributionGroupMember"), "done")).toBe(
      "Removed old@contoso.com from list journaling-eu@contoso.com",
    );
    expect(describeAction(one(list, "Remove-DistributionGroupMember"), "failed")).toBe(
      "Could not remove old@contoso.com from list journaling-eu@contoso.com",
    );
  });

  it("New-JournalRule: its name, where reports go, and whose mail", () => {
    expect(describeAction(one(actions(usEveryone), "New-JournalRule"), "done")).toBe(
      `Created journal rule "${RULE}" to contoso@${US_HOST} for external mail of everyone`,
    );
    const regional = one(fresh, "New-JournalRule", 1);
    expect(describeAction(regional, "planned")).toBe(
      `Create journal rule "${RULE} (bom)" to contoso@${BOM_HOST} for external mail of the members of journaling-in@contoso.com`,
    );
    expect(describeAction({ ...regional, parameters: { ...regional.parameters, Enabled: false } }, "done")).toMatch(
      /, turned off$/,
    );
  });

  it("Set-JournalRule: what it changes", () => {
    const a = one(
      actions(usEveryone, observed({ "Get-JournalRule": [rule(`contoso@${US_HOST}`, { Scope: "Internal" })] })),
      "Set-JournalRule",
    );
    expect(describeAction(a, "done")).toBe(`Changed journal rule "${RULE}": for external mail`);
    const moved = {
      cmdlet: "Set-JournalRule",
      parameters: { Identity: RULE, JournalEmailAddress: `contoso@${EU1_HOST}`, Recipient: null },
    };
    expect(describeAction(moved, "planned")).toBe(
      `Change journal rule "${RULE}": reports to contoso@${EU1_HOST}, for everyone`,
    );
  });

  it("Enable-JournalRule: turns a disabled rule on", () => {
    const a = one(
      actions(usEveryone, observed({ "Get-JournalRule": [rule(`contoso@${US_HOST}`, { Enabled: false })] })),
      "Enable-JournalRule",
    );
    expect(all(a)).toEqual([
      `Turn on journal rule "${RULE}"`,
      `Turning on journal rule "${RULE}"`,
      `Turned on journal rule "${RULE}"`,
      `Could not turn on journal rule "${RULE}"`,
      `Did not turn on journal rule "${RULE}"`,
    ]);
  });

  it("Remove-JournalRule: the rule to a region the setup dropped", () => {
    expect(describeAction(one(fromUs, "Remove-JournalRule"), "done")).toBe(`Removed journal rule "${RULE}"`);
  });

  it("never repeats the before-state reason, for every action of every plan above", () => {
    for (const a of [...fresh, ...fromUs, ...actions(euIndia, withLists), ...actions(usEveryone)]) {
      const done = describeAction(a, "done");
      expect(done).not.toBe(a.reason);
      expect(done).not.toMatch(/^No |should be|is not a member|differs/);
    }
  });
});

describe("describeAction: calls outside the plan (the audit)", () => {
  it("Validate-OutboundConnector and an unknown cmdlet", () => {
    expect(
      describeAction(
        { cmdlet: "Validate-OutboundConnector", parameters: { Identity: "Area 1", Recipients: ["c@h.example"] } },
        "done",
      ),
    ).toBe('Tested connector "Area 1" with a message to c@h.example');
    expect(describeAction({ cmdlet: "Get-Mailbox", parameters: {} }, "done")).toBe("Ran Get-Mailbox");
  });
});
