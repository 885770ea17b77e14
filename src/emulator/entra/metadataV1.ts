import { json } from "../http/router";
import type { EmulatorRequest, EmulatorResponse } from "../http/types";
import type { EntraContext } from "./context";
import {
  CLAIMS_SUPPORTED_HEAD,
  cloudInstanceFields,
  DISCOVERY_CACHE_HEADERS,
  discoveryTenant,
  isDiscoveryTenant,
  LOGOUT_FIELDS,
  RESPONSE_AND_SIGNING_FIELDS,
  TOKEN_ENDPOINT_AUTH_METHODS,
} from "./discoveryShared";

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
  const tenant = discoveryTenant(ctx, req);
  if (!isDiscoveryTenant(tenant)) return tenant;
  const { origin: o, segment: t, issuerTenant } = tenant;
  return json(
    200,
    {
      token_endpoint: `${o}/${t}/oauth2/token`,
      token_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS,
      jwks_uri: `${o}/common/discovery/keys`,
      ...RESPONSE_AND_SIGNING_FIELDS,
      response_types_supported: ["code", "id_token", "code id_token", "token id_token", "token"],
      scopes_supported: ["openid"],
      issuer: `${V1_ISSUER_ORIGIN}/${issuerTenant}/`,
      microsoft_multi_refresh_token: true,
      authorization_endpoint: `${o}/${t}/oauth2/authorize`,
      device_authorization_endpoint: `${o}/${t}/oauth2/devicecode`,
      ...LOGOUT_FIELDS,
      end_session_endpoint: `${o}/${t}/oauth2/logout`,
      claims_supported: [...CLAIMS_SUPPORTED_HEAD, "amr", "nonce", "email", "given_name", "family_name", "nickname"],
      check_session_iframe: `${o}/${t}/oauth2/checksession`,
      userinfo_endpoint: `${o}/${t}/openid/userinfo`,
      ...cloudInstanceFields(tenant),
    },
    DISCOVERY_CACHE_HEADERS,
  );
}
