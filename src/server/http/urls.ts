import type { IncomingMessage } from "node:http";

/** /api, /api/… and /api?…: the backend's API (the rest of the origin is the pane's, when served). */
export const API_PATH = /^\/api(\/|\?|$)/;

/** A request target's path, without query or fragment (still %-encoded). */
export function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

function isMalformed(path: string): boolean {
  try {
    decodeURI(path);
    return false;
  } catch {
    return true;
  }
}

/**
 * Fastify's `rewriteUrl` for both servers. The router refuses a path with a malformed %-escape
 * (e.g. "%E0%A4%A") before any hook runs; such a path names nothing, so it is routed where nothing
 * answers: the API's 404, or the pane's own handler, which still sees `request.originalUrl` (400).
 * Every other URL is left alone.
 */
export function routeMalformedPath(req: IncomingMessage): string {
  const url = req.url ?? "/";
  if (!isMalformed(pathOf(url))) return url;
  return API_PATH.test(url) ? "/api/%25" : "/%25";
}

/**
 * The router's limit on one path parameter: as long as a request line may be, so an over-long
 * id is an unknown id (404) like any other rather than Fastify's 414.
 */
export const MAX_PARAM_LENGTH = 16 * 1024;
