import {
  CHANGE_ROLES,
  hasAnyRole,
  READ_ROLES,
  REQUIRED_ROLES_TEXT,
  roleNames,
  type CallerAccess,
  type RolesSource,
} from "../../core/contract/roles";
import { ExchangeError } from "../exchange/errors";
import type { ExchangeRunnerFactory } from "../exchange/factory";
import type { Logger } from "../log";
import type { DirectoryRoleReader } from "./directoryRoles";
import type { Principal } from "./principal";
import { TtlCache } from "./ttlCache";

/**
 * What a caller may do, decided in this order:
 * 1. Entra roles (the token's `wids`, or Graph when the token has none): Exchange Administrator and
 *    Global Administrator change; Global Reader and Compliance Administrator only read.
 * 2. No Entra role the product knows: Exchange Online's own RBAC decides. Members of Organization
 *    Management (or Compliance Management ...) hold no Entra role at all, yet Exchange lets them run
 *    the journaling cmdlets. The product cannot ask Exchange which role groups someone is in (no such
 *    cmdlet in its catalog), so it asks Exchange one cheap read on the caller's behalf
 *    (Get-TransportConfig): refused = no Exchange role at all, read-only; accepted = the caller may
 *    plan and apply, and Exchange checks every step (a refusal stops the run, naming the role).
 * Both answers are remembered per user for a few minutes.
 */
export interface AccessService {
  /** The caller with `wids` filled in from Graph when the token had none. */
  complete(principal: Principal): Promise<Principal>;
  /** What the caller may do; asks Exchange (remembered) only when `probe` and no Entra role decides. */
  decide(principal: Principal, probe: boolean): Promise<CallerAccess>;
}

export const EXCHANGE_VERDICT_TTL_MS = 5 * 60 * 1000;
/** The read that tells whether Exchange accepts the account at all (in the product's cmdlet catalog). */
export const PROBE_CMDLET = "Get-TransportConfig";

type Verdict = { readonly accepted: true } | { readonly accepted: false; readonly message: string };

export function createAccessService(deps: {
  readonly roles: DirectoryRoleReader;
  readonly runners: ExchangeRunnerFactory;
  readonly log: Logger;
  readonly now?: () => number;
}): AccessService {
  const verdicts = new TtlCache<Verdict>(EXCHANGE_VERDICT_TTL_MS, 5000, deps.now);

  const probe = async (principal: Principal): Promise<Verdict> => {
    try {
      await deps.runners.forPrincipal(principal).run(PROBE_CMDLET, {});
      return { accepted: true };
    } catch (err) {
      if (err instanceof ExchangeError && err.code === "access_denied") {
        deps.log.info("exchange refused the account", { tenantId: principal.tenantId, cmdlet: PROBE_CMDLET });
        return { accepted: false, message: err.message };
      }
      throw err;
    }
  };

  return {
    async complete(principal: Principal): Promise<Principal> {
      if (principal.rolesFrom !== "pending") return principal;
      const found = await deps.roles.rolesOf(principal);
      return found.ok
        ? { ...principal, wids: found.wids, rolesFrom: "graph" }
        : { ...principal, wids: [], rolesFrom: "unavailable", rolesProblem: found.problem };
    },

    async decide(principal: Principal, withProbe: boolean): Promise<CallerAccess> {
      const rolesFrom: RolesSource =
        principal.rolesFrom === "graph" || principal.rolesFrom === "unavailable" ? principal.rolesFrom : "token";
      if (rolesFrom === "unavailable") {
        return {
          kind: "rolesUnknown",
          rolesFrom,
          text: principal.rolesProblem ?? "Your directory roles could not be read.",
        };
      }
      const names = roleNames(principal.wids);
      if (hasAnyRole(principal.wids, CHANGE_ROLES)) {
        return { kind: "entraAdmin", rolesFrom, text: `Entra role ${names.join(", ")}.` };
      }
      if (hasAnyRole(principal.wids, READ_ROLES)) {
        return {
          kind: "entraReader",
          rolesFrom,
          text: `Entra role ${names.join(", ")}: you can read the tenant's setup; changing it needs ${REQUIRED_ROLES_TEXT}.`,
        };
      }
      const decides: CallerAccess = {
        kind: "exchangeDecides",
        rolesFrom,
        text: "Exchange decides: you have no Entra admin role, so Exchange Online checks each step against your Exchange role groups (Organization Management covers the whole setup). A step it refuses stops the run and names the role it needs.",
      };
      if (!withProbe) return decides;
      const verdict = await verdicts.get(`${principal.tenantId}/${principal.oid}`, () => probe(principal));
      if (verdict.accepted) return decides;
      return {
        kind: "none",
        rolesFrom,
        text: `Exchange Online refused your account: ${verdict.message.replace(/\.$/, "")}. You have no Entra admin role and no Exchange role group, so you can only follow the shared progress. Changing the setup needs ${REQUIRED_ROLES_TEXT}, or membership of the Exchange role group Organization Management.`,
      };
    },
  };
}
