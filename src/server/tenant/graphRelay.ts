import type { TokenProvider } from "../auth/obo";
import type { Principal } from "../auth/principal";
import type { HttpSend } from "../net/httpClient";

/**
 * The pane's directory reads (people pickers), on behalf of the user, for hosts whose sign-in
 * yields only the API token (Teams SSO: `getAuthToken` has no Graph consent of its own). A narrow,
 * read-only relay: GET on the two collections the pane searches, the query options it uses, and
 * Graph's answer passed back as is, so the pane's Graph client works unchanged against it.
 * Graph still checks the user's own delegated permissions.
 */
export interface GraphRelay {
  get(principal: Principal, collection: "users" | "groups", query: URLSearchParams): Promise<GraphRelayReply>;
}

export interface GraphRelayReply {
  readonly status: number;
  readonly body: unknown;
  readonly retryAfter?: string;
}

/** The OData options the pane sends ($search/$filter need ConsistencyLevel: eventual). */
const ALLOWED_OPTIONS = new Set(["$search", "$filter", "$select", "$top", "$count"]);
/** Search results are one page; the relay never pages for the caller. */
const MAX_TOP = 100;

export function createGraphRelay(graphUrl: string, send: HttpSend, tokens: TokenProvider): GraphRelay {
  const origin = new URL(graphUrl).origin;
  return {
    async get(principal, collection, query) {
      const forwarded = new URLSearchParams();
      for (const [key, value] of query) {
        if (!ALLOWED_OPTIONS.has(key)) {
          return {
            status: 400,
            body: graphError("Request_UnsupportedQuery", `The query option ${key} is not relayed.`),
          };
        }
        forwarded.set(key, key === "$top" ? String(Math.min(MAX_TOP, Math.max(1, Number(value) || 1))) : value);
      }
      const token = await tokens.tokenFor(principal, "graph");
      const res = await send({
        method: "GET",
        url: `${origin}/v1.0/${collection}?${forwarded.toString()}`,
        headers: { authorization: `Bearer ${token}`, accept: "application/json", consistencylevel: "eventual" },
        timeoutMs: 15_000,
      });
      let body: unknown;
      try {
        body = JSON.parse(res.text) as unknown;
      } catch {
        body = graphError("UnknownError", `Graph answered HTTP ${res.status} without JSON.`);
      }
      if (body !== null && typeof body === "object" && "@odata.nextLink" in body) {
        // A next link would point the pane at Graph itself; the pane asks for one page only.
        const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
        delete copy["@odata.nextLink"];
        body = copy;
      }
      return {
        status: res.status,
        body,
        ...(res.headers["retry-after"] ? { retryAfter: res.headers["retry-after"] } : {}),
      };
    },
  };
}

function graphError(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}
