import type { VendorProfile } from "./profile";

/**
 * Cloudflare Area 1 (Email Security) journaling hosts, as the service documents them in
 * "Microsoft 365 journaling" setup: one host per processing region.
 *
 * Source of the regions (hosts, where each processes mail, its backup), checked 2026-11-29:
 * https://developers.cloudflare.com/email-security/deployment/api/setup/office365-journaling/
 * ("Geographic locations" table; cloudflare/cloudflare-docs
 * src/content/docs/email-security/deployment/api/setup/office365-journaling.mdx). It lists eight
 * hosts: the six below since the first release, plus mailstream-syd (Australia / New Zealand, in
 * Australia only) and mailstream-australia (Australia, India and US data centers as backup); and it
 * now describes mailstream-asia as "in India, with Australia data centers as backup" (it used to say
 * "companies with a broader Asia presence").
 *
 * Region ids are stored in saved setups (desired-state files, drafts, object names such as
 * "… (eu1)"): never rename or remove one; add new ones at the end.
 */
export const area1: VendorProfile = {
  id: "area1",
  vendor: "Cloudflare",
  product: "Cloudflare Area 1 (Email Security)",
  customerNameHelp:
    "Your customer name is on the service's Support > Service Addresses page (the part before @ in the journaling address).",
  regions: [
    {
      id: "us",
      label: "United States",
      host: "journaling.mxrecord.io",
      residency: "Processed in the US.",
      countries: ["US", "CA", "MX", "BR"],
    },
    {
      id: "eu-primary",
      label: "EU (Germany, US fallback)",
      host: "journaling.mailstream-eu-primary.mxrecord.io",
      residency: "Processed in Germany; falls back to the US if the EU region is unavailable.",
      countries: ["DE", "FR", "NL", "IT", "ES", "AT", "BE", "IE", "PL", "SE", "DK", "FI", "PT"],
    },
    {
      id: "eu1",
      label: "EU only (no fallback)",
      host: "journaling.mailstream-eu1.mxrecord.io",
      residency: "Processed in the EU only; never leaves the EU, no fallback.",
      countries: ["DE", "FR", "NL", "IT", "ES", "AT", "BE", "IE", "PL", "SE", "DK", "FI", "PT"],
    },
    {
      id: "bom",
      label: "India only",
      host: "journaling.mailstream-bom.mxrecord.mx",
      residency: "Processed in India only; no fallback.",
      countries: ["IN"],
    },
    {
      id: "india-primary",
      label: "India (US fallback)",
      host: "journaling.mailstream-india-primary.mxrecord.mx",
      residency: "Processed in India; falls back to the US if the India region is unavailable.",
      countries: ["IN"],
    },
    {
      id: "asia",
      label: "Asia (India, Australia fallback)",
      host: "journaling.mailstream-asia.mxrecord.mx",
      residency: "Processed in India; falls back to Australia if the India region is unavailable.",
      // Australia and New Zealand have their own regions now (below); the rest of Asia stays here.
      countries: ["SG", "JP", "KR", "HK", "TW", "MY", "TH", "ID", "PH", "VN"],
    },
    {
      id: "syd",
      label: "Australia only (no fallback)",
      host: "journaling.mailstream-syd.area1.cloudflare.net",
      residency: "Processed in Australia only; no fallback. For Australia and New Zealand.",
      countries: ["AU", "NZ"],
    },
    {
      id: "australia",
      label: "Australia (India, US fallback)",
      host: "journaling.mailstream-australia.area1.cloudflare.net",
      residency:
        "Processed in Australia; falls back to India and US data centers if the Australia region is unavailable. For Australia and New Zealand.",
      countries: ["AU", "NZ"],
    },
  ],
  defaults: {
    connectorName: "Deliver journal directly to Area 1",
    journalRuleName: "Journal Messages to Cloudflare Area 1",
  },
  portal: {
    name: "Cloud Email Security dashboard",
    url: "https://horizon.area1security.com/",
    confirm:
      "the number of messages processed grows as journal reports arrive; the first ones come a few minutes after the rules take effect.",
    source:
      "Cloudflare docs, Office 365 journaling setup (developers.cloudflare.com/email-security/deployment/api/setup/office365-journaling/): " +
      "the dashboard at horizon.area1security.com (its Support > Service Addresses page), and 'after it propagates, you can access the " +
      "dashboard to check the number of messages processed'.",
  },
};
