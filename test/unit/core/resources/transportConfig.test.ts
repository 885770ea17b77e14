import { transportConfig } from "../../../../src/core/resources/transportConfig";
import { observed, rule, US_HOST, usEveryone } from "../fixtures";
import { describeResource, setupOf } from "./scenarios";

const NDR = "journal-ndr@contoso.com";
const active = setupOf(usEveryone);
const ndr = (address: string): Record<string, unknown> => ({
  "Get-TransportConfig": { JournalingReportNdrTo: address },
});

describeResource("transportConfig", {
  "absent -> create": () => {
    const d = transportConfig.diff(active, observed(ndr("<>")));
    expect(d.actions).toEqual([
      expect.objectContaining({ cmdlet: "Set-TransportConfig", parameters: { JournalingReportNdrTo: NDR } }),
    ]);
    expect(d.status[0]?.state).toBe("missing");
  },
  "present and equal -> nothing": () => {
    const d = transportConfig.diff(active, observed(ndr(NDR.toUpperCase())));
    expect(d.actions).toEqual([]);
    expect(d.status[0]?.state).toBe("ok");
  },
  "drifted -> set": () => {
    const d = transportConfig.diff(active, observed(ndr("old@contoso.com")));
    expect(d.status[0]).toMatchObject({
      state: "drifted",
      drift: [{ property: "JournalingReportNdrTo", desired: NDR, actual: "old@contoso.com" }],
    });
    expect(d.actions[0]).toMatchObject({ cmdlet: "Set-TransportConfig", parameters: { JournalingReportNdrTo: NDR } });
  },
  paused: () => {
    // Paused touches the journal rules only, even when the address differs.
    const d = transportConfig.diff(setupOf({ ...usEveryone, state: "paused" }), observed(ndr("old@contoso.com")));
    expect(d.actions).toEqual([]);
    expect(d.status[0]?.state).toBe("drifted");
  },
  removed: () => {
    const o = observed({ ...ndr(NDR), "Get-JournalRule": [rule(`contoso@${US_HOST}`)] });
    // Not asked to clear: it stays, and the plan says why.
    const kept = transportConfig.diff(setupOf({ ...usEveryone, state: "removed" }), o);
    expect(kept.actions).toEqual([]);
    expect(kept.warnings[0]).toMatchObject({ code: "removal-keeps" });
    expect(kept.warnings[0]?.message).toContain("clearNdrAddress");
    // Asked, and only the setup's rule exists: cleared after the rules are removed.
    const cleared = transportConfig.diff(setupOf({ ...usEveryone, state: "removed", clearNdrAddress: true }), o);
    expect(cleared.actions).toEqual([
      expect.objectContaining({
        cmdlet: "Set-TransportConfig",
        parameters: { JournalingReportNdrTo: null },
        needs: ["journal-rules-removed"],
        teardown: true,
      }),
    ]);
    // Asked, but another journal rule remains: Exchange needs the address for it, so it stays.
    const other = observed({
      ...ndr(NDR),
      "Get-JournalRule": [rule(`contoso@${US_HOST}`), rule("vault@archive.example", { Name: "Archive" })],
    });
    const shared = transportConfig.diff(setupOf({ ...usEveryone, state: "removed", clearNdrAddress: true }), other);
    expect(shared.actions).toEqual([]);
    expect(shared.warnings[0]?.message).toContain("1 other journal rule still needs it");
  },
  "made by hand -> recognised, not duplicated": () => {
    // Set by hand to the same address (other case): nothing to do.
    const d = transportConfig.diff(active, observed(ndr("Journal-NDR@Contoso.com")));
    expect(d.actions).toEqual([]);
  },
});
