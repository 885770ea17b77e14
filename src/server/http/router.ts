import type { IncomingMessage, ServerResponse } from "node:http";
import type { Principal } from "../auth/principal";
import type { Logger } from "../log";

/** What a route needs from the caller: any signed-in user of the tenant, a reader, or a role that may change things. */
export type Access = "user" | "read" | "change";

export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly requestId: string;
  readonly log: Logger;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly principal: Principal;
  /** Security / CORS headers for handlers that write the response themselves. */
  readonly baseHeaders: Readonly<Record<string, string>>;
  /** Parses the JSON body (size-limited); ApiError 400/413/415 otherwise. */
  readonly body: () => Promise<unknown>;
}

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A handler answers with a Reply, or writes the response itself (server-sent events) and returns undefined. */
export type Handler = (ctx: RequestContext) => Promise<Reply | undefined>;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly keys: readonly string[];
  readonly access: Access;
  readonly handler: Handler;
}

export type Match =
  | { readonly route: Route; readonly params: Record<string, string> }
  | { readonly miss: "not_found" | "method_not_allowed"; readonly allow: string[] };

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, path: string, access: Access, handler: Handler): this {
    const keys: string[] = [];
    const source = path
      .split("/")
      .map((part) => {
        if (!part.startsWith(":")) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        keys.push(part.slice(1));
        return "([^/]+)";
      })
      .join("/");
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), keys, access, handler });
    return this;
  }

  match(method: string, path: string): Match {
    const allow: string[] = [];
    for (const r of this.routes) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      if (r.method !== method) {
        allow.push(r.method);
        continue;
      }
      const params = decodeParams(r.keys, m);
      // A malformed %-escape names nothing that exists (and must not surface as a 500).
      if (!params) return { miss: "not_found", allow: [] };
      return { route: r, params };
    }
    return { miss: allow.length ? "method_not_allowed" : "not_found", allow };
  }
}

function decodeParams(keys: readonly string[], m: RegExpExecArray): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  try {
    keys.forEach((k, i) => {
      params[k] = decodeURIComponent(m[i + 1] ?? "");
    });
  } catch {
    return undefined;
  }
  return params;
}
