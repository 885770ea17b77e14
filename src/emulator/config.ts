import { ROLE } from "../core/contract/roles";
import {
  API_APP_ID,
  API_CLIENT_SECRET,
  API_IDENTIFIER_URI,
  API_SCOPE,
  DAEMON_APP_ID,
  DAEMON_CLIENT_SECRET,
  EXCHANGE_APP,
  GRAPH_APP,
  PANE_APP_ID,
  findAppRegistration,
} from "./directory/apps";
import type { TenantRecord } from "./tenant";

/** What a demo or a test needs to point the product at the emulator (printed by --print-config). */
export interface EmulatorConfig {
  origin: string;
  caPath: string;
  /** Base URLs that replace login.microsoftonline.com, graph.microsoft.com and outlook.office365.com. */
  endpoints: { login: string; graph: string; exchange: string };
  tenants: { name: string; id: string; domains: string[]; authority: string }[];
  apps: {
    pane: { clientId: string; redirectUris: string[]; scopes: string[] };
    api: { clientId: string; secret: string; identifierUri: string; scope: string; oboScopes: string[] };
    daemon: { clientId: string; secret: string; tenant: string; scopes: string[]; roles: string[] };
  };
  users: { upn: string; password: string; roles: string[]; tenant: string }[];
}

const ROLE_NAMES: Record<string, string> = Object.fromEntries(Object.values(ROLE).map((r) => [r.id, r.name]));

export function roleName(templateId: string): string {
  return ROLE_NAMES[templateId] ?? templateId;
}

export function buildEmulatorConfig(origin: string, caPath: string, tenants: readonly TenantRecord[]): EmulatorConfig {
  const contoso = tenants.find((t) => t.directory.initialDomain === "contoso.onmicrosoft.com");
  return {
    origin,
    caPath,
    endpoints: { login: origin, graph: `${origin}/v1.0`, exchange: `${origin}/adminapi/beta` },
    tenants: tenants.map((t) => ({
      name: t.directory.initialDomain,
      id: t.directory.tenantId,
      domains: [...t.directory.acceptedDomains],
      authority: `${origin}/${t.directory.tenantId}`,
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
      },
      daemon: {
        clientId: DAEMON_APP_ID,
        secret: DAEMON_CLIENT_SECRET,
        tenant: contoso?.directory.tenantId ?? "",
        scopes: [`${EXCHANGE_APP.identifierUris[0]}/.default`],
        roles: ["Exchange.ManageAsApp", "Exchange Administrator"],
      },
    },
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
