/**
 * Content-Security-Policy for the pane's pages (Teams tabs, channel tab config page, Outlook task pane).
 * `frame-ancestors` is exactly the list Microsoft documents for Teams, Outlook and the Microsoft 365 app
 * (https://learn.microsoft.com/microsoftteams/platform/tabs/how-to/tab-requirements), including the older
 * host names kept during the move to *.cloud.microsoft; nothing wider.
 */

/**
 * Microsoft's hosts allowed to frame the pane, exactly as documented: this list and nothing else is
 * `frame-ancestors` in production.
 */
export const MICROSOFT_HOST_FRAME_ANCESTORS: readonly string[] = [
  // All hosts (new domain)
  "https://*.cloud.microsoft",
  // Teams
  "https://teams.microsoft.com",
  "https://*.teams.microsoft.com",
  // Microsoft 365 app
  "https://*.microsoft365.com",
  "https://*.office.com",
  // Outlook
  "https://outlook.office.com",
  "https://outlook.office365.com",
  "https://outlook-sdf.office.com",
  "https://outlook-sdf.office365.com",
  // Older documented values, kept while the cloud.microsoft migration is under way
  "https://outlook.live.com",
  "https://teams.cloud.microsoft",
  "https://outlook.cloud.microsoft",
  "https://m365.cloud.microsoft",
];

/**
 * The hosts plus 'self', for development: the local host page (src/devhost) frames the pane from the
 * pane's own origin. A production server never sends 'self' here.
 */
export const HOST_FRAME_ANCESTORS: readonly string[] = ["'self'", ...MICROSOFT_HOST_FRAME_ANCESTORS];

/** Where office.js must be loaded from in the Outlook task pane (Microsoft requires the CDN copy). */
export const OFFICE_JS_ORIGIN = "https://appsforoffice.microsoft.com";

export interface PaneCspOptions {
  /** Origins the pane calls with fetch/XHR/WebSocket: backend, Entra (login), Graph, e.g. "https://graph.microsoft.com". */
  readonly connectOrigins: readonly string[];
  /** Extra script origins; the Outlook task pane page needs OFFICE_JS_ORIGIN. Default: none. */
  readonly scriptOrigins?: readonly string[];
  /** Origins the pane may frame (e.g. the Entra authority for MSAL's silent iframe in a plain browser). Default: none. */
  readonly frameOrigins?: readonly string[];
  /**
   * Whether the pane's own origin may frame it (development: the local host page). Default true;
   * production passes false, so `frame-ancestors` is exactly MICROSOFT_HOST_FRAME_ANCESTORS.
   */
  readonly selfMayFrame?: boolean;
}

export class CspOriginError extends Error {
  override readonly name = "CspOriginError";
  readonly code = "CSP_ORIGIN_INVALID";
}

/** An origin (https:// or wss://, host, optional port), written exactly as URL.origin would; no wildcards, paths or quotes. */
function checkOrigin(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const ok =
    url !== undefined &&
    (url.protocol === "https:" || url.protocol === "wss:") &&
    `${url.protocol}//${url.host}` === value;
  if (!ok)
    throw new CspOriginError(
      `CSP source must be an https:// or wss:// origin without path, like https://graph.microsoft.com (got ${JSON.stringify(value)})`,
    );
  return value;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** The header value for `Content-Security-Policy` on every pane response. */
export function paneContentSecurityPolicy(opts: PaneCspOptions): string {
  const connect = opts.connectOrigins.map(checkOrigin);
  const scripts = (opts.scriptOrigins ?? []).map(checkOrigin);
  const frames = (opts.frameOrigins ?? []).map(checkOrigin);
  const directives: [string, string[]][] = [
    ["default-src", ["'self'"]],
    ["script-src", unique(["'self'", ...scripts])],
    // Fluent UI v9 (Griffel) injects <style> elements at runtime.
    ["style-src", ["'self'", "'unsafe-inline'"]],
    ["img-src", ["'self'", "data:", "blob:"]],
    ["font-src", ["'self'", "data:"]],
    ["connect-src", unique(["'self'", ...connect])],
    ["frame-src", unique(["'self'", ...frames])],
    ["object-src", ["'none'"]],
    ["base-uri", ["'self'"]],
    ["form-action", ["'self'"]],
    ["frame-ancestors", [...(opts.selfMayFrame === false ? MICROSOFT_HOST_FRAME_ANCESTORS : HOST_FRAME_ANCESTORS)]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(" ")}`).join("; ");
}

/** Splits a CSP header value into directive name -> sources (for tests and diagnostics). */
export function parseContentSecurityPolicy(header: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of header.split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name !== undefined && name !== "" && !directives.has(name.toLowerCase()))
      directives.set(name.toLowerCase(), sources);
  }
  return directives;
}
