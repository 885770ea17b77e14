import { MAX_NAME } from "../../core/desired/limits";
import type { DesiredStateInput } from "../../core/desired/schema";
import { isValidLocalPart, isValidSmtpAddress, MAX_LOCAL_PART, sameAddress } from "../../core/desired/smtp";
import type { JournalingRegion, VendorProfile } from "../../core/profiles/profile";
import type { FieldProblem } from "../../services/errors";

/**
 * What the admin has chosen so far. Kept on the server (/api/progress) so a colleague sees it; turned
 * into the core's desired state by toDesiredState. Plain JSON, every field always present.
 */
export interface RegionDraft {
  readonly region: string;
  /** Create a new distribution list, or reuse one that exists. */
  readonly mode: "create" | "reuse";
  readonly name: string;
  readonly address: string;
  /** When true the list's membership is made exactly `members`; when false it is left alone. */
  readonly manageMembers: boolean;
  readonly members: readonly string[];
}

export interface SetupDraft {
  readonly customer: string;
  readonly scope: "everyone" | "regions";
  readonly everyoneRegion: string;
  readonly regions: readonly RegionDraft[];
  readonly ndrMailbox: string;
}

export const DEFAULT_REGION = "us";

export function emptyDraft(): SetupDraft {
  return { customer: "", scope: "everyone", everyoneRegion: DEFAULT_REGION, regions: [], ndrMailbox: "" };
}

/** Accepts a draft read back from the server, filling fields a older pane did not save. */
export function normalizeDraft(raw: unknown): SetupDraft {
  const base = emptyDraft();
  if (raw === null || typeof raw !== "object") return base;
  const r = raw as Partial<SetupDraft>;
  return {
    customer: typeof r.customer === "string" ? r.customer : base.customer,
    scope: r.scope === "regions" ? "regions" : "everyone",
    everyoneRegion: typeof r.everyoneRegion === "string" ? r.everyoneRegion : base.everyoneRegion,
    regions: Array.isArray(r.regions) ? r.regions : [],
    ndrMailbox: typeof r.ndrMailbox === "string" ? r.ndrMailbox : "",
  };
}

/** A new list for a region, named so admins can tell the regions apart in the Exchange admin center. */
export function newRegionDraft(region: JournalingRegion, domain: string): RegionDraft {
  return {
    region: region.id,
    mode: "create",
    name: `Journaling ${region.label}`.slice(0, MAX_NAME),
    address: `journaling-${region.id}@${domain}`,
    manageMembers: true,
    members: [],
  };
}

export function toDesiredState(draft: SetupDraft, profile: VendorProfile): DesiredStateInput {
  const journaling: DesiredStateInput["journaling"] =
    draft.scope === "everyone"
      ? { everyone: { region: draft.everyoneRegion } }
      : {
          regions: draft.regions.map((r) => ({
            region: r.region,
            group: {
              name: r.name.trim(),
              address: r.address.trim(),
              ...(r.manageMembers ? { members: [...r.members] } : {}),
            },
          })),
        };
  return {
    version: 1,
    profile: profile.id,
    customer: draft.customer.trim(),
    ndrMailbox: draft.ndrMailbox.trim(),
    connector: "auto",
    journaling,
  };
}

/** The journaling addresses the draft leads to, one per region in use. */
export function journalingAddresses(
  draft: SetupDraft,
  profile: VendorProfile,
): { region: JournalingRegion; address: string }[] {
  const ids = draft.scope === "everyone" ? [draft.everyoneRegion] : draft.regions.map((r) => r.region);
  const customer = draft.customer.trim();
  return ids
    .map((id) => profile.regions.find((r) => r.id === id))
    .filter((r): r is JournalingRegion => r !== undefined)
    .map((region) => ({ region, address: `${customer === "" ? "<customer>" : customer}@${region.host}` }));
}

export function validateCustomer(customer: string): string | null {
  const value = customer.trim();
  if (value === "") return "Enter your customer name.";
  if (value.includes("@")) return "Enter only the part before @ (the service adds its own host).";
  if (value.length > MAX_LOCAL_PART) return `The customer name is at most ${MAX_LOCAL_PART} characters.`;
  if (!isValidLocalPart(value)) {
    return "Use letters, digits and - _ . (no spaces, no dot at the start or end, no two dots in a row).";
  }
  return null;
}

/** Checks the "Where mail is processed" choices; errors are keyed by the field they belong to. */
export function validateRegions(draft: SetupDraft): FieldProblem[] {
  if (draft.scope === "everyone") {
    return draft.everyoneRegion ? [] : [{ path: "everyoneRegion", message: "Choose the region that processes mail." }];
  }
  const problems: FieldProblem[] = [];
  if (draft.regions.length === 0) problems.push({ path: "regions", message: "Choose at least one region." });
  const addresses = new Map<string, string>();
  draft.regions.forEach((r) => {
    const at = `regions.${r.region}`;
    if (r.mode === "reuse" && r.address.trim() === "") {
      problems.push({ path: `${at}.address`, message: "Choose the distribution list to reuse." });
      return;
    }
    if (r.name.trim() === "") problems.push({ path: `${at}.name`, message: "Enter a name for the list." });
    else if (r.name.trim().length > MAX_NAME) {
      problems.push({ path: `${at}.name`, message: `Exchange allows at most ${MAX_NAME} characters.` });
    }
    const address = r.address.trim();
    if (!isValidSmtpAddress(address)) {
      problems.push({ path: `${at}.address`, message: "Enter an email address such as journaling-eu@contoso.com." });
    } else {
      const other = addresses.get(address.toLowerCase());
      if (other !== undefined) {
        problems.push({ path: `${at}.address`, message: `This address is already used for ${other}.` });
      }
      addresses.set(address.toLowerCase(), r.region);
    }
  });
  return problems;
}

/** Groups known to the pane (Exchange's distribution groups and Graph's mail-enabled groups). */
export interface KnownGroup {
  readonly name: string;
  readonly address: string;
}

export function validateNdrMailbox(draft: SetupDraft, groups: readonly KnownGroup[]): string | null {
  const value = draft.ndrMailbox.trim();
  if (value === "") return "Choose the mailbox that receives undeliverable journal reports.";
  if (!isValidSmtpAddress(value)) return "Enter an email address such as journal-ndr@contoso.com.";
  const group =
    groups.find((g) => sameAddress(g.address, value)) ??
    (draft.scope === "regions"
      ? draft.regions.filter((r) => sameAddress(r.address, value)).map((r) => ({ name: r.name, address: r.address }))[0]
      : undefined);
  if (group) {
    return `${group.address} is the group "${group.name}". Exchange sends undeliverable journal reports to one mailbox only and refuses groups here: choose a user account (best: a dedicated mailbox).`;
  }
  return null;
}
