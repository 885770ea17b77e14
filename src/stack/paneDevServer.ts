import type { AddressInfo } from "node:net";
import replyFrom from "@fastify/reply-from";
import Fastify, { type FastifyPluginAsync, type RouteHandlerMethod } from "fastify";
import { MAX_PARAM_LENGTH, routeMalformedPath } from "../server/http/urls";
import {
  createPaneRequestHandler,
  PaneServerError,
  type DevPathHandler,
  type ServedPaneConfig,
} from "../server/pane/site";

export interface PaneServerOptions {
  /** 0 = any free port. */
  readonly port: number;
  readonly host?: string;
  /** The webpack output (dist/pane). */
  readonly distDir: string;
  readonly tls: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** Without backendUrl the pane calls its own origin, and apiProxy must be set. */
  readonly config: ServedPaneConfig;
  /**
   * Forwards /api/* to the backend, so the pane and its API share one origin (no CORS, and an http
   * backend on localhost works behind the https pane). Streams pass through (the run events).
   */
  readonly apiProxy?: { readonly target: string; readonly ca?: string | Buffer };
  /** The local host page (src/devhost) under /_devhost/. */
  readonly devHost?: DevPathHandler;
}

export interface RunningPaneServer {
  /** e.g. https://localhost:53211 */
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * The development and test pane server: the pane over https with /api forwarded to a backend (or a
 * backendUrl in /config.json), optionally the local host page. Production serves the pane from the
 * backend's own process instead (`journaling-assistant serve --pane-dist`).
 */
export async function startPaneServer(options: PaneServerOptions): Promise<RunningPaneServer> {
  if (options.config.backendUrl === undefined && !options.apiProxy) {
    throw new PaneServerError(
      "PANE_CONFIG_INVALID",
      "give config.backendUrl, or apiProxy to serve the API from the pane's origin",
    );
  }
  let origin = "";
  const site = await createPaneRequestHandler({
    distDir: options.distDir,
    config: options.config,
    ownOrigin: () => origin,
    ...(options.devHost ? { devHost: options.devHost } : {}),
    production: false,
  });
  const app = Fastify({
    https: { cert: options.tls.cert, key: options.tls.key },
    logger: false,
    // Closing ends open event streams too (a test's stack stops while a tab still listens).
    forceCloseConnections: true,
    rewriteUrl: routeMalformedPath,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
  });
  // /api first: the pane's catch-all route takes every other path.
  if (options.apiProxy) await app.register(apiProxy(options.apiProxy.target, options.apiProxy.ca), { prefix: "/api" });
  await app.register(site);
  await app.listen({ port: options.port, host: options.host ?? "127.0.0.1" });
  const port = (app.server.address() as AddressInfo).port;
  origin = `https://localhost:${port}`;
  return { origin, close: () => app.close() };
}

/**
 * Forwards /api and /api/* to the backend as they are (@fastify/reply-from): bodies pass through
 * unparsed, answers stream back unbuffered (the run events), a closed tab ends the upstream
 * request, and a backend that cannot be reached is 502 backend_unreachable. (A path with a
 * malformed %-escape goes as ../server/http/urls.ts renames it; the backend answers it the same.)
 */
function apiProxy(target: string, ca?: string | Buffer): FastifyPluginAsync {
  return async (proxy) => {
    await proxy.register(replyFrom, {
      base: target,
      destroyAgent: true,
      ...(ca !== undefined ? { undici: { connect: { ca } } } : {}),
    });
    proxy.removeAllContentTypeParsers();
    proxy.addContentTypeParser("*", (_request, payload, done) => done(null, payload));
    proxy.all("/", forward);
    proxy.all("/*", forward);
  };
}

const forward: RouteHandlerMethod = (_request, reply) =>
  reply.from(undefined, {
    // The backend's answer as it is: a 503 (shutting_down, exchange_throttled) is the pane's to
    // handle, not retried here (reply-from retries a GET's 503 by default).
    retryDelay: () => null,
    onError: (failed) =>
      void failed.code(502).send({
        error: { code: "backend_unreachable", message: "the pane server could not reach the backend" },
      }),
  });
