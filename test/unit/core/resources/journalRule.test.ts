import { journalRule } from "../../../../src/core/resources/journalRule";
import { EU1_HOST, euIndia, observed, rule, US_HOST, usEveryone } from "../fixtures";
import { describeResource, setupOf } from "./scenarios";

const US = `contoso@${US_HOST}`;
const active = setupOf(usEveryone);

describeResource("journalRule", {
  "absent -> create": () => {
    const d = journalRule.diff(active, observed());
    expect(d.actions).toEqual([
      expect.objectContaining({
        cmdlet: "New-JournalRule",
        parameters: {
          Name: "Journal Messages to Cloudflare Area 1",
          JournalEmailAddress: US,
          Scope: "External",
          Enabled: true,
        },
      }),
    ]);
  },
  "present and equal -> nothing": () => {
    const d = journalRule.diff(active, observed({ "Get-JournalRule": [rule(US)] }));
    expect(d.actions).toEqual([]);
    expect(d.status[0]?.state).toBe("ok");
  },
  "drifted -> set": () => {
    const d = journalRule.diff(
      active,
      observed({ "Get-JournalRule": [rule(US, { Scope: "Global", Enabled: false })] }),
    );
    expect(d.actions.map((a) => [a.cmdlet, a.parameters])).toEqual([
      ["Set-JournalRule", { Identity: "Journal Messages to Cloudflare Area 1", Scope: "External" }],
      ["Enable-JournalRule", { Identity: "Journal Messages to Cloudflare Area 1" }],
    ]);
  },
  paused: () => {
    const paused = setupOf({ ...usEveryone, state: "paused" });
    const d = journalRule.diff(
      paused,
      observed({ "Get-JournalRule": [rule(US), rule("vault@archive.example", { Name: "Archive" })] }),
    );
    // The setup's rule is disabled (kept); the other destination's rule is not touched.
    expect(d.actions).toEqual([
      expect.objectContaining({
        cmdlet: "Disable-JournalRule",
        parameters: { Identity: "Journal Messages to Cloudflare Area 1", Confirm: false },
      }),
    ]);
    expect(d.status[0]).toMatchObject({
      state: "drifted",
      drift: [{ property: "Enabled", desired: false, actual: true }],
    });
    // Already disabled: as the paused setup wants, and the status says "paused".
    const done = journalRule.diff(paused, observed({ "Get-JournalRule": [rule(US, { Enabled: false })] }));
    expect(done.actions).toEqual([]);
    expect(done.status[0]?.state).toBe("paused");
    expect(
      journalRule.statusText(done.status[0]!, {
        paused: { since: "2026-11-29T10:00:00.000Z", by: "admin@contoso.com" },
      }),
    ).toBe(
      "Journal rule for everyone to contoso@journaling.mxrecord.io: Paused since 2026-11-29T10:00:00.000Z by admin@contoso.com.",
    );
    // A missing rule is not created while paused; the plan says so.
    const missing = journalRule.diff(paused, observed());
    expect(missing.actions).toEqual([]);
    expect(missing.warnings[0]).toMatchObject({ code: "paused-missing-rule" });
  },
  removed: () => {
    const removed = setupOf({ ...euIndia, state: "removed" });
    const d = journalRule.diff(
      removed,
      observed({
        "Get-JournalRule": [
          rule(`contoso@${EU1_HOST}`, { Name: "EU", Recipient: "journaling-eu@contoso.com" }),
          rule(US, { Name: "Dropped region" }),
          rule("vault@archive.example", { Name: "Archive" }),
        ],
      }),
    );
    expect(d.actions.map((a) => [a.cmdlet, a.parameters.Identity])).toEqual([
      ["Remove-JournalRule", "EU"],
      ["Remove-JournalRule", "Dropped region"],
    ]);
    expect(d.warnings).toEqual([
      expect.objectContaining({
        code: "removal-keeps",
        message: expect.stringContaining('Journal rule "Archive" stays'),
      }),
    ]);
  },
  "made by hand -> recognised, not duplicated": () => {
    // Another name, same destination and scope: it is the setup's rule, not a reason for a second one.
    const d = journalRule.diff(
      active,
      observed({ "Get-JournalRule": [rule(US.toUpperCase(), { Name: "Made by hand" })] }),
    );
    expect(d.actions).toEqual([]);
    expect(d.status[0]).toMatchObject({ state: "ok", identity: "Journal Messages to Cloudflare Area 1" });
  },
});
