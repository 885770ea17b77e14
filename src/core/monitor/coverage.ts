import type { Problem } from "./problems";

/**
 * Regional lists against the directory: users whose usage location belongs to a region of the
 * setup but who are in none of the setup's lists (their mail is not journaled), and list members
 * whose usage location now belongs to another region only (they moved). Pure: the caller reads the
 * users (Graph `usageLocation`) and the lists' members.
 */
export interface CoverageRegion {
  readonly id: string;
  /** ISO 3166 codes whose users belong in this region's list (the vendor profile's `countries`). */
  readonly countries: readonly string[];
  /** The region's distribution list and its members (addresses, any case). */
  readonly groupAddress: string;
  readonly members: readonly string[];
}

export interface CoverageUser {
  readonly address: string;
  /** Graph `usageLocation` (two-letter country), null when unset. */
  readonly usageLocation: string | null;
}

export interface CoverageGap {
  readonly address: string;
  readonly usageLocation: string;
  /** Regions whose countries include the user's location. */
  readonly regions: readonly string[];
}

export interface CoverageMove {
  readonly address: string;
  readonly usageLocation: string;
  /** The region whose list has the user. */
  readonly inRegion: string;
  /** Regions the location belongs to now. */
  readonly belongsTo: readonly string[];
}

export interface CoverageReport {
  readonly uncovered: readonly CoverageGap[];
  readonly moved: readonly CoverageMove[];
}

export function regionCoverage(regions: readonly CoverageRegion[], users: readonly CoverageUser[]): CoverageReport {
  const memberOf = new Map<string, string[]>();
  for (const r of regions) {
    for (const m of r.members) {
      const k = m.toLowerCase();
      memberOf.set(k, [...(memberOf.get(k) ?? []), r.id]);
    }
  }
  const regionsFor = (loc: string): string[] =>
    regions.filter((r) => r.countries.some((c) => c.toUpperCase() === loc)).map((r) => r.id);
  const uncovered: CoverageGap[] = [];
  const moved: CoverageMove[] = [];
  for (const u of users) {
    if (u.usageLocation === null || u.usageLocation === "") continue;
    const loc = u.usageLocation.toUpperCase();
    const belongs = regionsFor(loc);
    const inLists = memberOf.get(u.address.toLowerCase()) ?? [];
    if (inLists.length === 0) {
      if (belongs.length > 0) uncovered.push({ address: u.address, usageLocation: loc, regions: belongs });
      continue;
    }
    // In a list of a region the location no longer belongs to, and in none it does belong to.
    if (belongs.length > 0 && !inLists.some((r) => belongs.includes(r))) {
      for (const r of inLists) moved.push({ address: u.address, usageLocation: loc, inRegion: r, belongsTo: belongs });
    }
  }
  return { uncovered, moved };
}

/** At most this many addresses are named in an alert's text; the count says the rest. */
const NAMED = 5;

function named(addresses: readonly string[]): string {
  const shown = addresses.slice(0, NAMED).join(", ");
  return addresses.length > NAMED ? `${shown} and ${addresses.length - NAMED} more` : shown;
}

/**
 * The coverage report as alert problems: one for people in no list, one for people in the wrong
 * list. The fingerprint is the set of addresses, so a newly uncovered person updates the alert with a
 * notification, and the same people again do not.
 */
export function coverageProblems(report: CoverageReport): Problem[] {
  const problems: Problem[] = [];
  if (report.uncovered.length > 0) {
    const addresses = report.uncovered.map((u) => u.address.toLowerCase()).sort();
    const n = addresses.length;
    problems.push({
      key: "region-coverage:uncovered",
      code: "region-coverage",
      title: `${n} ${n === 1 ? "person is" : "people are"} in no regional journaling list`,
      text: `${named(addresses)} ${n === 1 ? "has a usage location" : "have usage locations"} of a journaled region but ${n === 1 ? "is" : "are"} in none of the setup's lists, so their mail is not journaled.`,
      action: "Open the setup's regional lists in the app and add them to their region's list, then apply.",
      fingerprint: addresses.join(","),
    });
  }
  if (report.moved.length > 0) {
    const addresses = [...new Set(report.moved.map((m) => m.address.toLowerCase()))].sort();
    const n = addresses.length;
    const first = report.moved[0];
    problems.push({
      key: "region-coverage:moved",
      code: "region-coverage",
      title: `${n} ${n === 1 ? "person's" : "people's"} location moved to another region`,
      text: `${named(addresses)} ${n === 1 ? "is" : "are"} in a regional list whose region no longer matches their usage location${first ? ` (e.g. ${first.address}: ${first.usageLocation}, list ${first.inRegion}, now ${first.belongsTo.join(" or ")})` : ""}.`,
      action: "Move them to the list of their new region in the app's setup, then apply.",
      fingerprint: addresses.join(","),
    });
  }
  return problems;
}
