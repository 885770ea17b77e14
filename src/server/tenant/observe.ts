import { parseObservedState, resolveDesiredState, sameAddress, type ObservedState } from "../../core";
import { ExchangeError } from "../exchange/errors";
import type { ExchangeRunner, Row } from "../exchange/runner";

/**
 * Reads the tenant with the Get- cmdlets, all at once, into the core's observed-state format.
 * Members are read for the groups the desired state names (the planner needs exactly those).
 * A failed read fails the whole read: no plan is ever built from a partial picture.
 */
export interface ObservedRead {
  readonly observed: ObservedState;
  readonly readAt: string;
}

export class ObservedStateError extends Error {
  readonly code = "observed_invalid";
  constructor(message: string) {
    super(message);
    this.name = "ObservedStateError";
  }
}

/** Group addresses a desired state names (none when it is invalid or journals everyone). */
export function desiredGroupAddresses(desired: unknown): string[] {
  const resolved = resolveDesiredState(desired);
  if (!resolved.ok) return [];
  return resolved.value.targets.flatMap((t) => (t.group ? [t.group.address] : []));
}

export async function readObservedState(
  runner: ExchangeRunner,
  groupAddresses: readonly string[],
  now: () => Date = () => new Date(),
): Promise<ObservedRead> {
  const unique = [...new Map(groupAddresses.map((a) => [a.toLowerCase(), a])).values()];
  const readMembers = async (address: string, retryNotFound: boolean): Promise<Row[] | undefined> => {
    try {
      return await runner.run(
        "Get-DistributionGroupMember",
        { Identity: address, ResultSize: "Unlimited" },
        { retryNotFound },
      );
    } catch (err) {
      // No such group (yet): the planner will create it; there are no members to compare.
      if (err instanceof ExchangeError && err.code === "not_found") return undefined;
      throw err;
    }
  };
  const [connectors, transport, rules, groups, ...members] = await Promise.all([
    runner.run("Get-OutboundConnector", {}),
    runner.run("Get-TransportConfig", {}),
    runner.run("Get-JournalRule", {}),
    runner.run("Get-DistributionGroup", { ResultSize: "Unlimited" }),
    ...unique.map((a) => readMembers(a, false)),
  ]);
  const memberMap: Record<string, Row[]> = {};
  const missing: string[] = [];
  unique.forEach((address, i) => {
    const rows = members[i];
    if (rows) memberMap[address] = rows;
    else if (
      groups.some((g) => typeof g.PrimarySmtpAddress === "string" && sameAddress(g.PrimarySmtpAddress, address))
    ) {
      missing.push(address);
    }
  });
  // A group listed by Get-DistributionGroup whose members were "not found" has just been created
  // and not replicated everywhere: wait for it rather than plan without its members.
  const late = await Promise.all(missing.map((a) => readMembers(a, true)));
  missing.forEach((address, i) => {
    memberMap[address] = late[i] ?? [];
  });
  const parsed = parseObservedState({
    "Get-OutboundConnector": connectors,
    "Get-TransportConfig": transport[0] ?? {},
    "Get-JournalRule": rules,
    "Get-DistributionGroup": groups,
    "Get-DistributionGroupMember": memberMap,
  });
  if (!parsed.ok) {
    throw new ObservedStateError(
      `Exchange returned objects this product cannot read: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`,
    );
  }
  return { observed: parsed.value, readAt: now().toISOString() };
}
