import type { Parameters } from "../../core/exchange/catalog";
import { ExchangeError, type ExchangeErrorCode } from "../exchange/errors";
import type { ExchangeRunner } from "../exchange/runner";

/**
 * What makes a retried change safe. New- is not idempotent: before doing it again after an attempt
 * whose outcome is unknown, look with Get- whether the object is there; "already exists" (New-,
 * Add-) or "not found" (Remove-) after such an attempt means our earlier attempt did it.
 */
const LOOKUPS: Readonly<Record<string, { cmdlet: string; identityFrom: string }>> = {
  "New-OutboundConnector": { cmdlet: "Get-OutboundConnector", identityFrom: "Name" },
  "New-DistributionGroup": { cmdlet: "Get-DistributionGroup", identityFrom: "PrimarySmtpAddress" },
  "New-JournalRule": { cmdlet: "Get-JournalRule", identityFrom: "Name" },
};

export function alreadyDoneCode(cmdlet: string): ExchangeErrorCode | undefined {
  if (cmdlet.startsWith("New-") || cmdlet.startsWith("Add-")) return "already_exists";
  if (cmdlet.startsWith("Remove-")) return "not_found";
  return undefined;
}

export function existenceCheck(
  runner: ExchangeRunner,
  cmdlet: string,
  parameters: Parameters,
): (() => Promise<"retry" | "done">) | undefined {
  const lookup = LOOKUPS[cmdlet];
  const identity = lookup ? parameters[lookup.identityFrom] : undefined;
  if (!lookup || typeof identity !== "string") return undefined;
  return async () => {
    try {
      const rows = await runner.run(lookup.cmdlet, { Identity: identity });
      // Only the object itself counts: Get-OutboundConnector (and Get-AcceptedDomain) answer an
      // Identity that matches nothing with ALL objects (the cmdlet reference's caution).
      return rows.some((row) => namesObject(row, lookup.identityFrom, identity)) ? "done" : "retry";
    } catch (err) {
      if (err instanceof ExchangeError) return "retry";
      throw err;
    }
  };
}

/** Whether a Get- row is the object `identity` names (by the parameter New- named it with, or its Name/Identity). */
function namesObject(row: Record<string, unknown>, identityFrom: string, identity: string): boolean {
  const wanted = identity.toLowerCase();
  const same = (v: unknown): boolean => typeof v === "string" && v.toLowerCase() === wanted;
  return (
    same(row[identityFrom]) ||
    same(row.Name) ||
    same(row.Identity) ||
    (Array.isArray(row.EmailAddresses) &&
      row.EmailAddresses.some((a) => typeof a === "string" && a.replace(/^smtp:/i, "").toLowerCase() === wanted))
  );
}
