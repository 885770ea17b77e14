import type { ProgressHistoryEntry, StepStates } from "../../../src/core/contract";
import {
  describeProgressChange,
  FOLD_WINDOW_MS,
  recordProgressChange,
  type ProgressState,
} from "../../../src/server/tenant/progressChange";

const ADMIN = "admin@contoso.com";
const OTHER = "exchange.admin@contoso.com";

/** The pane's draft (src/components/setup/draft.ts) as it saves it. */
const empty = { customer: "", scope: "everyone", everyoneRegion: "us", regions: [], ndrMailbox: "" };
const euIndia = {
  ...empty,
  customer: "contoso",
  scope: "regions",
  regions: [
    {
      region: "eu1",
      mode: "create",
      name: "Journaling EU only (no fallback)",
      address: "journaling-eu1@contoso.com",
      manageMembers: true,
      members: ["anna.schmidt@contoso.com", "jonas.becker@contoso.com"],
    },
    {
      region: "bom",
      mode: "reuse",
      name: "India team",
      address: "india@contoso.com",
      manageMembers: false,
      members: [],
    },
  ],
};

describe("describeProgressChange: an admin's words", () => {
  it("names each choice by its new value", () => {
    expect(describeProgressChange(empty, { ...empty, customer: "contoso" }, {}, {})).toBe(
      "Entered the customer name contoso",
    );
    expect(describeProgressChange({ ...empty, customer: "contoso" }, euIndia, {}, {})).toBe(
      "Chose the regions: EU only (no fallback) with new list journaling-eu1@contoso.com (2 members), " +
        "India only with existing list india@contoso.com",
    );
    expect(describeProgressChange(empty, { ...empty, everyoneRegion: "eu-primary" }, {}, {})).toBe(
      "Chose everyone, processed in EU (Germany, US fallback)",
    );
    expect(describeProgressChange(empty, { ...empty, ndrMailbox: "journal-ndr@contoso.com" }, {}, {})).toBe(
      "Chose journal-ndr@contoso.com for undeliverable reports",
    );
    expect(describeProgressChange({ ...empty, ndrMailbox: "a@contoso.com" }, empty, {}, {})).toBe(
      "Cleared the mailbox for undeliverable reports",
    );
  });

  it("names a finished step by number and title, with the choice it confirms", () => {
    expect(describeProgressChange(null, empty, {}, { check: "done" })).toBe("Finished step 1 Check");
    expect(describeProgressChange(euIndia, euIndia, { check: "done" }, { check: "done", address: "done" })).toBe(
      "Finished step 2 Service address: customer name contoso",
    );
    // The edit the Next carried is said once, as the step's choice.
    expect(
      describeProgressChange(
        empty,
        { ...empty, customer: "contoso" },
        { check: "done" },
        { check: "done", address: "done" },
      ),
    ).toBe("Finished step 2 Service address: customer name contoso");
    expect(describeProgressChange(empty, empty, {}, { where: "done" })).toBe(
      "Finished step 3 Where mail is processed: everyone, processed in United States",
    );
    const withNdr = { ...euIndia, ndrMailbox: "journal-ndr@contoso.com" };
    expect(describeProgressChange(withNdr, withNdr, {}, { ndr: "done", review: "done" })).toBe(
      "Finished step 4 Undeliverable reports: journal-ndr@contoso.com; finished step 5 Review",
    );
  });

  it("never uses the internal words of old (marked ndr done, changed the draft)", () => {
    const all = { check: "done", address: "done", where: "done", ndr: "done", review: "done", apply: "done" } as const;
    const text = describeProgressChange(null, { ...euIndia, ndrMailbox: "journal-ndr@contoso.com" }, {}, all);
    expect(text).not.toMatch(/marked|draft| ndr /);
    expect(text).toMatch(
      /^Finished step 1 Check; finished step 2 Service address: customer name contoso; .*; finished step 6 Apply$/,
    );
  });

  it("says when steps are reopened or reset, a field it does not know changed, or nothing did", () => {
    expect(describeProgressChange(null, null, { where: "done" }, { where: "todo" })).toBe(
      "Reopened step 3 Where mail is processed",
    );
    expect(describeProgressChange(null, null, { check: "done" }, {})).toBe("Reset step 1 Check");
    expect(describeProgressChange(null, null, {}, { connector: "done" })).toBe('Finished step "connector"');
    expect(describeProgressChange({ a: 1 }, { a: 2 }, {}, {})).toBe("Changed other choices of the setup");
    expect(describeProgressChange(euIndia, null, {}, {})).toBe("Cleared every choice");
    expect(describeProgressChange(null, null, {}, {})).toBe("Saved without changes");
  });
});

