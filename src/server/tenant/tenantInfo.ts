import type { Principal } from "../auth/principal";
import type { TokenProvider } from "../auth/obo";
import type { Logger } from "../log";
import type { HttpSend } from "../net/httpClient";

/**
 * The tenant's display name for /api/me, from Microsoft Graph (GET /v1.0/organization) on behalf
 * of the user, remembered per tenant. When Graph can't be reached the user's domain stands in:
 * the name is decoration, not worth failing /api/me for.
 */
export interface TenantDirectoryInfo {
  displayName(principal: Principal): Promise<string>;
}

const TTL_MS = 60 * 60 * 1000;

export function createTenantDirectoryInfo(
  graphUrl: string,
  send: HttpSend,
  tokens: TokenProvider,
  log: Logger,
): TenantDirectoryInfo {
  const names = new Map<string, { name: string; until: number }>();
  return {
    async displayName(principal: Principal): Promise<string> {
      const hit = names.get(principal.tenantId);
      if (hit && hit.until > Date.now()) return hit.name;
      const fallback = principal.upn.includes("@")
        ? (principal.upn.split("@")[1] ?? principal.tenantId)
        : principal.tenantId;
      try {
        const token = await tokens.tokenFor(principal, "graph");
        const res = await send({
          method: "GET",
          url: `${new URL(graphUrl).origin}/v1.0/organization?$select=displayName`,
          headers: { authorization: `Bearer ${token}`, accept: "application/json" },
          timeoutMs: 10_000,
        });
        const body = JSON.parse(res.text) as { value?: { displayName?: unknown }[] };
        const name = res.status === 200 ? body.value?.[0]?.displayName : undefined;
        if (typeof name !== "string" || name === "") throw new Error(`HTTP ${res.status}`);
        names.set(principal.tenantId, { name, until: Date.now() + TTL_MS });
        return name;
      } catch (err) {
        log.info("tenant name unavailable", {
          tenantId: principal.tenantId,
          error: err instanceof Error ? err.message : String(err),
        });
        return fallback;
      }
    },
  };
}
