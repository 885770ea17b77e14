import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import compress from "@fastify/compress";
import send from "@fastify/send";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { PaneConfig } from "../../core/contract";
import { packageRoot } from "../packageRoot";
import { OFFICE_JS_ORIGIN, paneContentSecurityPolicy } from "./csp";

/** What the pane reads from /config.json at start-up (the contract's PaneConfig). */
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
/** webpack names chunks [name].[contenthash:8].js: such files never change, so browsers may keep them. */
const HASHED = /\.[0-9a-f]{8}\.js$/;
/** Smaller files go as they are: gzip would save next to nothing. */
const GZIP_MIN_BYTES = 512;

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

/**
 * The pane on a Fastify server: its pages and chunks, /config.json and /icons/…, registered in an
 * encapsulated scope of its own with a catch-all route, so every path the server has no more
 * specific route for is the pane's. The backend registers it beside /api (`serve --pane-dist`),
 * the development pane server beside its /api proxy.
 */
export type PaneRequestHandler = FastifyPluginAsync;

export interface PaneHandlerOptions {
  /** The webpack output (dist/pane). */
  readonly distDir: string;
  /** Served as /config.json; without backendUrl the pane calls its own origin (ownOrigin), which must serve /api. */
  readonly config: ServedPaneConfig;
  /** The origin the pane is served from, once known (a server on port 0 learns its port when listening). */
  readonly ownOrigin?: () => string;
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

const ICON = /^[A-Za-z0-9-]+\.png$/;

/**
 * The pane's site with the Content-Security-Policy from ./csp.ts (hosts in frame-ancestors,
 * connect-src limited to the authority, Graph and the backend) and the runtime configuration as
 * /config.json, so one build serves every environment. Files are sent by @fastify/send (ETag,
 * Last-Modified, 304, ranges) and gzipped by @fastify/compress; what is ours is which policy and
 * cache lifetime each file gets.
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
  if (backendUrl === undefined && !options.ownOrigin) {
    throw new PaneServerError(
      "PANE_CONFIG_INVALID",
      "give config.backendUrl, or ownOrigin (serving /api) to serve the API from the pane's origin",
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
  // Only the Outlook add-in's pages (task pane, sign-in dialog) may run office.js, from Microsoft's CDN.
  const taskPaneCsp = paneContentSecurityPolicy({ ...cspOptions, scriptOrigins: [OFFICE_JS_ORIGIN] });
  const iconsDir = resolve(options.iconsDir ?? join(packageRoot(), "manifest", "icons"));
  const ownOrigin = options.ownOrigin;
  let runtimeConfig: { readonly body: string; readonly etag: string } | undefined;
  // Built on first use: a server on port 0 knows its own origin only once it listens.
  const configFile = (): { readonly body: string; readonly etag: string } => {
    if (runtimeConfig) return runtimeConfig;
    const body = JSON.stringify({ ...options.config, backendUrl: backendUrl ?? (ownOrigin ? ownOrigin() : "") });
    runtimeConfig = { body, etag: `"cfg-${hashOf(Buffer.from(body))}"` };
    return runtimeConfig;
  };

  const headersFor = (policy: string, cacheControl: string): Record<string, string> => ({
    "cache-control": cacheControl,
    "content-security-policy": policy,
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    vary: "accept-encoding",
  });

  /** Sends `path` (URL-encoded, below `root`) if it is a file; false when there is none. */
  async function sendFile(
    request: FastifyRequest,
    reply: FastifyReply,
    root: string,
    path: string,
    headers: (file: string) => Record<string, string>,
  ): Promise<boolean> {
    const sent = await send(request.raw, path, {
      root,
      index: false,
      dotfiles: "ignore",
      cacheControl: false,
      contentType: false,
    });
    if (sent.type !== "file") {
      sent.stream.destroy();
      if (sent.type === "error" && (sent.metadata.error as { status?: number }).status !== 404)
        throw sent.metadata.error;
      return false;
    }
    const file = sent.metadata.path;
    reply.code(sent.statusCode).headers({
      ...sent.headers,
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      ...headers(file),
    });
    if (sent.statusCode === 304) {
      sent.stream.destroy();
      void reply.send();
    } else if (sent.statusCode === 200 && sent.metadata.stat.size > GZIP_MIN_BYTES) {
      // gzip when the client takes it and the type is text (@fastify/compress decides both).
      void reply.compress(sent.stream);
    } else {
      void reply.send(sent.stream);
    }
    return true;
  }

