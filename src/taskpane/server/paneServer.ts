import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer, request as httpsRequest, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";
import { OFFICE_JS_ORIGIN, paneContentSecurityPolicy } from "../../../manifest/csp";

/** What the pane reads from /config.json at start-up (src/services/config.ts parses it). */
export interface PaneRuntimeConfig {
  readonly authority: string;
  readonly clientId: string;
  readonly knownAuthorities: readonly string[];
  readonly graphBaseUrl: string;
  readonly backendUrl: string;
  readonly apiScope: string;
}

export interface PaneServerOptions {
  /** 0 = any free port. */
  readonly port: number;
  readonly host?: string;
  /** The webpack output (dist/pane). */
  readonly distDir: string;
  readonly tls: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** Without backendUrl the pane calls its own origin, and apiProxy must be set. */
  readonly config: Omit<PaneRuntimeConfig, "backendUrl"> & { readonly backendUrl?: string };
  /**
   * Forwards /api/* to the backend, so the pane and its API share one origin (no CORS, and an http
   * backend on localhost works behind the https pane). Streams pass through (the run events).
   */
  readonly apiProxy?: { readonly target: string; readonly ca?: string | Buffer };
  /**
   * Answers its own paths before the pane does (returns true when it handled the request). Only
   * development and tests set it: the local host page (src/devhost) under /_devhost/.
   */
  readonly devHost?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface RunningPaneServer {
  /** e.g. https://localhost:53211 */
  readonly origin: string;
  close(): Promise<void>;
}

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

interface CachedFile {
  readonly body: Buffer;
  readonly gzip: Buffer | null;
  readonly type: string;
  readonly etag: string;
}

/**
 * Serves the built pane over https with the Content-Security-Policy from manifest/csp.ts (hosts in
 * frame-ancestors, connect-src limited to the authority, Graph and the backend) and the runtime
 * configuration as /config.json, so one build serves every environment.
 */
export async function startPaneServer(options: PaneServerOptions): Promise<RunningPaneServer> {
  const distDir = resolve(options.distDir);
  const index = join(distDir, "index.html");
  try {
    await stat(index);
  } catch {
    throw new PaneServerError("PANE_NOT_BUILT", `${index} does not exist: run \`npm run build\` first`);
  }
  if (options.config.backendUrl === undefined && !options.apiProxy) {
    throw new PaneServerError(
      "PANE_CONFIG_INVALID",
      "give config.backendUrl, or apiProxy to serve the API from the pane's origin",
    );
  }
  const authorityOrigin = originOf(options.config.authority);
  const connect = [authorityOrigin, originOf(options.config.graphBaseUrl)];
  if (options.config.backendUrl !== undefined) connect.push(originOf(options.config.backendUrl));
  const cspOptions = {
    connectOrigins: [...new Set(connect)],
    // MSAL renews tokens in a hidden iframe on the authority when the refresh token can't be used.
    frameOrigins: [authorityOrigin],
  };
  const csp = paneContentSecurityPolicy(cspOptions);
  // Only the Outlook add-in's page may run office.js, from Microsoft's CDN.
  const taskPaneCsp = paneContentSecurityPolicy({ ...cspOptions, scriptOrigins: [OFFICE_JS_ORIGIN] });
  const taskPanePage = join(distDir, "taskpane.html");
  let configJson = Buffer.from("{}");
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
      etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 16)}"`,
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

  const proxy = options.apiProxy ? createApiProxy(options.apiProxy.target, options.apiProxy.ca) : null;

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (options.devHost?.(req, res)) return;
    if (proxy && /^\/api(\/|$)/.test(req.url ?? "")) {
      proxy(req, res);
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "https://pane.invalid").pathname);
    if (pathname === "/config.json") {
      send(
        req,
        res,
        { body: configJson, gzip: null, type: TYPES[".json"]!, etag: `"cfg-${configJson.length}"` },
        "no-store",
      );
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
    if (extname(pathname) !== "") {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found");
      return;
    }
    // Any other path is a view of the single-page app (e.g. the redirect URI): serve index.html.
    const page = await load(index);
    if (page) send(req, res, page, "no-cache");
    else res.writeHead(404).end();
  };

  const server: Server = createServer({ cert: options.tls.cert, key: options.tls.key }, (req, res) => {
    handler(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `https://localhost:${port}`;
  configJson = Buffer.from(JSON.stringify({ ...options.config, backendUrl: options.config.backendUrl ?? origin }));
  return {
    origin,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}

/** Pipes a request to the backend and the answer back, unbuffered (server-sent events stream through). */
function createApiProxy(target: string, ca?: string | Buffer): (req: IncomingMessage, res: ServerResponse) => void {
  const base = new URL(target);
  const send = base.protocol === "https:" ? httpsRequest : httpRequest;
  return (req, res) => {
    const headers = { ...req.headers, host: base.host };
    const upstream = send(
      {
        protocol: base.protocol,
        hostname: base.hostname,
        port: base.port,
        method: req.method,
        path: req.url,
        headers,
        ...(ca !== undefined && base.protocol === "https:" ? { ca } : {}),
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent) {
        res.writeHead(502, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            error: { code: "backend_unreachable", message: "the pane server could not reach the backend" },
          }),
        );
      } else res.destroy();
    });
    // A closed tab ends the event stream upstream too.
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  };
}
