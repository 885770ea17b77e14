import { json } from "../http/router";
import type { EmulatorRequest, EmulatorResponse } from "../http/types";
import { resolveTenantSegment, type EntraContext } from "./context";
import { requestCorrelationId } from "./correlation";
import { entraErrorResponse } from "./errors";
import { isEntraError } from "./scopes";

/**
 * The v1 (Azure AD) OpenID Connect discovery document, `GET /{tenant}/.well-known/openid-configuration`,
 * beside the v2 one. Shape as Entra serves it (e.g. https://login.microsoftonline.com/{tenant}/.well-known/openid-configuration;
 * field list also in the OpenID Connect metadata section of
 * https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri,
 * which says v1.0 clients use the path without /v2.0): v1 endpoints (`/oauth2/token`,
 * `/oauth2/authorize`, `/oauth2/devicecode`), `jwks_uri` at `/common/discovery/keys` (the same for every
 * tenant), and the v1 issuer `https://sts.windows.net/{tid}/` — a host name, not the login host, in
 * every cloud mode. `common`/`organizations` keep the segment and the `{tenantid}` placeholder. An
 * unknown tenant is AADSTS90002 in Entra's error body.
 */
export const V1_ISSUER_ORIGIN = "https://sts.windows.net";

export function openIdConfigurationV1(ctx: EntraContext, req: EmulatorRequest): EmulatorResponse {
  const seg = resolveTenantSegment(ctx, req.params.tenant ?? "");
  if (isEntraError(seg)) return entraErrorResponse(seg, new Date(ctx.now()), requestCorrelationId(req));
  const o = req.origin;
  const t = seg.kind === "tenant" ? seg.tenant.directory.tenantId : seg.name;
  const issuerTenant = seg.kind === "tenant" ? seg.tenant.directory.tenantId : "{tenantid}";
  return json(
    200,
    {
      token_endpoint: `${o}/${t}/oauth2/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${o}/common/discovery/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "token id_token", "token"],
      scopes_supported: ["openid"],
      issuer: `${V1_ISSUER_ORIGIN}/${issuerTenant}/`,
      microsoft_multi_refresh_token: true,
      authorization_endpoint: `${o}/${t}/oauth2/authorize`,
      device_authorization_endpoint: `${o}/${t}/oauth2/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${o}/${t}/oauth2/logout`,
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
        "amr",
        "nonce",
        "email",
        "given_name",
        "family_name",
        "nickname",
      ],
      check_session_iframe: `${o}/${t}/oauth2/checksession`,
      userinfo_endpoint: `${o}/${t}/openid/userinfo`,
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
