import { GraphQueryError } from "./queryError";

/**
 * The OData system query options a Graph v1.0 directory request may carry, and the refusal of any other
 * `$`-prefixed option.
 *
 * - System query options are case-insensitive in Graph (`$orderBy` works as `$orderby`; Microsoft's own
 *   examples use both), so the emulator reads them by their lower-case name.
 * - An option Graph does not recognise is refused, never ignored: on v1.0 directory endpoints Graph answers
 *   400 `Request_BadRequest` "Unrecognized query argument specified: '<name>'." (the message quoted in
 *   Microsoft's "Known issues with Microsoft Graph", https://learn.microsoft.com/graph/known-issues, "$search for
 *   directory objects fails for encoded ampersand"; the code as public Azure AD clients record it).
 * - `$skip` is a known option that directory objects do not support: 400 `Request_BadRequest` "'$skip' is not
 *   supported by the service." (as public Graph clients record it; directory objects page with `$skiptoken`).
 */
const SYSTEM_OPTIONS = new Set([
  "$select",
  "$expand",
  "$filter",
  "$orderby",
  "$top",
  "$count",
  "$search",
  "$skiptoken",
  "$format",
  "$skip",
]);

/** A copy of the query with every `$`-option's name in lower case (values untouched). */
export function normalizeQueryOptions(query: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const [name, value] of query) out.append(name.startsWith("$") ? name.toLowerCase() : name, value);
  return out;
}

/** Refuses `$`-options Graph does not recognise and `$skip` (unsupported on directory objects). */
export function validateQueryOptions(query: URLSearchParams, original: URLSearchParams): void {
  const names = [...original.keys()];
  for (const name of names) {
    if (!name.startsWith("$")) continue;
    if (!SYSTEM_OPTIONS.has(name.toLowerCase())) {
      throw new GraphQueryError(400, "Request_BadRequest", `Unrecognized query argument specified: '${name}'.`);
    }
  }
  if (query.has("$skip")) {
    throw new GraphQueryError(400, "Request_BadRequest", "'$skip' is not supported by the service.");
  }
}