  const notFound = (reply: FastifyReply): FastifyReply =>
    reply
      .code(404)
      .headers({ "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" })
      .send("not found");

  return async function paneSite(site) {
    // Files are compressed where they are sent (reply.compress); the API never passes through here.
    await site.register(compress, { global: false, encodings: ["gzip"] });
    site.setErrorHandler((err, _request, reply) => {
      const status = (err as { statusCode?: number }).statusCode;
      return reply.code(typeof status === "number" && status >= 400 && status < 500 ? status : 500).send();
    });

    site.addHook("onRequest", (request, reply, done) => {
      if (options.devHost?.(request.raw, reply.raw)) {
        reply.hijack();
        done();
        return;
      }
      if (request.method !== "GET" && request.method !== "HEAD") {
        void reply.code(405).header("allow", "GET, HEAD").send();
        return;
      }
      // The path as sent (request.originalUrl: a malformed escape reaches us renamed, see ../http/urls.ts).
      const pathname = decodedPath(request.originalUrl);
      // A malformed escape (e.g. "%E0%A4%A") names no file; nor does a path out of the pane's folder.
      if (pathname === null || !isInside(distDir, normalize(join(distDir, pathname)))) {
        void reply.code(400).send();
        return;
      }
      done();
    });

    site.route({
      method: ["GET", "HEAD"],
      url: "/config.json",
      handler: (request, reply) => {
        const file = configFile();
        reply.headers({ ...headersFor(csp, "no-store"), etag: file.etag });
        if (request.headers["if-none-match"] === file.etag) return reply.code(304).send();
        return reply.type(TYPES[".json"] ?? "application/json").send(file.body);
      },
    });

    site.route<{ Params: { name: string } }>({
      method: ["GET", "HEAD"],
      url: "/icons/:name",
      handler: async (request, reply) => {
        const name = request.params.name;
        const sent =
          ICON.test(name) &&
          (await sendFile(request, reply, iconsDir, `/${name}`, () => headersFor(csp, "public, max-age=86400")));
        if (!sent) return notFound(reply);
        return reply;
      },
    });

    // Every other path (any method: the hook above answers 405 before a body is read): a file of
    // the build, else the app's page or 404. The server's more specific routes (/api) come first.
    site.all("/*", async (request, reply) => {
      const encoded = encodedPath(request.originalUrl);
      const pathname = decodeURIComponent(encoded);
      const withPolicy = (file: string): Record<string, string> =>
        headersFor(
          file === join(distDir, "taskpane.html") || file === join(distDir, "auth-dialog.html") ? taskPaneCsp : csp,
          HASHED.test(file) ? "public, max-age=31536000, immutable" : "no-cache",
        );
      if (extname(pathname) !== "" && (await sendFile(request, reply, distDir, encoded, withPolicy))) return reply;
      // "/" is the app; in development so is any other path without an extension (e.g. a redirect URI).
      if (pathname === "/" || (!options.production && extname(pathname) === "")) {
        if (await sendFile(request, reply, distDir, "/index.html", withPolicy)) return reply;
      }
      return notFound(reply);
    });
  };
}

/** The request's path, %-encoded, with "." and ".." segments resolved as a browser would. */
function encodedPath(url: string): string {
  return new URL(url, "https://pane.invalid").pathname;
}

/** The request's path, decoded; null when an escape is malformed. */
function decodedPath(url: string): string | null {
  try {
    return decodeURIComponent(encodedPath(url));
  } catch {
    return null;
  }
}

function isInside(dir: string, candidate: string): boolean {
  return candidate === dir || candidate.startsWith(dir + sep);
}
