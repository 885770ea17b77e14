import type { EmulatorRequest, EmulatorResponse } from "../http/types";
import { json } from "../http/router";
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

/** The v2 OpenID Connect discovery document, shaped like Entra's (tenant, its domain, common, organizations). */
export function openIdConfiguration(ctx: EntraContext, req: EmulatorRequest): EmulatorResponse {
  // Endpoints of a named tenant use its GUID; common/organizations keep the segment and a {tenantid} issuer.
  const tenant = discoveryTenant(ctx, req);
  if (!isDiscoveryTenant(tenant)) return tenant;
  const { origin: o, segment: t, issuerTenant } = tenant;
  return json(
    200,
    {
      token_endpoint: `${o}/${t}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS,
      jwks_uri: `${o}/${t}/discovery/v2.0/keys`,
      ...RESPONSE_AND_SIGNING_FIELDS,
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      // The issuer tokens carry (login.microsoftonline.com in public-hosts mode, whichever alias was asked).
      issuer: ctx.tokens.issuer(issuerTenant, 2),
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${o}/oidc/userinfo`,
      authorization_endpoint: `${o}/${t}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${o}/${t}/oauth2/v2.0/devicecode`,
      ...LOGOUT_FIELDS,
      end_session_endpoint: `${o}/${t}/oauth2/v2.0/logout`,
      claims_supported: [
        ...CLAIMS_SUPPORTED_HEAD,
        "nonce",
        "preferred_username",
        "name",
        "tid",
        "ver",
        "at_hash",
        "c_hash",
        "email",
      ],
      ...cloudInstanceFields(tenant),
    },
    DISCOVERY_CACHE_HEADERS,
  );
}

export function jwksDocument(ctx: EntraContext, req: EmulatorRequest): EmulatorResponse {
  const tenant = discoveryTenant(ctx, req);
  if (!isDiscoveryTenant(tenant)) return tenant;
  return json(200, ctx.tokens.jwks, DISCOVERY_CACHE_HEADERS);
}
