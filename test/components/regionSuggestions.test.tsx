/** @jest-environment jsdom */
import "@testing-library/jest-dom";
import { render, screen, within } from "@testing-library/react";
import { emptyTenant } from "../../src/core/observed/types";
import { area1 } from "../../src/core/profiles/area1";
import { emptyDraft, newRegionDraft } from "../../src/components/setup/draft";
import { RegionsStep } from "../../src/components/steps/RegionsStep/RegionsStep";
import type { DirectoryPerson } from "../../src/services/graphClient";
import { services, Wrap } from "./fakes";

/**
 * Step 3 suggests members for a region from users' usage location. Australia and New Zealand have
 * their own regions (Cloudflare's current Geographic locations table); asia is India with Australia
 * as backup, so Australian users are no longer suggested for it.
 */
const PEOPLE: DirectoryPerson[] = [
  {
    id: "1",
    displayName: "Olivia Brown",
    mail: "olivia@contoso.com",
    userPrincipalName: "olivia@contoso.com",
    usageLocation: "AU",
  },
  {
    id: "2",
    displayName: "Aroha Ngata",
    mail: "aroha@contoso.com",
    userPrincipalName: "aroha@contoso.com",
    usageLocation: "NZ",
  },
  {
    id: "3",
    displayName: "Wei Tan",
    mail: "wei@contoso.com",
    userPrincipalName: "wei@contoso.com",
    usageLocation: "SG",
  },
];

const region = (id: string) => {
  const r = area1.regions.find((x) => x.id === id);
  if (!r) throw new Error(`no region ${id}`);
  return r;
};

function renderRegions(ids: string[]): void {
  const directory = {
    // The Graph filter is `usageLocation eq …`: the fake answers the same way.
    peopleInCountries: (countries: readonly string[]) =>
      Promise.resolve(PEOPLE.filter((p) => countries.includes(p.usageLocation ?? ""))),
  };
  render(
    <Wrap value={services({ directory })}>
      <RegionsStep
        draft={{
          ...emptyDraft(),
          scope: "regions",
          regions: ids.map((id) => newRegionDraft(region(id), "contoso.com")),
        }}
        update={() => undefined}
        tenant={{ observed: emptyTenant(), readAt: null, loading: false, error: null, reload: () => undefined }}
        showErrors={false}
        domain="contoso.com"
      />
    </Wrap>,
  );
}

describe("Regions: suggested members by usage location", () => {
  it("offers the eight regions, the Australian ones with their hosts and residency", () => {
    renderRegions([]);
    const choices = within(screen.getByRole("group", { name: "Regions" })).getAllByRole("checkbox");
    expect(choices).toHaveLength(8);
    expect(screen.getByText("journaling.mailstream-syd.area1.cloudflare.net")).toBeInTheDocument();
    expect(screen.getByText("journaling.mailstream-australia.area1.cloudflare.net")).toBeInTheDocument();
    expect(
      screen.getByText("Processed in India; falls back to Australia if the India region is unavailable."),
    ).toBeInTheDocument();
  });

  it("suggests Australian and New Zealand users for the Australia region, and not for asia", async () => {
    renderRegions(["asia", "syd"]);
    const syd = screen.getByRole("region", { name: "Australia only (no fallback)" });
    expect(await within(syd).findByRole("button", { name: "Add Olivia Brown" })).toBeInTheDocument();
    expect(within(syd).getByRole("button", { name: "Add Aroha Ngata" })).toBeInTheDocument();
    expect(within(syd).getByText("Suggested: people whose usage location is AU, NZ.")).toBeInTheDocument();

    const asia = screen.getByRole("region", { name: "Asia (India, Australia fallback)" });
    expect(await within(asia).findByRole("button", { name: "Add Wei Tan" })).toBeInTheDocument();
    expect(within(asia).queryByRole("button", { name: "Add Olivia Brown" })).not.toBeInTheDocument();
    expect(within(asia).queryByRole("button", { name: "Add Aroha Ngata" })).not.toBeInTheDocument();
  });
});
