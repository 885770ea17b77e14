import { SETUP_STEPS, type ProgressHistoryEntry, type StepStates } from "../../core/contract";
import { profiles } from "../../core/profiles";

/**
 * The shared history of PUT /api/progress in an admin's words: what the person chose ("Chose the
 * regions: EU only, India only", "Chose journal-ndr@contoso.com for undeliverable reports") and
 * which step they finished. The draft is the pane's (src/components/setup/draft.ts), read here
 * defensively: a field this code does not know is still counted as a change, never misnamed.
 *
 * One entry per meaningful step: while one person edits the draft, their saves (the pane saves a
 * moment after each keystroke) fold into one entry, and the save that finishes the step folds in
 * too; an entry by someone else, a pause of FOLD_WINDOW_MS or a finished step starts a new one.
 */

/** Saves by the same person this close together belong to one sitting. */
export const FOLD_WINDOW_MS = 10 * 60_000;

/** The parts of the draft an admin thinks in: each is described from its current value. */
type DraftPart = "customer" | "where" | "ndr" | "other";
const PART_ORDER: readonly DraftPart[] = ["customer", "where", "ndr", "other"];

const PART_OF_FIELD: Readonly<Record<string, DraftPart>> = {
  customer: "customer",
  scope: "where",
  everyoneRegion: "where",
  regions: "where",
  ndrMailbox: "ndr",
};

type Fields = Readonly<Record<string, unknown>>;

function fieldsOf(draft: unknown): Fields {
  return draft !== null && typeof draft === "object" && !Array.isArray(draft) ? (draft as Fields) : {};
}

const str = (v: unknown): string => (typeof v === "string" ? v.trim() : "");

/** The parts of the draft whose value differs between two saves. */
export function changedDraftParts(before: unknown, after: unknown): DraftPart[] {
  const b = fieldsOf(before);
  const a = fieldsOf(after);
  const parts = new Set<DraftPart>();
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (JSON.stringify(b[key]) !== JSON.stringify(a[key])) parts.add(PART_OF_FIELD[key] ?? "other");
  }
  // The first save (no draft yet) carries the pane's defaults: only what was filled in is a choice.
  if (before === null || before === undefined) {
    if (str(a.customer) === "") parts.delete("customer");
    if (str(a.ndrMailbox) === "") parts.delete("ndr");
    if (a.scope !== "regions") parts.delete("where");
  }
  return PART_ORDER.filter((p) => parts.has(p));
}

function regionLabel(id: string): string {
  for (const profile of Object.values(profiles)) {
    const region = profile.regions.find((r) => r.id === id);
    if (region) return region.label;
  }
  return id;
}

function members(n: number): string {
  return `${n} member${n === 1 ? "" : "s"}`;
}

/** One regional list as set up: "EU only (no fallback) with new list journaling-eu1@contoso.com (2 members)". */
function regionChoice(raw: unknown): string {
  const r = fieldsOf(raw);
  const label = regionLabel(str(r.region));
  const address = str(r.address);
  const count = Array.isArray(r.members) ? r.members.length : 0;
  if (r.mode === "reuse") {
    if (address === "") return `${label} (list not chosen yet)`;
    return `${label} with existing list ${address}${r.manageMembers === true ? ` (set to ${members(count)})` : ""}`;
  }
  return `${label} with new list ${address === "" ? "(no address yet)" : `${address} (${members(count)})`}`;
}

/** Where mail is processed, as chosen: "everyone, processed in United States" or the regions with their lists. */
function whereChoice(draft: Fields): string {
  if (draft.scope !== "regions") return `everyone, processed in ${regionLabel(str(draft.everyoneRegion))}`;
  const regions = Array.isArray(draft.regions) ? draft.regions : [];
  return regions.length === 0 ? "by region, no region chosen yet" : regions.map(regionChoice).join(", ");
}

/** A draft edit on its own: "Entered the customer name contoso", "Chose the regions: …". */
function describePart(part: DraftPart, draft: Fields): string {
  switch (part) {
    case "customer": {
      const customer = str(draft.customer);
      return customer === "" ? "Cleared the customer name" : `Entered the customer name ${customer}`;
    }
    case "where":
      return draft.scope === "regions" && Array.isArray(draft.regions) && draft.regions.length > 0
        ? `Chose the regions: ${whereChoice(draft)}`
        : `Chose ${whereChoice(draft)}`;
    case "ndr": {
      const ndr = str(draft.ndrMailbox);
      return ndr === "" ? "Cleared the mailbox for undeliverable reports" : `Chose ${ndr} for undeliverable reports`;
    }
    case "other":
      return "Changed other choices of the setup";
  }
}

