import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";
import type { PaneConfig } from "../../services/config";
import { packageRoot } from "../packageRoot";
import { OFFICE_JS_ORIGIN, paneContentSecurityPolicy } from "./csp";

/** What the pane reads from /config.json at start-up: the type its parser (src/services/config.ts) returns. */
export type PaneRuntimeConfig = PaneConfig;

/** /config.json as served: without backendUrl the pane calls its own origin. */
export type ServedPaneConfig = Omit<PaneRuntimeConfig, "backendUrl"> & { readonly backendUrl?: string };

/** Answers its own paths before the pane does (true when it handled the request): the dev host page. */
export type DevPathHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

export class PaneServerError extends Error {
  override readonly name = "PaneServerError";
  constructor(
    readonly code: "PANE_NOT_BUILT" | "PANE_CONFIG_INVALID",
    message: string,
  ) {
    super(message);
  }
}

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};
const COMPRESSIBLE = new Set([".html", ".js", ".json", ".css", ".svg", ".txt"]);
/** webpack names chunks [name].[contenthash:8].js: such files never change, so browsers may keep them. */
const HASHED = /\.[0-9a-f]{8}\.js$/;

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    throw new PaneServerError("PANE_CONFIG_INVALID", `not a URL: ${JSON.stringify(url)}`);
  }
}

function hashOf(body: Buffer): string {
  return createHash("sha256").update(body).digest("base64url").slice(0, 16);
}

interface CachedFile {
  readonly body: Buffer;
  readonly gzip: Buffer | null;
  readonly type: string;
  readonly etag: string;
}

/** Answers one request for the pane: its pages and chunks, /config.json, /icons/…, and /api when given. */
export type PaneRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface PaneHandlerOptions {
  /** The webpack output (dist/pane). */
  readonly distDir: string;
  /** Served as /config.json; without backendUrl the pane calls its own origin (ownOrigin) and `api` must be set. */
  readonly config: ServedPaneConfig;
  /** The origin the pane is served from, once known (a server on port 0 learns its port when listening). */
  readonly ownOrigin?: () => string;
  /** Answers /api and /api/*: the backend in this process, or a proxy to it. */
  readonly api?: (req: IncomingMessage, res: ServerResponse) => void;
  /** Development and tests only: the local host page (src/devhost) under /_devhost/; never in production. */
  readonly devHost?: DevPathHandler;
  /** Served at /icons/<name>.png (the Outlook ribbon icons the manifest points at). Default manifest/icons. */
  readonly iconsDir?: string;
  /**
   * Production: `frame-ancestors` is exactly Microsoft's hosts (no 'self': nothing of ours frames the
   * pane) and an unknown path is 404. Development also lets the local host page frame the pane from
   * its own origin and serves index.html for any path without an extension.
   */
  readonly production: boolean;
}

const API_PATH = /^\/api(\/|\?|$)/;
const ICON_PATH = /^\/icons\/([A-Za-z0-9-]+\.png)$/;

/**
 * The pane's request handler with the Content-Security-Policy from ./csp.ts (hosts in
 * frame-ancestors, connect-src limited to the authority, Graph and the backend) and the runtime
 * configuration as /config.json, so one build serves every environment. The stack's development pane server
 * and the backend's `serve --pane-dist` (production) both use it.
 */
