import { getCmdletSpec } from "../../core/exchange/catalog";
import { bindParameters, issueToError } from "./binding";
import { connectorCmdlets } from "./cmdlets/connectors";
import type { CmdletHandler } from "./cmdlets/context";
import { directoryCmdlets } from "./cmdlets/directoryReads";
import { groupCmdlets } from "./cmdlets/groups";
import { journalCmdlets } from "./cmdlets/journal";
import { traceCmdlets } from "./cmdlets/trace";
import { transportCmdlets } from "./cmdlets/transport";
import { AccessDeniedError, CmdletError, EXCEPTION } from "./errors";
import { mayRun, parameterOutsideRoles, roleGroupsOf } from "./permissions";
import { pruneReplication } from "./replication";
import type { Caller, CmdletOutput, TenantRecord } from "./types";

/**
 * The cmdlet engine: pure apart from mutating the tenant record it is given. No HTTP, no
 * clock, no faults: the HTTP layer adds those. Tests drive it directly.
 */
const HANDLERS: Readonly<Record<string, CmdletHandler>> = {
  ...connectorCmdlets,
  ...transportCmdlets,
  ...journalCmdlets,
  ...groupCmdlets,
  ...directoryCmdlets,
  ...traceCmdlets,
};

export function supportedCmdlets(): string[] {
  return Object.keys(HANDLERS).sort();
}

/** Cmdlet names are case-insensitive in PowerShell; returns the canonical spelling. */
export function canonicalCmdlet(name: string): string | undefined {
  return Object.keys(HANDLERS).find((k) => k.toLowerCase() === name.toLowerCase());
}

export interface CmdletCall {
  cmdlet: string;
  parameters?: Readonly<Record<string, unknown>>;
}

/**
 * Runs one cmdlet for `caller` against `record` at time `now`. Throws CmdletError (a cmdlet
 * failure), AccessDeniedError (RBAC) or ThrottledError (message trace rate limit).
 */
export function runCmdlet(record: TenantRecord, caller: Caller, call: CmdletCall, now: Date): CmdletOutput {
  const parameters = call.parameters ?? {};
  const name = canonicalCmdlet(call.cmdlet);
  // Module-only cmdlets (Get-EXOMailbox, Connect-ExchangeOnline) exist in the catalog but not on the server.
  if (!name || !getCmdletSpec(name)) throw issueToError({ kind: "unknownCmdlet", cmdlet: call.cmdlet }, parameters);
  const roleGroups = roleGroupsOf(record, caller);
  if (!mayRun(name, caller.roles, roleGroups)) throw new AccessDeniedError(name);
  const outside = parameterOutsideRoles(name, parameters, caller.roles, roleGroups);
  if (outside !== undefined) {
    throw new CmdletError(
      EXCEPTION.parameterBinding,
      `A parameter cannot be found that matches parameter name '${outside}'.`,
    );
  }
  const bound = bindParameters(name, parameters);
  pruneReplication(record.exchange, now);
  const handler = HANDLERS[name];
  if (!handler) throw issueToError({ kind: "unknownCmdlet", cmdlet: call.cmdlet }, parameters);
  if (bound.WhatIf === true) {
    // -WhatIf: the cmdlet validates as usual (its errors still surface) but changes nothing.
    // It runs against a throw-away copy of the tenant; the "What if:" text goes to the host
    // stream, which the REST answer doesn't carry [emulator].
    handler({ record: structuredClone(record), now, caller }, bound);
    return { rows: [], warnings: [] };
  }
  return handler({ record, now, caller }, bound);
}

/** Cmdlets this caller may run (Entra roles and Exchange role groups), for the EXOModuleFile pre-flight. */
export function allowedCmdlets(roles: readonly string[], roleGroups: readonly string[] = []): string[] {
  return supportedCmdlets().filter((c) => mayRun(c, roles, roleGroups));
}
