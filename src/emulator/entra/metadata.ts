import type { EmulatorRequest, EmulatorResponse } from "../http/types";
import { json } from "../http/router";
import { type EntraContext, resolveTenantSegment } from "./context";
import { requestCorrelationId } from "./correlation";
import { entraErrorResponse } from "./errors";
import { isEntraError } from "./scopes";

/** The v2 OpenID Connect discovery document, shaped like Entra's (tenant, its domain, common, organizations). */
export function openIdConfiguration(ctx: EntraContext, req: EmulatorRequest): EmulatorResponse {
  const seg = resolveTenantSegment(ctx, req.params.tenant ?? "");
  if (isEntraError(seg)) return entraErrorResponse(seg, new Date(ctx.now()), requestCorrelationId(req));
  const o = req.origin;
  // Endpoints of a named tenant use its GUID; common/organizations keep the segment and a {tenantid} issuer.
  const t = seg.kind === "tenant" ? seg.tenant.directory.tenantId : seg.name;
  const issuerTenant = seg.kind === "tenant" ? seg.tenant.directory.tenantId : "{tenantid}";
  return json(
    200,
    {
      token_endpoint: `${o}/${t}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${o}/${t}/discovery/v2.0/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      // The issuer tokens carry (login.microsoftonline.com in public-hosts mode, whichever alias was asked).
      issuer: ctx.tokens.issuer(issuerTenant, 2),
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${o}/oidc/userinfo`,
      authorization_endpoint: `${o}/${t}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${o}/${t}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${o}/${t}/oauth2/v2.0/logout`,
      claims_supported: [
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
        "nonce",
        "preferred_username",
        "name",
        "tid",
        "ver",
        "at_hash",
        "c_hash",
        "email",
      ],
      kerberos_endpoint: `${o}/${t}/kerberos`,
      tenant_region_scope: seg.kind === "tenant" ? "NA" : null,
      cloud_instance_name: "microsoftonline.com",
      cloud_graph_host_name: "graph.windows.net",
      msgraph_host: "graph.microsoft.com",
      rbac_url: "https://pas.windows.net",
    },
    { "cache-control": "max-age=86400, private" },
  );
}

export function jwksDocument(ctx: EntraContext, req: EmulatorRequest): EmulatorResponse {
  const seg = resolveTenantSegment(ctx, req.params.tenant ?? "");
  if (isEntraError(seg)) return entraErrorResponse(seg, new Date(ctx.now()), requestCorrelationId(req));
  return json(200, ctx.tokens.jwks, { "cache-control": "max-age=86400, private" });
}
