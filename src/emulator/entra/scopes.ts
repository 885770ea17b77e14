import { findResource, GRAPH_APP, OIDC_SCOPES, type ResourceApp } from "../directory/apps";
import type { TenantDirectory } from "../directory/types";
import { AADSTS, type EntraError } from "./errors";

/**
 * Scope requests as Entra reads them: `User.Read` (a Graph scope), `https://graph.microsoft.com/User.Read`,
 * `api://.../access_as_user`, `<appId or URI>/.default`, plus the OIDC scopes. All resource scopes of
 * one request must name one resource (AADSTS28000).
 */
export interface ScopeRequest {
  resource: ResourceApp;
  /** How the token's `aud` is written for v1 resources: the URI or the appId, as requested. */
  audience: string;
  /** Requested permission values (empty with .default). */
  scopes: string[];
  isDefault: boolean;
  oidc: string[];
}

export function parseScopeRequest(scopeParam: string, tenantName: string): ScopeRequest | EntraError {
  const tokens = scopeParam.split(/\s+/).filter((s) => s !== "");
  const oidc: string[] = [];
  let resource: ResourceApp | undefined;
  let audience = "";
  const scopes: string[] = [];
  let isDefault = false;
  for (const token of tokens) {
    if ((OIDC_SCOPES as readonly string[]).includes(token)) {
      if (!oidc.includes(token)) oidc.push(token);
      continue;
    }
    const slash = token.lastIndexOf("/");
    let found: ResourceApp | undefined;
    let value: string;
    let form: string;
    if (slash < 0) {
      found = GRAPH_APP;
      value = token;
      form = GRAPH_APP.appId;
    } else {
      const prefix = token.slice(0, slash);
      value = token.slice(slash + 1);
      found = findResource(prefix);
      if (found === undefined) return AADSTS.unknownResource(prefix, tenantName);
      form = found.accessTokenVersion === 2 ? found.appId : prefix.replace(/\/+$/, "");
    }
    if (resource !== undefined && resource.appId !== found.appId) return AADSTS.scopeMultipleResources();
    resource = found;
    audience = form;
    if (value === ".default") {
      isDefault = true;
    } else {
      const known = found.delegatedScopes.find((s) => s.toLowerCase() === value.toLowerCase());
      if (known === undefined) return AADSTS.invalidScope(token);
      if (!scopes.includes(known)) scopes.push(known);
    }
  }
  if (resource === undefined) {
    // Only OIDC scopes: Entra issues a Graph token (User.Read) next to the ID token.
    return { resource: GRAPH_APP, audience: GRAPH_APP.appId, scopes: ["User.Read"], isDefault: false, oidc };
  }
  return { resource, audience, scopes, isDefault, oidc };
}

/** Delegated permissions the tenant's admin consented to for client -> resource. */
export function grantedDelegatedScopes(
  directory: TenantDirectory,
  clientAppId: string,
  resourceAppId: string,
): string[] {
  return directory.delegatedGrants
    .filter((g) => g.clientAppId === clientAppId && g.resourceAppId === resourceAppId)
    .flatMap((g) => g.scopes);
}

export function grantedAppRoles(directory: TenantDirectory, clientAppId: string, resourceAppId: string): string[] {
  return directory.applicationGrants
    .filter((g) => g.clientAppId === clientAppId && g.resourceAppId === resourceAppId)
    .flatMap((g) => g.appRoles);
}

/**
 * The `scp` for a delegated token, or AADSTS65001 when a requested permission lacks consent.
 * With `.default`, every consented permission of the resource.
 */
export function authorizeDelegated(
  directory: TenantDirectory,
  client: { appId: string; displayName: string },
  request: ScopeRequest,
): string[] | EntraError {
  const granted = grantedDelegatedScopes(directory, client.appId, request.resource.appId).filter(
    (s) => !(OIDC_SCOPES as readonly string[]).includes(s),
  );
  if (request.isDefault) {
    if (granted.length === 0) return AADSTS.consentRequired(client.appId, client.displayName);
    return granted;
  }
  const lower = granted.map((g) => g.toLowerCase());
  const missing = request.scopes.filter((s) => !lower.includes(s.toLowerCase()));
  if (missing.length > 0) return AADSTS.consentRequired(client.appId, client.displayName);
  return request.scopes;
}

/** The `scope` field of a token response: Graph scopes short, others prefixed with the resource URI. */
export function responseScope(request: ScopeRequest, scp: string[]): string {
  const prefix = request.resource.appId === GRAPH_APP.appId ? "" : `${request.resource.identifierUris[0]}/`;
  return [...scp.map((s) => prefix + s), ...request.oidc.filter((s) => s !== "offline_access")].join(" ");
}

export function isEntraError(value: unknown): value is EntraError {
  return typeof value === "object" && value !== null && "code" in value && "error" in value && "status" in value;
}
