import type { Router } from "../http/router";
import { authorizeGet, authorizePost } from "./authorize";
import type { EntraContext } from "./context";
import { jwksDocument, openIdConfiguration } from "./metadata";
import { tokenEndpoint } from "./token";

/** Entra ID v2 paths, as Microsoft's, under the emulator origin. */
export function addEntraRoutes(router: Router, ctx: EntraContext): void {
  router
    .add("GET", "/:tenant/v2.0/.well-known/openid-configuration", (req) => openIdConfiguration(ctx, req))
    .add("GET", "/:tenant/discovery/v2.0/keys", (req) => jwksDocument(ctx, req))
    .add("GET", "/:tenant/oauth2/v2.0/authorize", (req) => authorizeGet(ctx, req))
    .add("POST", "/:tenant/oauth2/v2.0/authorize", (req) => authorizePost(ctx, req))
    .add("POST", "/:tenant/oauth2/v2.0/token", (req) => tokenEndpoint(ctx, req));
}

/** Paths that browsers call cross-origin (SPA token redemption, discovery, keys). */
export function isEntraCorsPath(path: string): boolean {
  return /^\/[^/]+\/(oauth2\/v2\.0\/token|v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys)$/i.test(
    path,
  );
}
