import { parseObservedState, resolveDesiredState, RESOURCES, sameAddress, type ObservedState } from "../../core";
import { ExchangeError } from "../exchange/errors";
import type { ExchangeRunner, Row } from "../exchange/runner";

/**
 * Reads the tenant with the Get- cmdlets the core's resource registry declares, all at once, into
 * the core's observed-state format. Per-list reads (members) run for the groups the desired state
 * names (the planner needs exactly those).
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
  const reads = RESOURCES.flatMap((r) => r.reads);
  const tenantWide = reads.flatMap((r) => (r.shape === "perGroup" ? [] : [r]));
  const perGroup = reads.flatMap((r) => (r.shape === "perGroup" ? [r] : []));
  const readGroup = async (
    read: (typeof perGroup)[number],
    address: string,
    retryNotFound: boolean,
  ): Promise<Row[] | undefined> => {
    try {
      return await runner.run(read.cmdlet, read.parameters(address), { retryNotFound });
    } catch (err) {
      // No such group (yet): the planner will create it; there are no members to compare.
      if (err instanceof ExchangeError && err.code === "not_found") return undefined;
      throw err;
    }
  };
  const [wide, groupReads] = await Promise.all([
    Promise.all(tenantWide.map((r) => runner.run(r.cmdlet, r.parameters))),
    Promise.all(perGroup.map((r) => Promise.all(unique.map((a) => readGroup(r, a, false))))),
  ]);
  const raw: Record<string, unknown> = {};
  tenantWide.forEach((r, i) => {
    const rows = wide[i] ?? [];
    raw[r.cmdlet] = r.shape === "one" ? (rows[0] ?? {}) : rows;
  });
  const groups = (raw["Get-DistributionGroup"] ?? []) as Row[];
  for (const [k, read] of perGroup.entries()) {
    const results = groupReads[k] ?? [];
    const map: Record<string, Row[]> = {};
    const missing: string[] = [];
    unique.forEach((address, i) => {
      const rows = results[i];
      if (rows) map[address] = rows;
      else if (
        groups.some((g) => typeof g.PrimarySmtpAddress === "string" && sameAddress(g.PrimarySmtpAddress, address))
      ) {
        missing.push(address);
      }
    });
    // A group listed by Get-DistributionGroup whose members were "not found" has just been created
    // and not replicated everywhere: wait for it rather than plan without its members.
    const late = await Promise.all(missing.map((a) => readGroup(read, a, true)));
    missing.forEach((address, i) => {
      map[address] = late[i] ?? [];
    });
    raw[read.cmdlet] = map;
  }
  const parsed = parseObservedState(raw);
  if (!parsed.ok) {
    throw new ObservedStateError(
      `Exchange returned objects this product cannot read: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`,
    );
  }
  return { observed: parsed.value, readAt: now().toISOString() };
}