export async function createPaneRequestHandler(options: PaneHandlerOptions): Promise<PaneRequestHandler> {
  const distDir = resolve(options.distDir);
  const index = join(distDir, "index.html");
  try {
    await stat(index);
  } catch {
    throw new PaneServerError("PANE_NOT_BUILT", `${index} does not exist: run \`npm run build\` first`);
  }
  const { backendUrl } = options.config;
  if (backendUrl === undefined && (!options.api || !options.ownOrigin)) {
    throw new PaneServerError(
      "PANE_CONFIG_INVALID",
      "give config.backendUrl, or api and ownOrigin to serve the API from the pane's origin",
    );
  }
  if (options.production && options.devHost) {
    throw new PaneServerError("PANE_CONFIG_INVALID", "the local host page is never mounted on a production pane");
  }
  const authorityOrigin = originOf(options.config.authority);
  const connect = [authorityOrigin, originOf(options.config.graphBaseUrl)];
  if (backendUrl !== undefined) connect.push(originOf(backendUrl));
  const cspOptions = {
    connectOrigins: [...new Set(connect)],
    // MSAL renews tokens in a hidden iframe on the authority when the refresh token can't be used.
    frameOrigins: [authorityOrigin],
    selfMayFrame: !options.production,
  };
  const csp = paneContentSecurityPolicy(cspOptions);
  // Only the Outlook add-in's page may run office.js, from Microsoft's CDN.
  const taskPaneCsp = paneContentSecurityPolicy({ ...cspOptions, scriptOrigins: [OFFICE_JS_ORIGIN] });
  const taskPanePage = join(distDir, "taskpane.html");
  const iconsDir = resolve(options.iconsDir ?? join(packageRoot(), "manifest", "icons"));
  let configFile: CachedFile | undefined;
  const ownOrigin = options.ownOrigin;
  // Built on first use: a server on port 0 knows its own origin only once it listens.
  const runtimeConfig = (): CachedFile => {
    if (configFile) return configFile;
    const body = Buffer.from(
      JSON.stringify({ ...options.config, backendUrl: backendUrl ?? (ownOrigin ? ownOrigin() : "") }),
    );
    configFile = { body, gzip: null, type: TYPES[".json"]!, etag: `"cfg-${hashOf(body)}"` };
    return configFile;
  };
  const cache = new Map<string, CachedFile>();

  async function load(path: string): Promise<CachedFile | null> {
    const hit = cache.get(path);
    if (hit) return hit;
    let body: Buffer;
    try {
      body = await readFile(path);
    } catch {
      return null;
    }
    const ext = extname(path);
    const file: CachedFile = {
      body,
      gzip: COMPRESSIBLE.has(ext) && body.length > 512 ? gzipSync(body, { level: 9 }) : null,
      type: TYPES[ext] ?? "application/octet-stream",
      etag: `"${hashOf(body)}"`,
    };
    cache.set(path, file);
    return file;
  }

  function send(
    req: IncomingMessage,
    res: ServerResponse,
    file: CachedFile,
    cacheControl: string,
    policy: string = csp,
  ): void {
    const headers: Record<string, string> = {
      "content-type": file.type,
      "cache-control": cacheControl,
      etag: file.etag,
      "content-security-policy": policy,
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
      vary: "accept-encoding",
    };
    if (req.headers["if-none-match"] === file.etag) {
      res.writeHead(304, headers).end();
      return;
    }
    const gzip = file.gzip !== null && /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    const body = gzip && file.gzip ? file.gzip : file.body;
    if (gzip) headers["content-encoding"] = "gzip";
    headers["content-length"] = String(body.length);
    res.writeHead(200, headers);
    res.end(req.method === "HEAD" ? undefined : body);
  }

  const notFound = (res: ServerResponse): void => {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" });
    res.end("not found");
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (options.devHost?.(req, res)) return;
    if (options.api && API_PATH.test(req.url ?? "")) {
      options.api(req, res);
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? "/", "https://pane.invalid").pathname);
    } catch {
      // A malformed escape (e.g. "%E0%A4%A") names no file.
      res.writeHead(400).end();
      return;
    }
    if (pathname === "/config.json") {
      send(req, res, runtimeConfig(), "no-store");
      return;
    }
    const icon = ICON_PATH.exec(pathname)?.[1];
    if (icon !== undefined) {
      const file = await load(join(iconsDir, icon));
      if (file) send(req, res, file, "public, max-age=86400");
      else notFound(res);
      return;
    }
    const candidate = normalize(join(distDir, pathname));
    if (candidate !== distDir && !candidate.startsWith(distDir + sep)) {
      res.writeHead(400).end();
      return;
    }
    const file = extname(candidate) === "" ? null : await load(candidate);
    if (file) {
      const policy = candidate === taskPanePage ? taskPaneCsp : csp;
      send(req, res, file, HASHED.test(candidate) ? "public, max-age=31536000, immutable" : "no-cache", policy);
      return;
    }
    // "/" is the app; in development so is any other path without an extension (e.g. a redirect URI).
    if (pathname === "/" || (!options.production && extname(pathname) === "")) {
      const page = await load(index);
      if (page) send(req, res, page, "no-cache");
      else notFound(res);
      return;
    }
    notFound(res);
  };

  return (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  };
}

