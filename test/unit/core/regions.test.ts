import { readFileSync } from "node:fs";
import { area1, planSetup, renderScript, resolveDesiredState, type Plan } from "../../../src/core";
import { observed } from "./fixtures";

/**
 * The area1 profile's regions against the service's current documentation (Cloudflare,
 * "Office 365 journaling setup", Geographic locations: eight journaling hosts).
 */
const SYD_HOST = "journaling.mailstream-syd.area1.cloudflare.net";
const AUSTRALIA_HOST = "journaling.mailstream-australia.area1.cloudflare.net";

/** The six ids every saved setup so far can hold, with the host each one has always meant. */
const ORIGINAL_REGIONS: ReadonlyArray<readonly [string, string]> = [
  ["us", "journaling.mxrecord.io"],
  ["eu-primary", "journaling.mailstream-eu-primary.mxrecord.io"],
  ["eu1", "journaling.mailstream-eu1.mxrecord.io"],
  ["bom", "journaling.mailstream-bom.mxrecord.mx"],
  ["india-primary", "journaling.mailstream-india-primary.mxrecord.mx"],
  ["asia", "journaling.mailstream-asia.mxrecord.mx"],
];

function everyone(region: string): Record<string, unknown> {
  return {
    version: 1,
    profile: "area1",
    customer: "contoso",
    ndrMailbox: "journal-ndr@contoso.com",
    connector: "always",
    journaling: { everyone: { region } },
  };
}

function planOf(desired: unknown): Plan {
  const result = planSetup(desired, observed());
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.plan;
}

/** What a plan does, in the words that must not change for a saved setup: cmdlet + the values that route mail. */
function summary(plan: Plan): string[] {
  return plan.actions.map((a) => {
    const p = a.parameters;
    const key = p.JournalEmailAddress ?? p.SmartHosts ?? p.JournalingReportNdrTo ?? p.PrimarySmtpAddress ?? p.Name;
    return `${a.cmdlet} ${JSON.stringify(key)}${p.Name !== undefined ? ` ${JSON.stringify(p.Name)}` : ""}`;
  });
}

describe("area1 regions: the service's eight journaling hosts", () => {
  it("lists the eight documented hosts; the six original ids come first and keep their hosts", () => {
    expect(area1.regions.map((r) => [r.id, r.host])).toEqual([
      ...ORIGINAL_REGIONS,
      ["syd", SYD_HOST],
      ["australia", AUSTRALIA_HOST],
    ]);
  });

  it("describes each new region and asia as the service does", () => {
    const byId = new Map(area1.regions.map((r) => [r.id, r]));
    expect(byId.get("syd")?.residency).toMatch(/Australia only; no fallback/);
    expect(byId.get("australia")?.residency).toMatch(/Processed in Australia; falls back to India and US/);
    // Cloudflare: "processing happens in India, with Australia data centers as backup".
    expect(byId.get("asia")?.residency).toBe(
      "Processed in India; falls back to Australia if the India region is unavailable.",
    );
  });

  it("suggests Australian and New Zealand users for the Australian regions, no longer for asia", () => {
    const suggestedFor = (country: string): string[] =>
      area1.regions.filter((r) => r.countries.includes(country)).map((r) => r.id);
    expect(suggestedFor("AU")).toEqual(["syd", "australia"]);
    expect(suggestedFor("NZ")).toEqual(["syd", "australia"]);
    expect(suggestedFor("SG")).toEqual(["asia"]);
  });

  it("plans everyone in syd: its own connector and a rule to the syd address", () => {
    const plan = planOf(everyone("syd"));
    expect(summary(plan)).toEqual([
      'Set-TransportConfig "journal-ndr@contoso.com"',
      `New-OutboundConnector ${JSON.stringify([SYD_HOST])} "Deliver journal directly to Area 1"`,
      `New-JournalRule "contoso@${SYD_HOST}" "Journal Messages to Cloudflare Area 1"`,
    ]);
    const connector = plan.actions.find((a) => a.cmdlet === "New-OutboundConnector");
    expect(connector?.parameters.RecipientDomains).toEqual([SYD_HOST]);
    expect(renderScript(plan, { title: "t" })).toContain(`-JournalEmailAddress 'contoso@${SYD_HOST}'`);
  });

  it("plans syd and australia side by side: one connector, list and rule each (different hosts)", () => {
    const desired = {
      ...everyone("us"),
      journaling: {
        regions: [
          { region: "syd", group: { name: "Journaling Australia", address: "journaling-syd@contoso.com" } },
          { region: "australia", group: { name: "Journaling ANZ", address: "journaling-anz@contoso.com" } },
        ],
      },
    };
    const rules = planOf(desired).actions.filter((a) => a.cmdlet === "New-JournalRule");
    expect(rules.map((r) => [r.parameters.Name, r.parameters.JournalEmailAddress, r.parameters.Recipient])).toEqual([
      ["Journal Messages to Cloudflare Area 1 (syd)", `contoso@${SYD_HOST}`, "journaling-syd@contoso.com"],
      ["Journal Messages to Cloudflare Area 1 (australia)", `contoso@${AUSTRALIA_HOST}`, "journaling-anz@contoso.com"],
    ]);
  });

  it.each(ORIGINAL_REGIONS)("a saved setup with region %s still loads and plans to %s", (id, host) => {
    expect(resolveDesiredState(everyone(id)).ok).toBe(true);
    expect(summary(planOf(everyone(id)))).toEqual([
      'Set-TransportConfig "journal-ndr@contoso.com"',
      `New-OutboundConnector ${JSON.stringify([host])} "Deliver journal directly to Area 1"`,
      `New-JournalRule "contoso@${host}" "Journal Messages to Cloudflare Area 1"`,
    ]);
  });

  it("the saved example setup (eu1 + bom) plans exactly as before", () => {
    const saved = JSON.parse(readFileSync("examples/eu-india-regions.json", "utf8")) as unknown;
    expect(summary(planOf(saved))).toEqual([
      'Set-TransportConfig "journal-ndr@contoso.com"',
      'New-OutboundConnector ["journaling.mailstream-eu1.mxrecord.io"] "Deliver journal directly to Area 1 (eu1)"',
      'New-OutboundConnector ["journaling.mailstream-bom.mxrecord.mx"] "Deliver journal directly to Area 1 (bom)"',
      'New-DistributionGroup "journaling-eu@contoso.com" "Journaling EU"',
      'New-DistributionGroup "journaling-in@contoso.com" "Journaling India"',
      'New-JournalRule "contoso@journaling.mailstream-eu1.mxrecord.io" "Journal Messages to Cloudflare Area 1 (eu1)"',
      'New-JournalRule "contoso@journaling.mailstream-bom.mxrecord.mx" "Journal Messages to Cloudflare Area 1 (bom)"',
    ]);
  });
});