/** The draft part a step decides, and how a finished step names the choice it confirmed. */
const STEP_CHOICE: Readonly<Record<string, { part: DraftPart; say: (draft: Fields) => string }>> = {
  address: { part: "customer", say: (d) => `customer name ${str(d.customer) || "not entered"}` },
  where: { part: "where", say: whereChoice },
  ndr: { part: "ndr", say: (d) => str(d.ndrMailbox) || "no mailbox chosen" },
};

function stepName(step: string): string {
  const i = SETUP_STEPS.findIndex((s) => s.id === step);
  return i >= 0 ? `step ${i + 1} ${SETUP_STEPS[i]?.title ?? step}` : `step "${step}"`;
}

function sentence(parts: readonly string[]): string {
  return parts.map((p, i) => (i === 0 ? p : p.charAt(0).toLowerCase() + p.slice(1))).join("; ");
}

/**
 * Draft edits, then finished, reopened and dropped steps (in the wizard's order). A finished step
 * names the choice it confirms ("Finished step 4 Undeliverable reports: journal-ndr@contoso.com"),
 * so an edit of that choice in the same save is not said twice.
 */
function describe(parts: readonly DraftPart[], draft: unknown, before: StepStates, after: StepStates): string {
  const fields = fieldsOf(draft);
  const order = (step: string): number => {
    const i = SETUP_STEPS.findIndex((s) => s.id === step);
    return i >= 0 ? i : SETUP_STEPS.length;
  };
  const steps = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort((x, y) => order(x) - order(y));
  const finished = steps.filter((s) => after[s] === "done" && before[s] !== "done");
  const reopened = steps.filter((s) => before[s] === "done" && after[s] !== undefined && after[s] !== "done");
  const dropped = steps.filter((s) => before[s] !== undefined && after[s] === undefined);
  const confirmed = new Set(finished.map((s) => STEP_CHOICE[s]?.part));
  const edits =
    draft === null && parts.length > 0
      ? ["Cleared every choice"]
      : parts.filter((p) => !confirmed.has(p)).map((p) => describePart(p, fields));
  const all = [
    ...edits,
    ...finished.map((s) => {
      const choice = STEP_CHOICE[s];
      return `Finished ${stepName(s)}${choice ? `: ${choice.say(fields)}` : ""}`;
    }),
    ...(reopened.length > 0 ? [`Reopened ${reopened.map(stepName).join(", ")}`] : []),
    ...(dropped.length > 0 ? [`Reset ${dropped.map(stepName).join(", ")}`] : []),
  ];
  return all.length ? sentence(all) : "Saved without changes";
}

/** The history line of a PUT /api/progress: what changed between the saved progress and the new one. */
export function describeProgressChange(
  beforeDraft: unknown,
  afterDraft: unknown,
  beforeSteps: StepStates,
  afterSteps: StepStates,
): string {
  return describe(changedDraftParts(beforeDraft, afterDraft), afterDraft, beforeSteps, afterSteps);
}

function sameSteps(a: StepStates, b: StepStates): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
}

export interface ProgressState {
  readonly draft: unknown;
  readonly steps: StepStates;
}

/**
 * The history after one save: unchanged when the save changed nothing; the last entry replaced
 * when it is a draft edit by the same person less than FOLD_WINDOW_MS ago (its parts and this
 * save's are described together, from the new values); otherwise one entry more. `what` is the
 * save's own description (describeProgressChange), used when nothing folds.
 */
export function recordProgressChange(
  history: readonly ProgressHistoryEntry[],
  before: ProgressState,
  after: ProgressState,
  entry: { readonly at: string; readonly by: string; readonly what: string },
): ProgressHistoryEntry[] {
  const parts = changedDraftParts(before.draft, after.draft);
  const stepsChanged = !sameSteps(before.steps, after.steps);
  if (parts.length === 0 && !stepsChanged) return [...history];
  const last = history[history.length - 1];
  const elapsed = last ? Date.parse(entry.at) - Date.parse(last.at) : Number.NaN;
  const folds =
    last !== undefined &&
    last.edited !== undefined &&
    last.by === entry.by &&
    elapsed >= 0 &&
    elapsed <= FOLD_WINDOW_MS;
  if (!folds) {
    return [...history, { ...entry, ...(stepsChanged ? {} : { edited: parts }) }];
  }
  const known = new Set<string>(PART_ORDER);
  const merged = PART_ORDER.filter(
    (p) => parts.includes(p) || (last.edited ?? []).some((e) => e === p || (!known.has(e) && p === "other")),
  );
  const what = describe(merged, after.draft, before.steps, after.steps);
  return [...history.slice(0, -1), { at: entry.at, by: entry.by, what, ...(stepsChanged ? {} : { edited: merged }) }];
}
