import { project, type CollectionItem } from "./items";
import { GraphQueryError } from "./queryError";
import type { GraphObject } from "./shapes";

/**
 * `$expand` on directory objects, as Graph runs it. Sources:
 * - "Known issues with Microsoft Graph" (https://learn.microsoft.com/graph/known-issues, "Some limitations apply
 *   to query parameters"): `$expand` on relationships of directory objects "returns a maximum of 20 objects",
 *   has "no support for `@odata.nextLink`" and "no support for more than one level of expand".
 * - Microsoft's own examples nest `$select` (`$expand=manager($select=id,displayName)`, user-list-manager) and
 *   admin tools rely on `$expand=owners($select=id)`; other nested options are refused here [emulator wording].
 * - One expanded navigation per request on users: Graph answers 400 BadRequest "The result of parsing $expand
 *   contained at least 2 items, but the maximum allowed is 1." and Microsoft said "for users it is still limited to
 *   a single expanded navigation. That is not expected to change" (microsoftgraph/microsoft-graph-docs#96); a
 *   public admin tool records a 400 for `groups?$expand=owners,members` too, so groups get the same limit.
 * - A name that is not a navigation property of the type: 400 BadRequest "Parsing OData Select and Expand failed:
 *   Could not find a property named 'x' on type 'microsoft.graph.user'." (the message Graph returns, as in
 *   microsoftgraph/msgraph-sdk-powershell#2103 for a directoryObject).
 * - A real Graph navigation the emulator does not model (e.g. `drive`) is refused with 501 in Graph's error
 *   shape, never ignored [emulator].
 */

export const EXPAND_MAX_OBJECTS = 20;

export interface Navigation {
  /** Graph's name, e.g. "manager". */
  name: string;
  /** A collection (memberOf, owners) or a single object (manager). */
  many: boolean;
  /** The related objects of one item (limited when the caller may not read their type). */
  related: (item: CollectionItem) => CollectionItem[];
  /** Properties of a related object when the expand has no nested `$select`. */
  defaultSelect: (related: CollectionItem) => string[];
}

export interface ExpandSpec {
  navigations: Navigation[];
  /** Graph navigation properties of the type that the emulator does not model: 501, not silently dropped. */
  notEmulated: string[];
}

export interface ExpandRequest {
  nav: Navigation;
  select?: string[];
}

function invalid(message: string): GraphQueryError {
  return new GraphQueryError(400, "BadRequest", message);
}

/** Splits on commas outside parentheses. */
function topLevel(raw: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = "";
  for (const c of raw) {
    if (c === "(") depth++;
    if (c === ")") depth--;
    if (c === "," && depth === 0) {
      out.push(current);
      current = "";
    } else {
      current += c;
    }
  }
  out.push(current);
  return out.map((s) => s.trim()).filter((s) => s !== "");
}

/** The `$expand` of the request against the type's navigations; undefined without `$expand`. */
export function parseExpand(
  raw: string | null,
  typeName: string,
  spec: ExpandSpec | undefined,
): ExpandRequest[] | undefined {
  if (raw === null || raw.trim() === "") return undefined;
  const items = topLevel(raw);
  const out: ExpandRequest[] = [];
  for (const item of items) {
    const m = /^([A-Za-z0-9_.]+)(?:\((.*)\))?$/s.exec(item);
    if (m === null) throw invalid(`Parsing OData Select and Expand failed: Syntax error at position 0 in '${raw}'.`);
    const name = m[1]!;
    const nav = spec?.navigations.find((n) => n.name.toLowerCase() === name.toLowerCase());
    if (nav === undefined) {
      if (spec?.notEmulated.some((n) => n.toLowerCase() === name.toLowerCase())) {
        throw new GraphQueryError(
          501,
          "NotImplemented",
          `The emulator does not implement $expand=${name} on '${typeName}' (Microsoft Graph does).`,
        );
      }
      throw invalid(
        `Parsing OData Select and Expand failed: Could not find a property named '${name}' on type '${typeName}'.`,
      );
    }
    const request: ExpandRequest = { nav };
    const nested = (m[2] ?? "").trim();
    if (nested !== "") {
      for (const option of nested.split(";").map((o) => o.trim())) {
        const sel = /^\$select=(.*)$/i.exec(option);
        if (sel === null) {
          throw new GraphQueryError(
            400,
            "Request_UnsupportedQuery",
            `The emulator supports only $select inside $expand; '${option}' is not supported.`,
          );
        }
        request.select = sel[1]!
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== "");
      }
    }
    out.push(request);
  }
  if (out.length > 1) {
    throw invalid("The result of parsing $expand contained at least 2 items, but the maximum allowed is 1.");
  }
  return out;
}

/** Adds the expanded navigations to one projected object (at most 20 related objects, no nextLink). */
export function expandInto(out: GraphObject, item: CollectionItem, requests: ExpandRequest[] | undefined): void {
  if (requests === undefined || item.limited === true) return;
  for (const { nav, select } of requests) {
    const related = nav.related(item);
    const shape = (r: CollectionItem): GraphObject => project(r, select ?? nav.defaultSelect(r), true);
    if (nav.many) {
      out[nav.name] = related.slice(0, EXPAND_MAX_OBJECTS).map(shape);
    } else if (related[0] !== undefined) {
      out[nav.name] = shape(related[0]);
    }
  }
}

/** The expand part of `@odata.context`'s select list: `manager()`, `owners(id)`. */
export function expandContext(requests: ExpandRequest[] | undefined): string[] {
  return (requests ?? []).map((r) => `${r.nav.name}(${(r.select ?? []).join(",")})`);
}
