import { header } from "../http/router";
import type { EmulatorRequest } from "../http/types";
import {
  advancedOperator,
  evaluateFilter,
  filterProperties,
  FilterSyntaxError,
  parseFilter,
  type FilterExpr,
} from "./filter";
import { expandContext, expandInto, parseExpand, type ExpandSpec } from "./expand";
import { project, type CollectionItem } from "./items";
import { checkOrderBy, parseOrderBy, sortItems, type OrderableSpec } from "./orderby";
import { GraphQueryError } from "./queryError";
import type { GraphObject } from "./shapes";

/**
 * OData query options for Graph collections: $select, $top, $filter, $search, $count, $orderby, $expand
 * and paging by @odata.nextLink ($skiptoken), with Graph's rules for advanced queries.
 */

export { GraphQueryError, project };
export type { CollectionItem };

export interface CollectionSpec {
  /** Graph type name for messages ("microsoft.graph.user"). */
  typeName: string;
  /** Resource name in filter messages ("User"). */
  resourceName: string;
  defaultSelect: string[];
  /** Properties the caller may $select; others are 403 (least privilege) when restricted is set. */
  readable?: string[];
  filterable: string[];
  searchable: string[];
  /** Print @odata.type on each item (directoryObject collections). */
  mixed: boolean;
  /** `${origin}/v1.0/$metadata#...` without the select list. */
  contextBase: string;
  /** Properties `$orderby` may sort on; without it every `$orderby` is refused as Graph refuses it. */
  orderable?: OrderableSpec;
  /** Navigations `$expand` may expand; without it every `$expand` is refused (no navigation of that name). */
  expand?: ExpandSpec;
}

const DEFAULT_PAGE = 100;
const MAX_PAGE = 999;

export function isAdvanced(req: EmulatorRequest): boolean {
  return (header(req, "consistencylevel") ?? "").toLowerCase() === "eventual";
}

export function parseSelect(
  req: EmulatorRequest,
  spec: { typeName: string; known: string[]; readable?: string[] },
): string[] | undefined {
  const raw = req.query.get("$select");
  if (raw === null || raw.trim() === "") return undefined;
  const wanted = raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const out: string[] = [];
  for (const w of wanted) {
    const known = spec.known.find((k) => k.toLowerCase() === w.toLowerCase());
    if (known === undefined) {
      throw new GraphQueryError(
        400,
        "Request_BadRequest",
        `Could not find a property named '${w}' on type '${spec.typeName}'.`,
      );
    }
    if (spec.readable !== undefined && !spec.readable.includes(known)) {
      throw new GraphQueryError(
        403,
        "Authorization_RequestDenied",
        "Insufficient privileges to complete the operation.",
      );
    }
    if (!out.includes(known)) out.push(known);
  }
  return out;
}

