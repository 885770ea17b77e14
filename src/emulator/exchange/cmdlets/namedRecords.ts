import { CmdletError, EXCEPTION, objectNotFound } from "../errors";
import { forget, markChanged, visibleList } from "../replication";
import type { ExchangeState } from "../types";
import { checkNameLength, noChangeWarning, output, sameName, type CmdletContext, type CmdletHandler } from "./context";

/**
 * Exchange objects the emulator keeps as its own records, keyed by GUID with a tenant-unique
 * name (outbound connectors, journal rules). Their cmdlets find, rename, change and remove
 * them the same way, so those steps live here once.
 */
export interface NamedRecord {
  Guid: string;
  Name: string;
  WhenChanged: string;
}

/** -Identity of these objects is their name or their GUID, case-insensitively. */
export function matchesIdentity(r: { Name: string; Guid: string }, identity: string): boolean {
  return sameName(r.Name, identity) || sameName(r.Guid, identity);
}

/** The records as cmdlets see them (a change is invisible until it has replicated). */
export function visibleRecords<T extends NamedRecord>(ctx: CmdletContext, items: readonly T[]): T[] {
  return visibleList(ctx.record.exchange, items, (r) => r.Guid, ctx.now);
}

/**
 * The stored record that a visible one named by `identity` stands for; Exchange's
 * "couldn't be found" error when cmdlets can't see it.
 */
export function findRecord<T extends NamedRecord>(ctx: CmdletContext, items: readonly T[], identity: string): T {
  const visible = visibleRecords(ctx, items).find((r) => matchesIdentity(r, identity));
  const actual = visible && items.find((r) => r.Guid === visible.Guid);
  if (!actual) throw objectNotFound(identity, ctx.record.exchange.domainController);
  return actual;
}

/**
 * Refuses a name another record already has. It looks at the stored records, not the visible
 * ones: the directory refuses a duplicate at once, replication or not.
 * `what` starts the message, e.g. "A journal rule".
 */
export function checkUniqueRecordName(
  items: readonly NamedRecord[],
  what: string,
  name: string,
  exceptGuid?: string,
): void {
  if (items.some((r) => sameName(r.Name, name) && r.Guid !== exceptGuid)) {
    // [emulator] wording; the exception type is Exchange's "already exists" one.
    throw new CmdletError(EXCEPTION.alreadyExists, `${what} with the name '${name}' already exists.`);
  }
}

/** -Name of a Set- cmdlet: Exchange's length rule, then the name must be free, then `next` takes it. */
export function renameRecord(items: readonly NamedRecord[], what: string, next: NamedRecord, name?: string): void {
  if (name === undefined) return;
  checkNameLength(name);
  checkUniqueRecordName(items, what, name, next.Guid);
  next.Name = name;
}

/** Copies `next` onto the stored object and starts replicating the change under `key`. */
export function applyTrackedChange<T extends object>(ctx: CmdletContext, key: string, actual: T, next: T): void {
  const snapshot = structuredClone(actual);
  Object.assign(actual, next);
  markChanged(ctx.record.exchange, key, snapshot, ctx.now);
}

/**
 * Ends a Set-/Enable-/Disable- cmdlet: Exchange's "no settings modified" warning when `next`
 * differs from `actual` only in WhenChanged, else the change is stored with a new WhenChanged.
 */
export function commitRecord<T extends NamedRecord>(ctx: CmdletContext, actual: T, next: T): ReturnType<CmdletHandler> {
  const { WhenChanged: _a, ...before } = actual;
  const { WhenChanged: _b, ...after } = next;
  if (JSON.stringify(before) === JSON.stringify(after)) return output([], [noChangeWarning(actual.Name)]);
  next.WhenChanged = ctx.now.toISOString();
  applyTrackedChange(ctx, actual.Guid, actual, next);
  return output();
}

/** `items` without the record `guid`, whose pending replication is dropped with it. */
export function withoutRecord<T extends NamedRecord>(state: ExchangeState, items: readonly T[], guid: string): T[] {
  forget(state, guid);
  return items.filter((r) => r.Guid !== guid);
}
