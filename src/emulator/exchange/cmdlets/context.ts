import type { BoundParameters, ResultSize } from "../binding";
import { CmdletError, EXCEPTION } from "../errors";
import type { Caller, CmdletOutput, Row, TenantRecord } from "../types";

export interface CmdletContext {
  record: TenantRecord;
  now: Date;
  caller: Caller;
}

export type CmdletHandler = (ctx: CmdletContext, params: BoundParameters) => CmdletOutput;

export function output(rows: Row[] = [], warnings: string[] = []): CmdletOutput {
  return { rows, warnings };
}

/** Rows carry "<Prop>@odata.type" annotations for collections, as the real service's JSON does. */
export function annotate(row: Row): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    if (Array.isArray(value)) out[`${key}@odata.type`] = "#Collection(String)";
    out[key] = value;
  }
  return out;
}

/** Exchange's warning when a Set- cmdlet changes nothing. */
export function noChangeWarning(identity: string): string {
  return `The command completed successfully but no settings of '${identity}' have been modified.`;
}

export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Name-length rule of Exchange object names, for Set- cmdlets whose catalog entry has no maxLength. */
export function checkNameLength(name: string, max = 64): void {
  if (name.length > max) {
    throw new CmdletError(
      EXCEPTION.parameterBinding,
      `Cannot bind parameter 'Name' to the target. Exception setting "Name": "The length of the property is too long. The maximum length is ${max} and the length of the value provided is ${name.length}."`,
    );
  }
}

/** Does `domain` fall under a RecipientDomains entry ("*", "*.contoso.com", "contoso.com")? */
export function domainMatches(pattern: string, domain: string): boolean {
  const p = pattern.toLowerCase();
  const d = domain.toLowerCase();
  if (p === "*") return true;
  if (p.startsWith("*.")) {
    const base = p.slice(2);
    return d === base || d.endsWith(`.${base}`);
  }
  return p === d;
}

export function domainOf(address: string): string {
  return (address.split("@")[1] ?? "").toLowerCase();
}

/** Minimal OPATH -Filter support: `Prop -eq 'value'` and `Prop -like 'va*'`. */
export function applyFilter<T extends Row>(rows: T[], filter: string | undefined): T[] {
  if (filter === undefined) return rows;
  const m = /^\s*\(?\s*(\w+)\s+-(eq|like|ne)\s+['"]([^'"]*)['"]\s*\)?\s*$/i.exec(filter);
  if (!m) {
    throw new CmdletError(
      EXCEPTION.invalidOperation,
      `The emulator supports only -Filter "<Property> -eq|-ne|-like '<value>'"; got: ${filter}`,
    );
  }
  const [, prop = "", op = "", value = ""] = m;
  const re = new RegExp(`^${value.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i");
  return rows.filter((row) => {
    const key = Object.keys(row).find((k) => k.toLowerCase() === prop.toLowerCase());
    const raw = key === undefined ? undefined : row[key];
    const actual = typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean" ? String(raw) : "";
    if (op.toLowerCase() === "eq") return actual.toLowerCase() === value.toLowerCase();
    if (op.toLowerCase() === "ne") return actual.toLowerCase() !== value.toLowerCase();
    return re.test(actual);
  });
}

export function anrMatches(anr: string | undefined, values: readonly (string | null)[]): boolean {
  if (anr === undefined) return true;
  const a = anr.toLowerCase();
  return values.some((v) => v !== null && v.toLowerCase().startsWith(a));
}

/**
 * Trims a Get- cmdlet's rows to its ResultSize with Exchange's warning. The two texts differ: with
 * the default limit, "By default, only the first 1000 items are returned. ..." (kept from the
 * service's output); with an explicit -ResultSize, "There are more results available than are
 * currently displayed. To view them, increase the value for the ResultSize parameter." (the
 * warning Exchange's Get- cmdlets print, as reproduced in the help examples of community modules
 * that wrap them, e.g. Get-NestedDistributionGroupMember -ResultSize 10).
 */
export function limit<T>(rows: T[], resultSize: ResultSize, warnings: string[]): T[] {
  const { size, explicit } = resultSize;
  if (rows.length <= size) return rows;
  warnings.push(
    explicit
      ? "There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter."
      : `By default, only the first ${size} items are returned. Use the ResultSize parameter to specify the number of items returned. To return all items, specify "-ResultSize Unlimited". Be aware that, depending on the actual number of items, returning all items can take a long time and consume a large amount of memory. Also, we don't recommend storing the results in a variable. Instead, pipe the results to another task or script to perform batch changes.`,
  );
  return rows.slice(0, size);
}