function parseSearch(raw: string): { prop: string; term: string }[][] {
  // "displayName:ann" OR "mail:anna" AND ... : OR of AND-groups of quoted clauses.
  const groups: { prop: string; term: string }[][] = [[]];
  const re = /"([^":]+):([^"]*)"|\b(AND|OR)\b/g;
  let consumed = "";
  for (let m = re.exec(raw); m !== null; m = re.exec(raw)) {
    consumed += m[0];
    if (m[3] === "OR") groups.push([]);
    else if (m[1] !== undefined) groups[groups.length - 1]!.push({ prop: m[1].trim(), term: (m[2] ?? "").trim() });
  }
  if (consumed.replace(/\s/g, "") !== raw.replace(/\s/g, "") || groups.some((g) => g.length === 0)) {
    throw new GraphQueryError(
      400,
      "Request_UnsupportedQuery",
      `Syntax error: the $search value ${raw} is not valid. Use "property:value" clauses in double quotes.`,
    );
  }
  return groups;
}

function matchesSearch(value: unknown, term: string): boolean {
  if (typeof value !== "string") return false;
  const t = term.toLowerCase();
  // Graph tokenizes on spaces, casing and symbols and matches word prefixes.
  return (
    value
      .toLowerCase()
      .split(/[\s@._-]+/)
      .some((w) => w.startsWith(t)) || value.toLowerCase().startsWith(t)
  );
}

export interface CollectionResult {
  body: GraphObject;
}

/** Filters, searches, pages and projects a collection as Graph does. */
export function runCollection(req: EmulatorRequest, items: CollectionItem[], spec: CollectionSpec): GraphObject {
  const advanced = isAdvanced(req);
  const count = (req.query.get("$count") ?? "").toLowerCase() === "true";
  if (count && !advanced) {
    throw new GraphQueryError(
      400,
      "Request_UnsupportedQuery",
      "$count is not currently supported without the header 'ConsistencyLevel: eventual'.",
    );
  }
  const searchRaw = req.query.get("$search");
  if (searchRaw !== null && !advanced) {
    throw new GraphQueryError(
      400,
      "Request_UnsupportedQuery",
      "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
    );
  }
  let filter: FilterExpr | undefined;
  const filterRaw = req.query.get("$filter");
  if (filterRaw !== null) {
    try {
      filter = parseFilter(filterRaw);
    } catch (e) {
      if (e instanceof FilterSyntaxError)
        throw new GraphQueryError(400, "BadRequest", `Invalid filter clause: ${e.message}`);
      throw e;
    }
    for (const prop of filterProperties(filter)) {
      if (!spec.filterable.some((p) => p.toLowerCase() === prop.toLowerCase())) {
        throw new GraphQueryError(
          400,
          "Request_UnsupportedQuery",
          `Unsupported or invalid query filter clause specified for property '${prop}' of resource '${spec.resourceName}'.`,
        );
      }
    }
    const op = advancedOperator(filter);
    if (op !== undefined && !(advanced && count)) {
      throw new GraphQueryError(
        400,
        "Request_UnsupportedQuery",
        `Operator '${op}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
      );
    }
  }
  const known = [...new Set([...spec.defaultSelect, ...Object.keys(items[0]?.props ?? {})])];
  const select = parseSelect(req, {
    typeName: spec.typeName,
    known,
    ...(spec.readable === undefined ? {} : { readable: spec.readable }),
  });
  const sortable = [...(spec.orderable?.byDefault ?? []), ...(spec.orderable?.advanced ?? [])];
  const orderBy = parseOrderBy(req.query.get("$orderby"), spec.typeName, [...known, ...sortable]);
  if (orderBy !== undefined) {
    checkOrderBy(orderBy, spec.orderable, { advancedWithCount: advanced && count, filtered: filter !== undefined });
  }
  const expand = parseExpand(req.query.get("$expand"), spec.typeName, spec.expand);
  const topRaw = req.query.get("$top");
  let top = DEFAULT_PAGE;
  if (topRaw !== null) {
    top = Number(topRaw);
    if (!Number.isInteger(top) || top < 1 || top > MAX_PAGE) {
      throw new GraphQueryError(
        400,
        "Request_UnsupportedQuery",
        `Invalid page size specified: '${topRaw}'. Must be between 1 and ${MAX_PAGE} inclusive.`,
      );
    }
  }
  let offset = 0;
  const skip = req.query.get("$skiptoken");
  if (skip !== null) {
    try {
      const decoded = JSON.parse(Buffer.from(skip, "base64url").toString("utf8")) as { o?: unknown };
      if (typeof decoded.o !== "number" || decoded.o < 0) throw new Error("bad");
      offset = decoded.o;
    } catch {
      throw new GraphQueryError(
        400,
        "Request_BadRequest",
        "The specified page token value has expired and can no longer be included in your request.",
      );
    }
  }

  const getter =
    (item: CollectionItem) =>
    (prop: string): unknown => {
      const key = Object.keys(item.props).find((k) => k.toLowerCase() === prop.toLowerCase());
      return key === undefined ? undefined : item.props[key];
    };
  let matched =
    filter === undefined ? items : items.filter((i) => i.limited !== true && evaluateFilter(filter, getter(i)));
  if (searchRaw !== null) {
    const groups = parseSearch(searchRaw.trim());
    for (const clause of groups.flat()) {
      if (!spec.searchable.includes(clause.prop)) {
        throw new GraphQueryError(
          400,
          "Request_UnsupportedQuery",
          `Unsupported query: property '${clause.prop}' does not support $search.`,
        );
      }
    }
    matched = matched.filter((i) => groups.some((g) => g.every((c) => matchesSearch(getter(i)(c.prop), c.term))));
  }
  if (orderBy !== undefined) matched = sortItems(matched, orderBy, (i, prop) => getter(i)(prop));
  const page = matched.slice(offset, offset + top);
  const selected = select ?? spec.defaultSelect;
  const contextSelect = [...(select ?? []), ...expandContext(expand)];
  const body: GraphObject = {
    "@odata.context": contextSelect.length === 0 ? spec.contextBase : `${spec.contextBase}(${contextSelect.join(",")})`,
  };
  if (count) body["@odata.count"] = matched.length;
  if (offset + top < matched.length) {
    const next = new URLSearchParams(req.query);
    next.delete("$skiptoken");
    next.set("$skiptoken", Buffer.from(JSON.stringify({ o: offset + top })).toString("base64url"));
    body["@odata.nextLink"] = `${req.origin}${req.path}?${next.toString().replace(/%24/g, "$").replace(/%2C/gi, ",")}`;
  }
  const readable = spec.readable;
  body.value = page.map((i) => {
    const out = project(i, selected, spec.mixed);
    // Without $select, properties outside the caller's permission come back null (User.ReadBasic.All).
    if (select === undefined && readable !== undefined) {
      for (const k of Object.keys(out)) if (!k.startsWith("@") && !readable.includes(k)) out[k] = null;
    }
    expandInto(out, i, expand);
    return out;
  });
  return body;
}
