import type { MonitorIdentity } from "../../core/contract";
import { MONITOR_CALLS } from "../../core/monitor/cmdlets";
import { AppOnlyTokenError, type AppOnlyTokenProvider } from "../auth/appOnly";
import type { Principal } from "../auth/principal";
import { ExchangeError } from "../exchange/errors";
import type { ExchangeRunnerFactory } from "../exchange/factory";

/**
 * Whether the backend's own app may watch a tenant, and if not, the one thing the admin does:
 * - needsConsent: Entra refuses the app (not in the tenant) or its tokens lack an application
 *   permission (`roles`): an admin grants them at the admin consent endpoint
 *   ({authority}/{tenant}/adminconsent?client_id=&redirect_uri=&state=,
 *   https://learn.microsoft.com/entra/identity-platform/v2-admin-consent);
 * - needsExchangeRole: Exchange refuses the app-only Get-TransportConfig: the app's service principal
 *   needs an Entra role such as Exchange Administrator (or an Exchange RBAC role assignment), as
 *   app-only Exchange PowerShell requires (https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2,
 *   "Assign Microsoft Entra roles to the application").
 */
export const REQUIRED_PERMISSIONS = { exchange: "Exchange.ManageAsApp", graph: "TeamsActivity.Send" } as const;

export const EXCHANGE_ROLE_HELP =
  "In the Microsoft Entra admin center, open Roles & admins > Exchange Administrator > Add assignments, and assign the role to the Journaling Assistant app (its enterprise application). Exchange can take up to an hour to see a new role.";

export interface IdentityCheck {
  readonly identity: MonitorIdentity;
  /** Set when ready: the monitor's principal in the tenant. */
  readonly principal?: Principal;
}

export interface IdentityOptions {
  readonly tokens: AppOnlyTokenProvider;
  readonly runners: ExchangeRunnerFactory;
  readonly clientId: string;
  readonly authorityHost: string;
  /** Where Entra sends the admin back after consent (a redirect URI registered on the app). */
  readonly consentRedirectUri: string;
  readonly now?: () => number;
}

/**
 * Entra's answers that mean the app's credential itself is wrong (Microsoft identity platform,
 * "AADSTS error codes"): 7000215 invalid client secret, 7000222 expired secret, 700027 the client
 * assertion's signature or certificate is not the app's, 700024 the assertion is not within its
 * valid time range.
 */
const CREDENTIAL_REFUSED = new Set(["AADSTS7000215", "AADSTS7000222", "AADSTS700027", "AADSTS700024"]);

/** Ready identities are trusted this long; a not-ready answer is asked again sooner (the admin is fixing it). */
const READY_TTL_MS = 10 * 60_000;
const NOT_READY_TTL_MS = 15_000;

export class MonitorIdentityService {
  private readonly cache = new Map<string, { at: number; check: IdentityCheck }>();
  private readonly now: () => number;

  constructor(private readonly o: IdentityOptions) {
    this.now = o.now ?? Date.now;
  }

  consentUrl(tenantId: string): string {
    const q = new URLSearchParams({
      client_id: this.o.clientId,
      redirect_uri: this.o.consentRedirectUri,
      state: "monitor-consent",
    });
    return `${this.o.authorityHost}/${tenantId}/adminconsent?${q.toString()}`;
  }

  /** The identity's state in the tenant; `fresh` asks Entra and Exchange again (after the admin acted). */
  async check(tenantId: string, fresh = false): Promise<IdentityCheck> {
    const hit = this.cache.get(tenantId);
    const ttl = hit?.check.identity.state === "ready" ? READY_TTL_MS : NOT_READY_TTL_MS;
    if (hit && !fresh && this.now() - hit.at < ttl) return hit.check;
    const check = await this.probe(tenantId, fresh || hit?.check.identity.state !== "ready");
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(tenantId, { at: this.now(), check });
    return check;
  }

  /** Forgets a tenant's state (Exchange refused a check: ask again next time). */
  forget(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  private async probe(tenantId: string, fresh: boolean): Promise<IdentityCheck> {
    const clientId = this.o.clientId;
    const needsConsent = (text: string, missing: string[]): IdentityCheck => ({
      identity: {
        clientId,
        state: "needsConsent",
        text,
        consentUrl: this.consentUrl(tenantId),
        missingPermissions: missing,
      },
    });
    let exchange;
    let graph;
    try {
      [exchange, graph] = await Promise.all([
        this.o.tokens.acquire(tenantId, "exchange", fresh),
        this.o.tokens.acquire(tenantId, "graph", fresh),
      ]);
    } catch (err) {
      // A refused credential (a wrong or expired secret, a certificate Entra does not know) is the
      // operator's to fix; consent would not help.
      if (err instanceof AppOnlyTokenError && err.aadsts !== undefined && CREDENTIAL_REFUSED.has(err.aadsts)) {
        return {
          identity: {
            clientId,
            state: "unavailable",
            text: `Entra ID refused the backend's own credential (${err.message}). The backend's operator fixes JA_CLIENT_SECRET or JA_CLIENT_CERTIFICATE; consent does not help.`,
          },
        };
      }
      if (err instanceof AppOnlyTokenError && !err.unreachable) {
        return needsConsent(
          `Entra ID does not let the Journaling Assistant app act on its own in this tenant yet (${err.message}). An administrator grants it once with admin consent.`,
          [REQUIRED_PERMISSIONS.exchange, REQUIRED_PERMISSIONS.graph],
        );
      }
      return {
        identity: {
          clientId,
          state: "unavailable",
          text: `Entra ID could not be reached to check the monitor's identity: ${(err as Error).message}`,
        },
      };
    }
    const missing = [
      ...(exchange.roles.includes(REQUIRED_PERMISSIONS.exchange) ? [] : [REQUIRED_PERMISSIONS.exchange]),
      ...(graph.roles.includes(REQUIRED_PERMISSIONS.graph) ? [] : [REQUIRED_PERMISSIONS.graph]),
    ];
    if (missing.length > 0) {
      return needsConsent(
        `The Journaling Assistant app lacks the application permission${missing.length === 1 ? "" : "s"} ${missing.join(" and ")}: an administrator grants ${missing.length === 1 ? "it" : "them"} with admin consent.`,
        missing,
      );
    }
    const principal = this.o.tokens.principal(tenantId, exchange);
    try {
      const probe = MONITOR_CALLS.identityProbe;
      await this.o.runners.forPrincipal(principal).run(probe.cmdlet, { ...probe.parameters }, { maxAttempts: 1 });
    } catch (err) {
      if (err instanceof ExchangeError && (err.code === "access_denied" || err.code === "unauthenticated")) {
        return {
          identity: {
            clientId,
            state: "needsExchangeRole",
            text: `Exchange Online refuses the Journaling Assistant app (${err.message}): its service principal needs an Exchange role.`,
            exchangeRoleHelp: EXCHANGE_ROLE_HELP,
          },
        };
      }
      return {
        identity: {
          clientId,
          state: "unavailable",
          text: `Exchange Online could not be asked whether the app may read the tenant: ${(err as Error).message}`,
        },
      };
    }
    return {
      identity: {
        clientId,
        state: "ready",
        text: "The Journaling Assistant app may read Exchange and send Teams notifications in this tenant.",
      },
      principal,
    };
  }
}
