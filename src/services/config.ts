import type { PaneConfig } from "../core/contract/config";
import { PaneError } from "./errors";

/** The /config.json shape is the contract's (src/core/contract/config.ts); parsed here by hand. */
export type { PaneConfig };

/**
 * Delegated Graph permissions the pane uses (least privilege, see reference §4): User.Read.All
 * only because suggesting members by usageLocation/country needs it.
 */
export const DEFAULT_GRAPH_SCOPES: readonly string[] = [
  "User.Read",
  "User.ReadBasic.All",
  "User.Read.All",
  "GroupMember.Read.All",
];

function requireString(raw: Record<string, unknown>, key: string): string {
  const value = raw[key];
  if (typeof value !== "string" || value.trim() === "") {
    throw new PaneError("config_unavailable", `config.json has no ${key}`);
  }
  return value;
}

/** Checks a parsed config.json by hand (zod stays out of the first-render bundle). */
export function parsePaneConfig(raw: unknown): PaneConfig {
  if (raw === null || typeof raw !== "object")
    throw new PaneError("config_unavailable", "config.json is not an object");
  const r = raw as Record<string, unknown>;
  const authority = requireString(r, "authority");
  if (!authority.startsWith("https://")) {
    throw new PaneError("config_unavailable", "config.json authority must be an https URL (MSAL refuses http)");
  }
  const known = r.knownAuthorities;
  const knownAuthorities = Array.isArray(known) ? known.filter((k): k is string => typeof k === "string") : [];
  return {
    authority,
    clientId: requireString(r, "clientId"),
    knownAuthorities,
    graphBaseUrl: requireString(r, "graphBaseUrl").replace(/\/+$/, ""),
    backendUrl: requireString(r, "backendUrl").replace(/\/+$/, ""),
    apiScope: requireString(r, "apiScope"),
  };
}

export async function loadPaneConfig(fetchImpl: typeof fetch = fetch, url = "/config.json"): Promise<PaneConfig> {
  let response: Response;
  try {
    response = await fetchImpl(url, { cache: "no-store" });
  } catch (err) {
    throw new PaneError(
      "config_unavailable",
      `could not load ${url}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (!response.ok) throw new PaneError("config_unavailable", `${url} answered ${response.status}`);
  return parsePaneConfig(await response.json());
}
