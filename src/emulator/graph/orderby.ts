import { GraphQueryError } from "./queryError";

/**
 * `$orderby` on directory objects. Source: "Advanced query capabilities on Microsoft Entra ID objects"
 * (https://learn.microsoft.com/graph/aad-advanced-queries, "Support for sorting by properties"):
 * - works by default: user displayName and userPrincipalName, group displayName;
 * - only with the advanced query parameters (ConsistencyLevel: eventual + $count=true): user createdDateTime
 *   and deletedDateTime, group deletedDateTime, and displayName on directoryObject relationships;
 * - "Use of $filter and $orderby in the same query for directory objects always requires advanced query
 *   parameters."
 * Without them (or on a property not listed) Graph answers 400 `Request_UnsupportedQuery` "Sorting not supported
 * for current query." (the message quoted in Microsoft's advanced-queries announcement, devblogs.microsoft.com/
 * microsoft365dev/build-advanced-queries-with-count-filter-search-and-orderby). A property the type does not have
 * is an OData parse error, worded as for `$select`.
 */

export interface OrderableSpec {
  /** Sortable without advanced query parameters. */
  byDefault: string[];
  /** Sortable only with ConsistencyLevel: eventual and $count=true. */
  advanced: string[];
}

export interface OrderClause {
  prop: string;
  desc: boolean;
}

const SORTING_NOT_SUPPORTED = "Sorting not supported for current query.";

/** The `$orderby` clauses, each property resolved to its declared name; undefined without `$orderby`. */
export function parseOrderBy(raw: string | null, typeName: string, known: string[]): OrderClause[] | undefined {
  if (raw === null || raw.trim() === "") return undefined;
  return raw.split(",").map((part) => {
    const m = /^\s*([A-Za-z0-9_]+)(?:\s+(asc|desc))?\s*$/i.exec(part);
    if (m === null) {
      throw new GraphQueryError(400, "BadRequest", `Syntax error at position 0 in '${part.trim()}'.`);
    }
    const prop = known.find((k) => k.toLowerCase() === m[1]!.toLowerCase());
    if (prop === undefined) {
      throw new GraphQueryError(
        400,
        "Request_BadRequest",
        `Could not find a property named '${m[1]!}' on type '${typeName}'.`,
      );
    }
    return { prop, desc: (m[2] ?? "").toLowerCase() === "desc" };
  });
}

/** Refuses sorting Graph does not do for this request (property, or missing advanced query parameters). */
export function checkOrderBy(
  clauses: OrderClause[],
  spec: OrderableSpec | undefined,
  request: { advancedWithCount: boolean; filtered: boolean },
): void {
  const refuse = (): GraphQueryError => new GraphQueryError(400, "Request_UnsupportedQuery", SORTING_NOT_SUPPORTED);
  if (spec === undefined) throw refuse();
  if (request.filtered && !request.advancedWithCount) throw refuse();
  for (const { prop } of clauses) {
    if (spec.byDefault.includes(prop)) continue;
    if (spec.advanced.includes(prop) && request.advancedWithCount) continue;
    throw refuse();
  }
}

function compare(a: unknown, b: unknown): number {
  // OData: null sorts before any value in ascending order.
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === "string" && typeof b === "string") {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === "number" && typeof b === "number") return a - b;
  // Sortable directory properties are strings (dates as ISO text) or numbers; anything else keeps its order.
  return 0;
}

/** A stably sorted copy of `items` by the clauses. */
export function sortItems<T>(items: T[], clauses: OrderClause[], get: (item: T, prop: string) => unknown): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((p, q) => {
      for (const { prop, desc } of clauses) {
        const c = compare(get(p.item, prop), get(q.item, prop));
        if (c !== 0) return desc ? -c : c;
      }
      return p.index - q.index;
    })
    .map((e) => e.item);
}
