import type { EmulatorRequest, EmulatorResponse } from "../http/types";
import { resolveTenantSegment, type EntraContext } from "./context";
import { requestCorrelationId } from "./correlation";
import { entraErrorResponse } from "./errors";
import { isEntraError } from "./scopes";

/**
 * What Entra's v1 (`metadataV1.ts`) and v2 (`metadata.ts`) OpenID Connect discovery documents share
 * word for word (compare https://login.microsoftonline.com/{tenant}/.well-known/openid-configuration
 * with .../v2.0/.well-known/openid-configuration). Each document spreads these pieces where Entra
 * puts them, so the key order of the served JSON stays Entra's.
 */

/** The tenant a discovery request names, as the two documents write it into their URLs and issuer. */
export interface DiscoveryTenant {
  /** The request's origin (scheme + host the client used). */
  origin: string;
  /** URL segment: a named tenant's GUID; `common`/`organizations` keep the segment. */
  segment: string;
  /** Issuer tenant: a named tenant's GUID, else Entra's `{tenantid}` placeholder. */
  issuerTenant: string;
  /** A named tenant (not `common`/`organizations`): only it has a `tenant_region_scope`. */
  named: boolean;
}

/** Resolves `{tenant}` of a discovery request, or Entra's error response (AADSTS90002) for an unknown one. */
export function discoveryTenant(ctx: EntraContext, req: EmulatorRequest): DiscoveryTenant | EmulatorResponse {
  const seg = resolveTenantSegment(ctx, req.params.tenant ?? "");
  if (isEntraError(seg)) return entraErrorResponse(seg, new Date(ctx.now()), requestCorrelationId(req));
  const named = seg.kind === "tenant";
  return {
    origin: req.origin,
    segment: named ? seg.tenant.directory.tenantId : seg.name,
    issuerTenant: named ? seg.tenant.directory.tenantId : "{tenantid}",
    named,
  };
}

export function isDiscoveryTenant(v: DiscoveryTenant | EmulatorResponse): v is DiscoveryTenant {
  return "segment" in v;
}

export const TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_post", "private_key_jwt", "client_secret_basic"];

/** The three fields after `jwks_uri` in both documents. */
export const RESPONSE_AND_SIGNING_FIELDS = {
  response_modes_supported: ["query", "fragment", "form_post"],
  subject_types_supported: ["pairwise"],
  id_token_signing_alg_values_supported: ["RS256"],
};

/** The first eleven entries of `claims_supported`; each document appends its own after them. */
export const CLAIMS_SUPPORTED_HEAD = [
  "sub",
  "iss",
  "cloud_instance_name",
  "cloud_instance_host_name",
  "cloud_graph_host_name",
  "msgraph_host",
  "aud",
  "exp",
  "iat",
  "auth_time",
  "acr",
];

/** The logout flags both documents carry before `end_session_endpoint`. */
export const LOGOUT_FIELDS = { http_logout_supported: true, frontchannel_logout_supported: true };

/** The trailing cloud-instance fields both documents end with. */
export function cloudInstanceFields(t: DiscoveryTenant): Record<string, string | null> {
  return {
    kerberos_endpoint: `${t.origin}/${t.segment}/kerberos`,
    tenant_region_scope: t.named ? "NA" : null,
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
    rbac_url: "https://pas.windows.net",
  };
}

/** Both documents (and the JWKS) are served with Entra's one-day private cache header. */
export const DISCOVERY_CACHE_HEADERS = { "cache-control": "max-age=86400, private" };
