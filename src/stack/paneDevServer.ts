import { request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer, request as httpsRequest, type Server } from "node:https";
import type { AddressInfo } from "node:net";
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
  const handler = await createPaneRequestHandler({
    distDir: options.distDir,
    config: options.config,
    ownOrigin: () => origin,
    ...(options.apiProxy ? { api: createApiProxy(options.apiProxy.target, options.apiProxy.ca) } : {}),
    ...(options.devHost ? { devHost: options.devHost } : {}),
    production: false,
  });
  const server: Server = createServer({ cert: options.tls.cert, key: options.tls.key }, handler);
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `https://localhost:${port}`;
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