/** Saves one change through recordProgressChange, as the store does, and returns the new state. */
class Sitting {
  history: ProgressHistoryEntry[] = [];
  state: ProgressState = { draft: empty, steps: {} };
  private clock = Date.parse("2026-03-01T09:00:00Z");

  save(by: string, change: { draft?: object; steps?: StepStates }, afterMs = 30_000): void {
    this.clock += afterMs;
    const next = { draft: change.draft ?? this.state.draft, steps: change.steps ?? this.state.steps };
    const what = describeProgressChange(this.state.draft, next.draft, this.state.steps, next.steps);
    this.history = recordProgressChange(this.history, this.state, next, {
      at: new Date(this.clock).toISOString(),
      by,
      what,
    });
    this.state = next;
  }

  get lines(): string[] {
    return this.history.map((h) => `${h.by}: ${h.what}`);
  }
}

describe("recordProgressChange: one entry per meaningful step", () => {
  it("folds a sitting of typing and the Next that ends it into one entry per step", () => {
    const s = new Sitting();
    s.save(ADMIN, { steps: { check: "done" } });
    // The pane saves a moment after each keystroke.
    for (const customer of ["c", "con", "conto", "contoso"]) s.save(ADMIN, { draft: { ...empty, customer } }, 1_000);
    s.save(ADMIN, { steps: { check: "done", address: "done" } });
    s.save(ADMIN, { draft: { ...euIndia, regions: euIndia.regions.slice(0, 1) } });
    s.save(ADMIN, { draft: euIndia });
    s.save(ADMIN, { steps: { check: "done", address: "done", where: "done" } });
    s.save(ADMIN, { draft: { ...euIndia, ndrMailbox: "journal-ndr@contoso.com" } });
    s.save(ADMIN, { steps: { check: "done", address: "done", where: "done", ndr: "done" } });
    // Next on a step already done saves nothing new.
    s.save(ADMIN, {});
    expect(s.lines).toEqual([
      `${ADMIN}: Finished step 1 Check`,
      `${ADMIN}: Finished step 2 Service address: customer name contoso`,
      `${ADMIN}: Finished step 3 Where mail is processed: EU only (no fallback) with new list journaling-eu1@contoso.com (2 members), ` +
        "India only with existing list india@contoso.com",
      `${ADMIN}: Finished step 4 Undeliverable reports: journal-ndr@contoso.com`,
    ]);
    expect(s.history.every((h) => h.edited === undefined)).toBe(true);
  });

  it("keeps draft edits that no step finished as one entry, marked as a draft edit", () => {
    const s = new Sitting();
    s.save(ADMIN, { draft: { ...empty, customer: "contoso" } });
    s.save(ADMIN, { draft: { ...empty, customer: "contoso", ndrMailbox: "journal-ndr@contoso.com" } });
    expect(s.history).toEqual([
      expect.objectContaining({
        by: ADMIN,
        what: "Entered the customer name contoso; chose journal-ndr@contoso.com for undeliverable reports",
        edited: ["customer", "ndr"],
      }),
    ]);
  });

  it("starts a new entry for another person, after a pause, or after a finished step", () => {
    const s = new Sitting();
    s.save(ADMIN, { draft: { ...empty, customer: "contoso" } });
    s.save(OTHER, { draft: { ...empty, customer: "fabrikam" } });
    s.save(OTHER, { draft: { ...empty, customer: "fabrikam2" } }, FOLD_WINDOW_MS + 1);
    s.save(OTHER, { steps: { address: "done" } });
    s.save(OTHER, { draft: { ...empty, customer: "fabrikam3" } });
    expect(s.lines).toEqual([
      `${ADMIN}: Entered the customer name contoso`,
      `${OTHER}: Entered the customer name fabrikam`,
      `${OTHER}: Finished step 2 Service address: customer name fabrikam2`,
      `${OTHER}: Entered the customer name fabrikam3`,
    ]);
  });
});
