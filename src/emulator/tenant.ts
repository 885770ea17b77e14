import type { TenantDirectory } from "./directory/types";
import type { ExchangeState } from "./exchange";
import type { TeamsTenantState } from "./teams/state";

/** One emulated tenant: its directory (Entra ID, Graph) and its Exchange Online organisation. */
export interface TenantRecord {
  directory: TenantDirectory;
  exchange: ExchangeState;
  /** Teams: app catalog, teams, installations, activity notifications (teams/state.ts); made on first use. */
  teams?: TeamsTenantState;
}

/** The whole emulator state, as saved to `--state FILE` (JSON). */
export interface EmulatorStateData {
  /** Bumped when the shape changes; a file of another version is not loaded. */
  version: 1;
  seed: "default" | "gateway";
  tenants: TenantRecord[];
}

/**
 * Finds a tenant by id (GUID) or by any of its domains (contoso.onmicrosoft.com, contoso.com),
 * case-insensitively, as Entra and Exchange accept either in their URLs.
 */
export function findTenant(tenants: readonly TenantRecord[], idOrName: string): TenantRecord | undefined {
  const key = idOrName.toLowerCase();
  return tenants.find(
    (t) =>
      t.directory.tenantId === key ||
      t.directory.initialDomain.toLowerCase() === key ||
      t.directory.acceptedDomains.some((d) => d.toLowerCase() === key),
  );
}

/** The tenant a user name belongs to, by the domain after the @. */
export function findTenantOfUser(tenants: readonly TenantRecord[], upn: string): TenantRecord | undefined {
  const domain = upn.split("@")[1];
  return domain === undefined ? undefined : findTenant(tenants, domain);
}
