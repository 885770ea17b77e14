import type { Router } from "../http/router";
import { ADMIN_CONSENT_PATHS, adminConsentGet, adminConsentPost } from "./adminConsent";
import { authorizeGet, authorizePost } from "./authorize";
import type { EntraContext } from "./context";
import { deviceCodeEndpoint, DEVICE_LOGIN_PATH } from "./deviceCode";
import { DEVICE_AUTH_PATH, deviceAuthGet, deviceAuthPost, deviceLoginRedirect } from "./deviceLogin";
import { jwksDocument, openIdConfiguration } from "./metadata";
import { INSTANCE_DISCOVERY_PATH, instanceDiscovery } from "./instanceDiscovery";
import { openIdConfigurationV1 } from "./metadataV1";
import { tokenEndpoint } from "./token";

/** Entra ID paths, as Microsoft's, under the emulator origin: v2 endpoints, the v1 discovery document and keys, device login. */
export function addEntraRoutes(router: Router, ctx: EntraContext): void {
  router
    .add("GET", "/:tenant/v2.0/.well-known/openid-configuration", (req) => openIdConfiguration(ctx, req))
    .add("GET", "/:tenant/.well-known/openid-configuration", (req) => openIdConfigurationV1(ctx, req))
    .add("GET", INSTANCE_DISCOVERY_PATH, (req) => instanceDiscovery(req, new Date(ctx.now())))
    .add("GET", "/:tenant/discovery/v2.0/keys", (req) => jwksDocument(ctx, req))
    // v1 keys: the same signing keys (Entra publishes one key set for both versions).
    .add("GET", "/:tenant/discovery/keys", (req) => jwksDocument(ctx, req))
    .add("GET", "/:tenant/oauth2/v2.0/authorize", (req) => authorizeGet(ctx, req))
    .add("POST", "/:tenant/oauth2/v2.0/authorize", (req) => authorizePost(ctx, req))
    .add("POST", "/:tenant/oauth2/v2.0/token", (req) => tokenEndpoint(ctx, req))
    .add("POST", "/:tenant/oauth2/v2.0/devicecode", (req) => deviceCodeEndpoint(ctx, req))
    .add("GET", DEVICE_LOGIN_PATH, () => deviceLoginRedirect())
    .add("GET", DEVICE_AUTH_PATH, (req) => deviceAuthGet(ctx, req))
    .add("POST", DEVICE_AUTH_PATH, (req) => deviceAuthPost(ctx, req));
  for (const path of ADMIN_CONSENT_PATHS) {
    router.add("GET", path, (req) => adminConsentGet(ctx, req)).add("POST", path, (req) => adminConsentPost(ctx, req));
  }
}

/** Paths that browsers call cross-origin (SPA token redemption, discovery, keys). */
export function isEntraCorsPath(path: string): boolean {
  return /^\/[^/]+\/(oauth2\/v2\.0\/token|(v2\.0\/)?\.well-known\/openid-configuration|discovery\/(v2\.0\/)?keys)$/i.test(
    path,
  );
}
