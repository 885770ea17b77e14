import { createHash } from "node:crypto";
import type {
  ConfidentialClientApplication,
  INetworkModule,
  NetworkRequestOptions,
  NetworkResponse,
} from "@azure/msal-node";
import type { ServerConfig } from "../config";
import type { Logger } from "../log";
import type { HttpClient } from "../net/httpClient";
import type { Principal } from "./principal";

/**
 * Exchange (and Graph) tokens on behalf of the signed-in user, through msal-node's
 * acquireTokenOnBehalfOf. One confidential client per tenant (authority = the user's tenant).
 * Tokens live in memory until shortly before they expire; they are never written anywhere.
 */
export type OboConfig = Pick<
  ServerConfig,
  "authorityHost" | "clientId" | "clientSecret" | "knownAuthorities" | "exchangeResource" | "graphResource"
>;

export type Resource = "exchange" | "graph";

/** The on-behalf-of exchange failed; `consentOrInteraction` means the user must sign in again. */
export class OboError extends Error {
  readonly code = "obo_failed";
  constructor(
    message: string,
    readonly consentOrInteraction: boolean,
  ) {
    super(message);
    this.name = "OboError";
  }
}

export interface TokenProvider {
  tokenFor(principal: Principal, resource: Resource): Promise<string>;
}

/** Reuse a token until this long before it expires. */
const EXPIRY_MARGIN_MS = 2 * 60 * 1000;
const MAX_CACHE_ENTRIES = 5000;

export function networkModule(http: HttpClient): INetworkModule {
  const call = async <T>(
    method: "GET" | "POST",
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> => {
    const res = await http.send({
      method,
      url,
      ...(options?.headers ? { headers: options.headers } : {}),
      ...(options?.body !== undefined ? { body: options.body } : {}),
      timeoutMs: timeout ?? 30_000,
      // Token requests (and MSAL's metadata GETs) may be sent again: each answer is a fresh token.
      idempotent: true,
    });
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      // MSAL expects an object; a non-JSON answer becomes an error object it can report.
      body = { error: "invalid_response", error_description: `HTTP ${res.status} without a JSON body` };
    }
    return { status: res.status, headers: { ...res.headers }, body: body as T };
  };
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) =>
      call<T>("GET", url, options, timeout),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => call<T>("POST", url, options),
  };
}

type Msal = typeof import("@azure/msal-node");
let msal: Promise<Msal> | undefined;
/** msal-node takes about 0.3 s to load: the first on-behalf-of exchange loads it, not the server's start. */
const loadMsal = (): Promise<Msal> => (msal ??= import("@azure/msal-node"));

export function createOboTokenProvider(
  cfg: OboConfig,
  http: HttpClient,
  log: Logger,
  now: () => number = Date.now,
): TokenProvider {
  const clients = new Map<string, ConfidentialClientApplication>();
  const cache = new Map<string, { token: string; expiresAt: number }>();
  const inflight = new Map<string, Promise<string>>();
  const network = networkModule(http);

  const clientFor = async (tenantId: string): Promise<ConfidentialClientApplication> => {
    const { ConfidentialClientApplication, LogLevel } = await loadMsal();
    let c = clients.get(tenantId);
    if (!c) {
      c = new ConfidentialClientApplication({
        auth: {
          clientId: cfg.clientId,
          clientSecret: cfg.clientSecret,
          authority: `${cfg.authorityHost}/${tenantId}`,
          knownAuthorities: [...cfg.knownAuthorities],
        },
        system: {
          networkClient: network,
          loggerOptions: {
            piiLoggingEnabled: false,
            logLevel: LogLevel.Warning,
            // MSAL's own messages go to our log without PII (piiLoggingEnabled: false).
            loggerCallback: (_level, message) => log.debug("msal", { message }),
          },
        },
      });
      clients.set(tenantId, c);
    }
    return c;
  };

  const prune = (): void => {
    const t = now();
    for (const [k, v] of cache) if (v.expiresAt <= t) cache.delete(k);
    while (cache.size > MAX_CACHE_ENTRIES) {
      const first = cache.keys().next();
      if (first.done) break;
      cache.delete(first.value);
    }
  };

  return {
    async tokenFor(principal: Principal, resource: Resource): Promise<string> {
      const scope = `${resource === "exchange" ? cfg.exchangeResource : cfg.graphResource}/.default`;
      const key = createHash("sha256")
        .update(`${principal.tenantId}\n${scope}\n${principal.assertion}`)
        .digest("base64url");
      const hit = cache.get(key);
      if (hit && hit.expiresAt > now()) return hit.token;
      const pending = inflight.get(key);
      if (pending) return pending;
      const p = (async () => {
        try {
          const client = await clientFor(principal.tenantId);
          const result = await client.acquireTokenOnBehalfOf({
            oboAssertion: principal.assertion,
            scopes: [scope],
          });
          if (!result?.accessToken) throw new OboError("no token came back from the on-behalf-of exchange", false);
          const expiresAt = (result.expiresOn?.getTime() ?? now() + 5 * 60 * 1000) - EXPIRY_MARGIN_MS;
          prune();
          cache.set(key, { token: result.accessToken, expiresAt: Math.max(expiresAt, now() + 10_000) });
          return result.accessToken;
        } catch (err) {
          if (err instanceof OboError) throw err;
          const e = err as { errorCode?: string; name?: string };
          const interaction =
            e.name === "InteractionRequiredAuthError" ||
            ["invalid_grant", "interaction_required", "consent_required"].includes(e.errorCode ?? "");
          log.warn("on-behalf-of failed", {
            tenantId: principal.tenantId,
            resource,
            errorCode: e.errorCode ?? e.name ?? "unknown",
          });
          throw new OboError(
            `could not get a ${resource} token on behalf of the user (${e.errorCode ?? "error"})`,
            interaction,
          );
        } finally {
          inflight.delete(key);
        }
      })();
      inflight.set(key, p);
      return p;
    },
  };
}
