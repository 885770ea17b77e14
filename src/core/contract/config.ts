/**
 * The pane's runtime configuration, served by the pane's file server as /config.json (one build
 * for every environment). The pane checks it by hand (src/services/config.ts parsePaneConfig), so
 * zod stays out of its first render.
 */
export interface PaneConfig {
  /** Entra authority, e.g. https://login.microsoftonline.com/organizations (must be https). */
  readonly authority: string;
  /** The pane's (SPA) client id. */
  readonly clientId: string;
  /** Hosts MSAL may trust without instance discovery (the emulator's host:port). */
  readonly knownAuthorities: readonly string[];
  /** Graph root, e.g. https://graph.microsoft.com (the client adds /v1.0). */
  readonly graphBaseUrl: string;
  /** The backend's origin (the API lives under /api). */
  readonly backendUrl: string;
  /** The backend API's delegated scope, e.g. api://<host>/<clientId>/access_as_user. */
  readonly apiScope: string;
}
