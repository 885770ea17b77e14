import type { EmulatorRequest, EmulatorResponse, RouteHandler } from "./types";

interface Route {
  method: string;
  segments: string[];
  handler: RouteHandler;
}

/**
 * A tiny router: method + path pattern (`/:tenant/oauth2/v2.0/token`, a trailing `*` matches the
 * rest). Routes on the path only; MSAL appends `?client-request-id=` to every call.
 */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: RouteHandler): this {
    this.routes.push({ method: method.toUpperCase(), segments: split(pattern), handler });
    return this;
  }

  /** The handler and params for a request, or why none matched (404 or 405). */
  match(
    method: string,
    path: string,
  ): { handler: RouteHandler; params: Record<string, string> } | { miss: "not_found" | "method_not_allowed" } {
    const parts = split(path);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (params === undefined) continue;
      pathMatched = true;
      if (route.method === method.toUpperCase() || (route.method === "GET" && method.toUpperCase() === "HEAD")) {
        return { handler: route.handler, params };
      }
    }
    return { miss: pathMatched ? "method_not_allowed" : "not_found" };
  }
}

function split(path: string): string[] {
  return path.split("/").filter((s) => s !== "");
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p === "*") {
      params["*"] = parts.slice(i).join("/");
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (p.startsWith(":")) {
      try {
        params[p.slice(1)] = decodeURIComponent(part);
      } catch {
        return undefined;
      }
    } else if (p.toLowerCase() !== part.toLowerCase()) {
      return undefined;
    }
  }
  return pattern.length === parts.length ? params : undefined;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): EmulatorResponse {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
    body: JSON.stringify(body),
  };
}

export function html(status: number, body: string, headers: Record<string, string> = {}): EmulatorResponse {
  return {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      // The sign-in page must never render inside a frame (clickjacking), as Entra's does not.
      "x-frame-options": "DENY",
      "content-security-policy": "frame-ancestors 'none'",
      ...headers,
    },
    body,
  };
}

export function redirect(location: string, headers: Record<string, string> = {}): EmulatorResponse {
  return { status: 302, headers: { location, ...headers }, body: "" };
}

/** Form bodies (token endpoint, sign-in form). */
export function parseForm(req: EmulatorRequest): URLSearchParams {
  return new URLSearchParams(req.rawBody);
}

export function header(req: EmulatorRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export type { EmulatorRequest, EmulatorResponse, RouteHandler };
