/** A vendor profile: everything that differs between email-security services is data. */
export interface JournalingRegion {
  /** Stable id used in desired-state files, e.g. "eu1". */
  readonly id: string;
  /** Short label shown to admins, e.g. "EU (no fallback)". */
  readonly label: string;
  /** Host that receives journal reports; also the connector's recipient domain and smart host. */
  readonly host: string;
  /** Where mail is processed, and whether the service falls back to another region. */
  readonly residency: string;
  /** ISO 3166 country codes whose users this region suits (used to suggest members). */
  readonly countries: readonly string[];
}

export interface VendorProfile {
  readonly id: string;
  readonly vendor: string;
  readonly product: string;
  /** Where the admin finds the customer name that forms the journaling address. */
  readonly customerNameHelp: string;
  readonly regions: readonly JournalingRegion[];
  readonly defaults: {
    readonly connectorName: string;
    readonly journalRuleName: string;
  };
  /** The service's admin portal, where an admin confirms that journal reports arrive. */
  readonly portal?: ServicePortal;
}

export interface ServicePortal {
  /** What the service calls it, e.g. "Cloud Email Security dashboard". */
  readonly name: string;
  readonly url: string;
  /** What to look at there once the rules run (completes "In the <name>, ..."). */
  readonly confirm: string;
  /** Where the name, address and advice come from. */
  readonly source: string;
}

export function findRegion(profile: VendorProfile, regionId: string): JournalingRegion | undefined {
  return profile.regions.find((r) => r.id === regionId);
}

export function journalingAddress(customer: string, region: JournalingRegion): string {
  return `${customer}@${region.host}`;
}

/** Per-region objects carry the region id so admins can tell them apart in the portals. */
export function regionalName(base: string, region: JournalingRegion, perRegion: boolean): string {
  return perRegion ? `${base} (${region.id})` : base;
}
