/**
 * Public-hosts mode: the emulator answers as Microsoft's own host names, so Microsoft's client
 * libraries (MSAL, the Graph SDK, Exchange Online PowerShell) run against it with their default
 * endpoints once a machine resolves those names to the emulator (hosts file) and trusts its CA.
 *
 * Host names and their services: Microsoft identity platform authority hosts
 * (https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud: global cloud
 * `https://login.microsoftonline.com`; MSAL's instance discovery lists the aliases
 * login.microsoftonline.com, login.windows.net, login.microsoft.com and sts.windows.net, e.g.
 * msal-common `authority/AuthorityMetadata.mjs` and the recorded
 * `GET https://login.microsoftonline.com/common/discovery/instance` answers in Azure/azure-sdk-for-js),
 * Microsoft Graph (https://learn.microsoft.com/graph/deployments: global service root
 * `https://graph.microsoft.com`) and Exchange Online (the EXO V3 module's REST endpoint
 * `https://outlook.office365.com/adminapi/beta/{tenant}/InvokeCommand`; `outlook.office.com` is the
 * same service under its other name).
 */

export type PublicService = "login" | "graph" | "exchange";

export const PUBLIC_HOSTS: Readonly<Record<PublicService, readonly string[]>> = {
  login: ["login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net"],
  graph: ["graph.microsoft.com"],
  exchange: ["outlook.office365.com", "outlook.office.com"],
};

/** Every host name the emulator answers as, in the order the hosts-file lines list them. */
export const ALL_PUBLIC_HOSTS: readonly string[] = [
  ...PUBLIC_HOSTS.login,
  ...PUBLIC_HOSTS.graph,
  ...PUBLIC_HOSTS.exchange,
];

/** The canonical host of each service (what configuration and links name). */
export const CANONICAL_HOST: Readonly<Record<PublicService, string>> = {
  login: "login.microsoftonline.com",
  graph: "graph.microsoft.com",
  exchange: "outlook.office365.com",
};

/** Port of https; public-mode URLs carry no port, as Microsoft's do. */
export const PUBLIC_HOSTS_PORT = 443;

/**
 * Issuer of v2 tokens in public mode: `https://login.microsoftonline.com/{tid}/v2.0` whichever alias
 * was asked (access token claims reference, `iss`:
 * https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference; MSAL's own
 * endpoint metadata for every alias of the global cloud names this issuer host).
 */
export const PUBLIC_V2_ISSUER_BASE = "https://login.microsoftonline.com";

/**
 * Issuer of v1 tokens (Graph, Exchange Online and other resources that take v1 tokens):
 * `https://sts.windows.net/{tid}/` in both modes, as Entra issues them (access token claims
 * reference: "iss ... https://sts.windows.net/{tenantid}/ for v1.0 tokens").
 */
export const V1_ISSUER_BASE = "https://sts.windows.net";

/** Which service a host name (no port, any case) belongs to; undefined for any other name. */
export function serviceOfHost(hostname: string): PublicService | undefined {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  for (const service of Object.keys(PUBLIC_HOSTS) as PublicService[]) {
    if (PUBLIC_HOSTS[service].includes(name)) return service;
  }
  return undefined;
}

/**
 * The host a request asked for: the Host header (HTTP/1.1 requires it) or else the TLS server name.
 * Returns the header as sent (`name` or `name:port`) and the bare lower-case name; undefined when
 * neither is usable.
 */
export function askedHost(
  hostHeader: string | undefined,
  serverName: string | undefined,
): { authority: string; hostname: string } | undefined {
  const raw = (hostHeader ?? serverName ?? "").trim();
  // A host name or IPv4 address with an optional port; bracketed IPv6 literals are left to the caller.
  const m = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(raw);
  if (!m) return undefined;
  const hostname = m[1]!.toLowerCase().replace(/\.$/, "");
  const port = m[2] === undefined ? undefined : Number(m[2]);
  // The default port is never written (https://example:443 and https://example are one origin).
  const authority = port === undefined || port === PUBLIC_HOSTS_PORT ? hostname : `${hostname}:${port}`;
  return { authority, hostname };
}

/** Lines for /etc/hosts (or C:\Windows\System32\drivers\etc\hosts) that send the names to the emulator. */
export function hostsFileLines(address = "127.0.0.1"): string[] {
  return ALL_PUBLIC_HOSTS.map((h) => `${address} ${h}`);
}

/** `https://<canonical host>` of each service: the base URLs a client uses in public mode. */
export function publicOrigins(): Record<PublicService, string> {
  return {
    login: `https://${CANONICAL_HOST.login}`,
    graph: `https://${CANONICAL_HOST.graph}`,
    exchange: `https://${CANONICAL_HOST.exchange}`,
  };
}

/** Which part of the emulator answers a request, and the origin its links and documents name. */
export interface AskedService {
  /** `https://<host as asked>` in public-hosts mode, else the emulator's local origin. */
  origin: string;
  /** "local": a localhost name (or the default mode), where every service and `/_emulator/` answer. */
  service: PublicService | "local";
}

/**
 * In public-hosts mode the Host header (or SNI) decides: a login host answers as Entra ID, graph as
 * Microsoft Graph, outlook as the Exchange Online admin API, each with links on that host. Any other
 * name (localhost, 127.0.0.1) gets the whole emulator on its local origin, `/_emulator/` included:
 * Microsoft's hosts have no such paths.
 */
export function askedService(
  publicMode: boolean,
  localOrigin: string,
  hostHeader: string | undefined,
  serverName: string | undefined,
): AskedService {
  if (!publicMode) return { origin: localOrigin, service: "local" };
  const asked = askedHost(hostHeader, serverName);
  const service = asked === undefined ? undefined : serviceOfHost(asked.hostname);
  return asked !== undefined && service !== undefined
    ? { origin: `https://${asked.authority}`, service }
    : { origin: localOrigin, service: "local" };
}

/** The port the emulator listens on: `--port` when given, else 443 in public-hosts mode (Microsoft's URLs carry no port), else 4443. */
export function resolveEmulatorPort(options: { port?: number; publicHosts?: boolean }, defaultPort: number): number {
  return options.port ?? (options.publicHosts === true ? PUBLIC_HOSTS_PORT : defaultPort);
}
