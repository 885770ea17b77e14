import type { ConfidentialClientApplication } from "@azure/msal-node";
import type { ServerConfig } from "../config";
import { readClientCertificate } from "./clientCertificate";
import type { Logger } from "../log";
import type { HttpClient } from "../net/httpClient";
import { networkModule, type Resource, type TokenProvider } from "./obo";
import type { Principal } from "./principal";

/**
 * The backend acting as itself in a tenant (the monitor): client credentials of its own Entra app
 * (JA_CLIENT_ID + JA_CLIENT_CERTIFICATE, else JA_CLIENT_SECRET) against the tenant's authority, `<resource>/.default`, through
 * msal-node as the CLI's app-only mode does (src/cli/signIn.ts). What the token grants is in its
 * `roles` claim (application permissions an admin consented to): Exchange.ManageAsApp for Exchange
 * (https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2) and
 * TeamsActivity.Send for Graph's sendActivityNotification. Entra issues a token without `roles`
 * when nothing was granted; the caller reads the claim to tell the admin what is missing.
 */
export type AppOnlyConfig = Pick<
  ServerConfig,
  | "authorityHost"
  | "clientId"
  | "clientSecret"
  | "clientCertificate"
  | "knownAuthorities"
  | "exchangeResource"
  | "graphResource"
>;

export interface AppOnlyToken {
  readonly token: string;
  /** The token's `roles` (application permissions granted). */
  readonly roles: readonly string[];
  /** The service principal's object id in the tenant (`oid`). */
  readonly oid: string;
  /** Directory roles of the service principal (`wids`), when the resource emits them. */
  readonly wids: readonly string[];
}

/** Entra refused to issue a token (the app is not in the tenant, a bad credential, ...): `code` is the AADSTS code. */
export class AppOnlyTokenError extends Error {
  readonly code = "app_only_token_failed";
  constructor(
    message: string,
    readonly aadsts: string | undefined,
    /** Entra could not be reached (network), as opposed to Entra saying no. */
    readonly unreachable: boolean,
  ) {
    super(message);
    this.name = "AppOnlyTokenError";
  }
}

export interface AppOnlyTokenProvider extends TokenProvider {
  /** A token for the resource; `fresh` skips msal's cache (after consent, the cached token lacks the new roles). */
  acquire(tenantId: string, resource: Resource, fresh?: boolean): Promise<AppOnlyToken>;
  /** The monitor's principal in a tenant, for the Exchange runner and the store. */
  principal(tenantId: string, token: AppOnlyToken): Principal;
}

type Msal = typeof import("@azure/msal-node");
let msal: Promise<Msal> | undefined;
const loadMsal = (): Promise<Msal> => (msal ??= import("@azure/msal-node"));

export function createAppOnlyTokenProvider(cfg: AppOnlyConfig, http: HttpClient, log: Logger): AppOnlyTokenProvider {
  const network = networkModule(http);
  // One confidential client for every tenant: each request names its tenant's authority, and msal's
  // cache keys app tokens by tenant. A client per tenant would hold a cache and authority metadata
  // each (1,000 watched tenants = 1,000 clients).
  let client: Promise<ConfidentialClientApplication> | undefined;
  const clientFor = (): Promise<ConfidentialClientApplication> =>
    (client ??= loadMsal().then(
      ({ ConfidentialClientApplication, LogLevel }) =>
        new ConfidentialClientApplication({
          auth: {
            clientId: cfg.clientId,
            // A certificate when one is configured (Microsoft's advice for app-only), else the secret.
            ...(cfg.clientCertificate !== null
              ? { clientCertificate: readClientCertificate(cfg.clientCertificate) }
              : { clientSecret: cfg.clientSecret }),
            authority: `${cfg.authorityHost}/organizations`,
            knownAuthorities: [...cfg.knownAuthorities],
          },
          system: {
            networkClient: network,
            loggerOptions: {
              piiLoggingEnabled: false,
              logLevel: LogLevel.Warning,
              loggerCallback: (_level, message) => log.debug("msal", { message }),
            },
          },
        }),
    ));

  const acquire = async (tenantId: string, resource: Resource, fresh = false): Promise<AppOnlyToken> => {
    const scope = `${resource === "exchange" ? cfg.exchangeResource : cfg.graphResource}/.default`;
    const cca = await clientFor();
    let result;
    try {
      // msal-node caches app tokens per tenant and scope and renews them shortly before expiry.
      result = await cca.acquireTokenByClientCredential({
        scopes: [scope],
        authority: `${cfg.authorityHost}/${tenantId}`,
        skipCache: fresh,
      });
    } catch (err) {
      const e = err as { errorCode?: string; errorMessage?: string; message?: string; name?: string };
      const text = (e.errorMessage ?? e.message ?? String(err)).split("\n")[0] ?? "";
      const aadsts = /AADSTS\d+/.exec(text)?.[0];
      const unreachable = aadsts === undefined && /network|ECONN|ENOTFOUND|timed? ?out/i.test(`${e.errorCode} ${text}`);
      log.warn("app-only token failed", { tenantId, resource, errorCode: e.errorCode ?? e.name ?? "unknown" });
      throw new AppOnlyTokenError(aadsts ? text : `${e.errorCode ?? "error"}: ${text}`, aadsts, unreachable);
    }
    if (!result?.accessToken) throw new AppOnlyTokenError("no token came back from Entra ID", undefined, false);
    const claims = decodeClaims(result.accessToken);
    // One client serves every tenant: a token for another tenant than asked would cross tenants.
    if (typeof claims.tid !== "string" || claims.tid.toLowerCase() !== tenantId.toLowerCase()) {
      throw new AppOnlyTokenError(`Entra ID issued a token for another tenant than ${tenantId}`, undefined, false);
    }
    const list = (v: unknown): string[] =>
      Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
    return {
      token: result.accessToken,
      roles: list(claims.roles),
      oid: typeof claims.oid === "string" ? claims.oid : "",
      wids: list(claims.wids),
    };
  };

  return {
    acquire,
    async tokenFor(principal: Principal, resource: Resource): Promise<string> {
      return (await acquire(principal.tenantId, resource)).token;
    },
    principal(tenantId: string, token: AppOnlyToken): Principal {
      return {
        tenantId,
        oid: token.oid || cfg.clientId,
        upn: `Journaling Assistant monitor (app ${cfg.clientId})`,
        name: "Journaling Assistant monitor",
        wids: token.wids,
        rolesFrom: "token",
        scopes: [],
        // The monitor has no user assertion: its tokens come from client credentials.
        assertion: "",
        exp: 0,
        appOnly: true,
      };
    },
  };
}

/**
 * The claims of a token Entra just issued to us over TLS: read for `roles`, `oid` and `wids` to tell
 * the admin what is missing; the resource (Exchange, Graph) validates the token itself.
 */
function decodeClaims(token: string): Record<string, unknown> {
  const payload = token.split(".")[1];
  if (payload === undefined) return {};
  try {
    return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return {};
  }
}
