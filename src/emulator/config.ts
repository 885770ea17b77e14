import { ROLE } from "../core/contract/roles";
import {
  API_APP_ID,
  API_CLIENT_SECRET,
  API_IDENTIFIER_URI,
  API_SCOPE,
  CLI_APP_ID,
  DAEMON_APP_ID,
  DAEMON_CLIENT_SECRET,
  EXCHANGE_APP,
  GRAPH_APP,
  PANE_APP_ID,
  findAppRegistration,
} from "./directory/apps";
import type { AppCertificates } from "./entra/appCertificates";
import { hostsFileLines, publicOrigins } from "./publicHosts";
import type { TenantRecord } from "./tenant";

/**
 * An app's certificate credential for client assertions (msal-node: `clientCertificate:
 * { thumbprintSha256, privateKey }`): uppercase hex thumbprints and the PEM files in the data folder.
 */
export interface CertificateConfig {
  thumbprint: string;
  thumbprintSha256: string;
  certificatePath: string;
  privateKeyPath: string;
}

/** What a demo or a test needs to point the product at the emulator (printed by --print-config). */
export interface EmulatorConfig {
  origin: string;
  caPath: string;
  /** Base URLs that replace login.microsoftonline.com, graph.microsoft.com and outlook.office365.com. */
  endpoints: { login: string; graph: string; exchange: string };
  tenants: { name: string; id: string; domains: string[]; authority: string }[];
  apps: {
    pane: { clientId: string; redirectUris: string[]; scopes: string[] };
    api: {
      clientId: string;
      secret: string;
      identifierUri: string;
      scope: string;
      oboScopes: string[];
      certificate?: CertificateConfig;
    };
    daemon: {
      clientId: string;
      secret: string;
      tenant: string;
      scopes: string[];
      roles: string[];
      certificate?: CertificateConfig;
    };
    /** The command line's public client (device code sign-in of a person): JA_CLIENT_ID without a secret. */
    cli: { clientId: string; scopes: string[] };
  };
  users: { upn: string; password: string; roles: string[]; tenant: string }[];
  /** Public-hosts mode only: how to point a machine (and the product) at the emulator. */
  publicHosts?: PublicHostsConfig;
}

/** What `--print-config` tells a user of public-hosts mode to do. */
export interface PublicHostsConfig {
  /** The port the emulator listens on; clients always use 443 (forward 443 to it when they differ). */
  port: number;
  /** Lines for /etc/hosts (Windows: C:\\Windows\\System32\\drivers\\etc\\hosts). */
  hostsFile: string[];
  /** Environment for Node.js clients (MSAL, the Graph SDK, the backend without JA_CA_FILE). */
  environment: { NODE_EXTRA_CA_CERTS: string };
  /** The product's backend: Microsoft's URLs are its defaults, so only the app and the CA are set. */
  backend: Record<string, string>;
}

const ROLE_NAMES: Record<string, string> = Object.fromEntries(Object.values(ROLE).map((r) => [r.id, r.name]));

export function roleName(templateId: string): string {
  return ROLE_NAMES[templateId] ?? templateId;
}

function certificateOf(certificates: AppCertificates | undefined, appId: string): { certificate?: CertificateConfig } {
  const cert = certificates?.get(appId)?.[0];
  if (cert === undefined) return {};
  const { thumbprint, thumbprintSha256, certificatePath, privateKeyPath } = cert;
  return { certificate: { thumbprint, thumbprintSha256, certificatePath, privateKeyPath } };
}

export function buildEmulatorConfig(
  origin: string,
  caPath: string,
  tenants: readonly TenantRecord[],
  certificates?: AppCertificates,
  /** Set in public-hosts mode: the port it listens on. */
  publicHosts?: { port: number },
): EmulatorConfig {
  const contoso = tenants.find((t) => t.directory.initialDomain === "contoso.onmicrosoft.com");
  // Public-hosts mode: clients use Microsoft's URLs (no port); /_emulator/ stays on the local origin.
  const base = publicHosts ? publicOrigins() : { login: origin, graph: origin, exchange: origin };
  return {
    origin,
    caPath,
    endpoints: { login: base.login, graph: `${base.graph}/v1.0`, exchange: `${base.exchange}/adminapi/beta` },
    tenants: tenants.map((t) => ({
      name: t.directory.initialDomain,
      id: t.directory.tenantId,
      domains: [...t.directory.acceptedDomains],
      authority: `${base.login}/${t.directory.tenantId}`,
    })),
    apps: {
      pane: {
        clientId: PANE_APP_ID,
        redirectUris: [...(findAppRegistration(PANE_APP_ID)?.redirectUris ?? [])],
        scopes: [
          `${API_IDENTIFIER_URI}/${API_SCOPE}`,
          "User.Read",
          "User.ReadBasic.All",
          "User.Read.All",
          "GroupMember.Read.All",
          "LicenseAssignment.Read.All",
        ],
      },
      api: {
        clientId: API_APP_ID,
        secret: API_CLIENT_SECRET,
        identifierUri: API_IDENTIFIER_URI,
        scope: `${API_IDENTIFIER_URI}/${API_SCOPE}`,
        oboScopes: [`${EXCHANGE_APP.identifierUris[0]}/.default`, `${GRAPH_APP.identifierUris[0]}/.default`],
        ...certificateOf(certificates, API_APP_ID),
      },
      daemon: {
        clientId: DAEMON_APP_ID,
        secret: DAEMON_CLIENT_SECRET,
        tenant: contoso?.directory.tenantId ?? "",
        scopes: [`${EXCHANGE_APP.identifierUris[0]}/.default`],
        roles: ["Exchange.ManageAsApp", "Exchange Administrator"],
        ...certificateOf(certificates, DAEMON_APP_ID),
      },
      cli: { clientId: CLI_APP_ID, scopes: [`${EXCHANGE_APP.identifierUris[0]}/.default`] },
    },
    ...(publicHosts
      ? {
          publicHosts: {
            port: publicHosts.port,
            hostsFile: hostsFileLines(),
            environment: { NODE_EXTRA_CA_CERTS: caPath },
            backend: {
              JA_CLIENT_ID: API_APP_ID,
              JA_CLIENT_SECRET: API_CLIENT_SECRET,
              JA_API_AUDIENCE: API_IDENTIFIER_URI,
              JA_CA_FILE: caPath,
            },
          },
        }
      : {}),
    users: tenants.flatMap((t) =>
      t.directory.users
        .filter((u) => u.password !== undefined)
        .map((u) => ({
          upn: u.userPrincipalName,
          password: u.password ?? "",
          roles: u.roles.map(roleName),
          tenant: t.directory.initialDomain,
        })),
    ),
  };
}
