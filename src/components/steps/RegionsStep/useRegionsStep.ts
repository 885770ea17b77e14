import { useEffect, useMemo, useState } from "react";
import type { JournalingRegion } from "../../../core/profiles/profile";
import { newRegionDraft, validateRegions, type RegionDraft } from "../../setup/draft";
import { useServices } from "../../services/ServicesContext";
import type { ExistingList, RegionsStepProps, Suggestions } from "./RegionsStep.types";

export interface RegionsModel {
  readonly regions: readonly JournalingRegion[];
  readonly existingLists: readonly ExistingList[];
  /** Errors by region id, then by field. */
  readonly errors: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly generalError: string | null;
  readonly setScope: (scope: "everyone" | "regions") => void;
  readonly setEveryoneRegion: (id: string) => void;
  readonly toggleRegion: (id: string, on: boolean) => void;
  readonly changeRegion: (next: RegionDraft) => void;
}

export function useRegionsStep({ draft, update, tenant, showErrors, domain }: RegionsStepProps): RegionsModel {
  const { profile } = useServices();
  const problems = validateRegions(draft);
  const errors: Record<string, Record<string, string>> = {};
  let generalError: string | null = null;
  if (showErrors) {
    for (const p of problems) {
      const [, region, field] = p.path.split(".");
      if (region && field) (errors[region] ??= {})[field] = p.message;
      else generalError = p.message;
    }
  }
  const existingLists = useMemo(
    () =>
      (tenant.observed?.["Get-DistributionGroup"] ?? []).map((g) => ({ name: g.Name, address: g.PrimarySmtpAddress })),
    [tenant.observed],
  );
  return {
    regions: profile.regions,
    existingLists,
    errors,
    generalError,
    setScope: (scope) => update({ scope }),
    setEveryoneRegion: (id) => update({ everyoneRegion: id }),
    toggleRegion(id, on) {
      const region = profile.regions.find((r) => r.id === id);
      if (!region) return;
      const others = draft.regions.filter((r) => r.region !== id);
      const next = on ? [...others, newRegionDraft(region, domain)] : others;
      const order = (r: RegionDraft): number => profile.regions.findIndex((p) => p.id === r.region);
      update({ regions: [...next].sort((a, b) => order(a) - order(b)) });
    },
    changeRegion(next) {
      update({ regions: draft.regions.map((r) => (r.region === next.region ? next : r)) });
    },
  };
}

/** Users whose usage location is one of the region's countries: likely members of its list. */
export function useRegionSuggestions(region: JournalingRegion): Suggestions {
  const { directory } = useServices();
  const [state, setState] = useState<Suggestions>({ people: [], loading: true, error: null });
  useEffect(() => {
    let current = true;
    setState({ people: [], loading: true, error: null });
    directory
      .peopleInCountries(region.countries)
      .then((people) => current && setState({ people, loading: false, error: null }))
      .catch((error: unknown) => current && setState({ people: [], loading: false, error }));
    return () => {
      current = false;
    };
  }, [directory, region]);
  return state;
}
