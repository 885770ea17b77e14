import type { Logger } from "../log";
import type { HttpSend } from "../net/httpClient";
import { OboError, type TokenProvider } from "./obo";
import type { Principal } from "./principal";
import { TtlCache } from "./ttlCache";

/**
 * The caller's Entra directory roles from Microsoft Graph, for tokens without `wids` (an app
 * registration whose groupMembershipClaims is not "DirectoryRole" or "All"):
 * `GET /v1.0/me/transitiveMemberOf/microsoft.graph.directoryRole?$select=id,roleTemplateId`
 * on behalf of the user, matched by `roleTemplateId`, remembered per user (tenant + oid) for a few
 * minutes. Graph lists the roles with User.Read but returns each one "with limited information" (no
 * roleTemplateId) unless the app may read directoryRole objects (RoleManagement.Read.Directory or
 * Directory.Read.All): that case is a problem to report, never "no roles".
 */
export type RoleLookup =
  { readonly ok: true; readonly wids: readonly string[] } | { readonly ok: false; readonly problem: string };

export interface DirectoryRoleReader {
  rolesOf(principal: Principal): Promise<RoleLookup>;
}

export const ROLE_CACHE_TTL_MS = 5 * 60 * 1000;
const MAX_USERS = 5000;
const MAX_PAGES = 10;
const PERMISSION_TEXT =
  'Grant the app\'s API registration the delegated Microsoft Graph permission RoleManagement.Read.Directory (with admin consent), or set its groupMembershipClaims to "DirectoryRole" so sign-in tokens carry the roles.';

interface RolePage {
  value?: { roleTemplateId?: unknown }[];
  "@odata.nextLink"?: unknown;
  error?: { code?: unknown; message?: unknown };
}

export function createGraphDirectoryRoles(
  graphUrl: string,
  send: HttpSend,
  tokens: TokenProvider,
  log: Logger,
  now: () => number = Date.now,
): DirectoryRoleReader {
  const cache = new TtlCache<RoleLookup>(ROLE_CACHE_TTL_MS, MAX_USERS, now);
  const origin = new URL(graphUrl).origin;

  const lookUp = async (principal: Principal): Promise<RoleLookup> => {
    let token: string;
    try {
      token = await tokens.tokenFor(principal, "graph");
    } catch (err) {
      const consent = err instanceof OboError && err.consentOrInteraction;
      return {
        ok: false,
        problem: consent
          ? `Your directory roles could not be read: Microsoft Graph needs consent or a new sign-in for this app. ${PERMISSION_TEXT}`
          : "Your directory roles could not be read: no Microsoft Graph token could be had for you. Try again shortly.",
      };
    }
    const wids: string[] = [];
    let url: string | undefined =
      `${origin}/v1.0/me/transitiveMemberOf/microsoft.graph.directoryRole?$select=id,roleTemplateId`;
    for (let page = 0; url !== undefined && page < MAX_PAGES; page++) {
      let status: number;
      let body: RolePage;
      try {
        const res = await send({
          method: "GET",
          url,
          headers: { authorization: `Bearer ${token}`, accept: "application/json" },
          timeoutMs: 10_000,
        });
        status = res.status;
        body = JSON.parse(res.text) as RolePage;
      } catch (err) {
        log.warn("directory roles unavailable", {
          tenantId: principal.tenantId,
          error: err instanceof Error ? err.message : String(err),
        });
        return {
          ok: false,
          problem: "Your directory roles could not be read: Microsoft Graph did not answer. Try again shortly.",
        };
      }
      if (status !== 200) {
        const code = typeof body.error?.code === "string" ? body.error.code : `HTTP ${status}`;
        log.info("directory roles refused", { tenantId: principal.tenantId, status, code });
        return {
          ok: false,
          problem:
            status === 403 || status === 401
              ? `Microsoft Graph refused to list your directory roles (${code}). ${PERMISSION_TEXT}`
              : `Microsoft Graph could not list your directory roles (${code}). Try again shortly.`,
        };
      }
      for (const role of body.value ?? []) {
        // "Limited information": the app may not read directoryRole objects.
        if (typeof role.roleTemplateId !== "string") {
          return {
            ok: false,
            problem: `Microsoft Graph listed your directory roles without their role ids: the app may not read directory roles. ${PERMISSION_TEXT}`,
          };
        }
        wids.push(role.roleTemplateId.toLowerCase());
      }
      const next = body["@odata.nextLink"];
      // Follow nextLink only on Graph's own origin: the token never goes anywhere else.
      url = typeof next === "string" && next.startsWith(`${origin}/`) ? next : undefined;
    }
    return { ok: true, wids };
  };

  return {
    rolesOf: (principal) =>
      cache.get(
        `${principal.tenantId}/${principal.oid}`,
        () => lookUp(principal),
        (r) => r.ok,
      ),
  };
}
