import { createServer, type Server } from "node:https";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { renderHostPage } from "./page/html";
import {
  CAPABILITIES,
  DEFAULT_CHANNEL,
  defaultCapabilities,
  FRAME_CONTEXTS,
  HOST_NAMES,
  THEMES,
  type ChannelInfo,
  type DevHostCapability,
  type DevHostFrameContext,
  type DevHostName,
  type DevHostPageConfig,
  type DevHostTheme,
  type HostUser,
} from "./protocol";
import { hostUserFrom, passwordTokenProvider, type TokenProvider, type TokenResult } from "./tokens";
import { fetchActivity } from "./activity";
import { createOutlookMode } from "./outlook/outlookServer";
import { OUTLOOK_PATH } from "./outlook/outlookProtocol";

/**
 * The local host page (development and tests only; never part of the app package). It frames the
 * app and answers the teams-js host protocol as Teams / Outlook on the web do, with tokens for a
 * configured user from the emulator. teams-js accepts a same-origin host without configuration
 * and the pane's CSP allows `frame-ancestors 'self'`, so the page is mounted on the pane's own
 * origin: `createDevHostHandler(options)` serves everything under `/_devhost/`.
 */

export const DEVHOST_PREFIX = "/_devhost/";

export interface DevHostEmulator {
  /** `https://localhost:<port>` */
  origin: string;
  tenantId: string;
  /** The emulator's CA (PEM), so the server side trusts its certificate. */
  caPem?: string;
  /** The pane's SPA client id (Teams SSO tokens are requested for it). */
  clientId: string;
  /** The API scope `authentication.getAuthToken` returns a token for (`api://…/access_as_user`). */
  ssoScope: string;
}

export type DevHostUser = { upn: string; password: string } | { tokenProvider: TokenProvider };

export interface DevHostOptions {
  /** The app page to frame; absolute, or a path on the host's origin. `?appUrl=` overrides it per page. */
  appUrl: string;
  emulator: DevHostEmulator;
  user: DevHostUser;
  hostName?: DevHostName;
  theme?: DevHostTheme;
  frameContext?: DevHostFrameContext;
  entityId?: string;
  subPageId?: string;
  locale?: string;
  /** `runtime.isNAAChannelRecommended` (default true; false makes apps fall back to getAuthToken). */
  naaRecommended?: boolean;
  /** What `runtime.supports` announces (default: per host, see `defaultCapabilities`). */
  capabilities?: DevHostCapability[];
  /** Channel/team for channel tabs; default: a fake channel for `settings` pages, none otherwise. */
  channel?: ChannelInfo | null;
  /** The host page's script source (page/hostPage.ts), bundled on first use; default: beside this file. */
  pageEntry?: string;
  /** Outlook mode (/_devhost/outlook/): the add-in's task pane page; default /taskpane.html. */
  outlookAppPage?: string;
}

/** Serves `/_devhost/…`; returns false (and leaves the response alone) for any other path. */
export type DevHostHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface StartDevHostOptions extends DevHostOptions {
  /** 0 = any free port. */
  port?: number;
  /** Default 127.0.0.1; the origin always says `localhost`. */
  host?: string;
  tls: { cert: string; key: string };
  /** Serves everything outside `/_devhost/` (e.g. the app under test, on the same origin). */
  fallback?: RequestListener;
}

export interface RunningDevHost {
  origin: string;
  /** The host page: `${origin}/_devhost/`. Add query options (`?theme=dark&frameContext=settings`). */
  url: string;
  handler: DevHostHandler;
  close(): Promise<void>;
}

export class DevHostOptionError extends Error {
  readonly code = "invalid_devhost_option";
}

function oneOf<T extends string>(name: string, value: string | null, allowed: readonly T[], fallback: T): T {
  if (value === null || value === "") return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new DevHostOptionError(`${name} must be one of ${allowed.join(", ")} (got '${value}').`);
  }
  return value as T;
}

/** Per-page overrides from the host page's query string, validated. */
function pageSettings(
  options: DevHostOptions,
  query: URLSearchParams,
): Omit<DevHostPageConfig, "user" | "userError" | "tokenPath"> {
  const hostName = oneOf("hostName", query.get("hostName"), HOST_NAMES, options.hostName ?? "Teams");
  const frameContext = oneOf(
    "frameContext",
    query.get("frameContext"),
    FRAME_CONTEXTS,
    options.frameContext ?? "content",
  );
  let capabilities = options.capabilities ?? defaultCapabilities(hostName);
  const without = query.get("without");
  if (without !== null && without !== "") {
    const removed = without.split(",").map((c) => oneOf("without", c.trim(), CAPABILITIES, "app"));
    capabilities = capabilities.filter((c) => !removed.includes(c));
  }
  const naa = query.get("naa");
  const channelParam = query.get("channel");
  const defaultChannel =
    options.channel !== undefined ? options.channel : frameContext === "settings" ? DEFAULT_CHANNEL : null;
  return {
    appUrl: query.get("appUrl") ?? options.appUrl,
    hostName,
    theme: oneOf("theme", query.get("theme"), THEMES, options.theme ?? "default"),
    frameContext,
    entityId: query.get("entityId") ?? options.entityId ?? "home",
    subPageId: query.get("subPageId") ?? options.subPageId ?? null,
    locale: query.get("locale") ?? options.locale ?? "en-us",
    capabilities,
    naaRecommended: naa === null ? (options.naaRecommended ?? true) : naa !== "0" && naa !== "false",
    channel:
      channelParam === null ? defaultChannel : channelParam === "0" ? null : (options.channel ?? DEFAULT_CHANNEL),
  };
}

const bundledScripts = new Map<string, string>();

/** The page script, bundled on first use. */
function hostPageScript(entry: string): string {
  let bundledScript = bundledScripts.get(entry);
  if (bundledScript === undefined) {
    // Loaded lazily: only the dev host needs a bundler at run time.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require("esbuild") as typeof import("esbuild");
    const out = esbuild.buildSync({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: "iife",
      platform: "browser",
      target: "es2020",
      logLevel: "silent",
    });
    bundledScript = out.outputFiles[0]?.text ?? "";
    bundledScripts.set(entry, bundledScript);
  }
  return bundledScript;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

function readJson(req: IncomingMessage, limit = 64 * 1024): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new DevHostOptionError("request body too large"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => {
      try {
        const value = JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
        resolve(typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {});
      } catch {
        reject(new DevHostOptionError("the body must be JSON"));
      }
    });
    req.on("error", reject);
  });
}

/** Tokens are handed only to the host page itself: a same-origin fetch (no other site can mint them). */
function isSameOrigin(req: IncomingMessage): boolean {
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined) return site === "same-origin";
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export function createDevHostHandler(options: DevHostOptions): DevHostHandler {
  const provider: TokenProvider =
    "tokenProvider" in options.user
      ? options.user.tokenProvider
      : passwordTokenProvider(
          {
            origin: options.emulator.origin,
            tenantId: options.emulator.tenantId,
            ...(options.emulator.caPem === undefined ? {} : { caPem: options.emulator.caPem }),
          },
          options.user,
        );
  const environment = new URL(options.emulator.origin).host;
  let knownUser: HostUser | undefined;

  const issue = async (body: Record<string, unknown>): Promise<TokenResult & { account?: HostUser }> => {
    const sso = body.kind !== "naa";
    const clientId = sso ? options.emulator.clientId : typeof body.clientId === "string" ? body.clientId : "";
    const scope = sso ? options.emulator.ssoScope : typeof body.scope === "string" ? body.scope : "";
    if (clientId === "" || scope === "") {
      return { ok: false, error: "invalid_request", description: "clientId and scope are required" };
    }
    const result = await provider({ clientId, scope });
    if (!result.ok) return result;
    const account = hostUserFrom(result, environment);
    knownUser = account;
    return { ...result, account };
  };

  /** The signed-in user for the page's context: one SSO token the first time (not cached when it fails). */
  const currentUser = async (): Promise<{ user: HostUser | null; error: string | null }> => {
    if (knownUser !== undefined) return { user: knownUser, error: null };
    const result = await issue({ kind: "sso" });
    return result.ok && result.account !== undefined
      ? { user: result.account, error: null }
      : { user: null, error: result.ok ? "no account" : `${result.error}: ${result.description}` };
  };

  const servePage = async (req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> => {
    const settings = pageSettings(options, query);
    const { user, error } = await currentUser();
    const html = renderHostPage(
      { ...settings, user, userError: error, tokenPath: `${DEVHOST_PREFIX}token` },
      `${DEVHOST_PREFIX}host.js`,
    );
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      // The config is inert JSON; the only script is ours; the app may be framed from anywhere https.
      "content-security-policy":
        "default-src 'self'; script-src 'self'; style-src 'unsafe-inline'; frame-src 'self' https:; connect-src 'self'",
    });
    res.end(req.method === "HEAD" ? undefined : html);
  };

  // Outlook add-in mode (/_devhost/outlook/): the task pane with an emulated office.js (outlook/).
  const outlook = createOutlookMode({
    emulatorOrigin: options.emulator.origin,
    tenantId: options.emulator.tenantId,
    ...(options.emulator.caPem === undefined ? {} : { caPem: options.emulator.caPem }),
    appPage: options.outlookAppPage ?? "/taskpane.html",
    ...(options.pageEntry === undefined ? {} : { pageEntry: options.pageEntry }),
    currentUser,
    bundle: hostPageScript,
    tokenPath: `${DEVHOST_PREFIX}token`,
    prefix: DEVHOST_PREFIX,
  });

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const sub = url.pathname.slice(DEVHOST_PREFIX.length);
    const method = req.method ?? "GET";
    if (
      (sub === OUTLOOK_PATH.slice(0, -1) || sub.startsWith(OUTLOOK_PATH)) &&
      (await outlook(req, res, sub.slice(OUTLOOK_PATH.length), url.searchParams))
    ) {
      return;
    }
    if ((sub === "" || sub === "index.html") && (method === "GET" || method === "HEAD")) {
      return servePage(req, res, url.searchParams);
    }
    if (sub === "host.js" && method === "GET") {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-store" });
      res.end(hostPageScript(options.pageEntry ?? join(__dirname, "page", "hostPage.ts")));
      return;
    }
    // The Activity feed (page/activityFeed.ts): the emulator's Teams notifications for the signed-in user.
    if (sub === "activity" && method === "GET") {
      const { user, error } = await currentUser();
      if (user === null) return sendJson(res, 503, { error: { code: "devhost_no_user", message: error ?? "" } });
      return sendJson(res, 200, { notifications: await fetchActivity(options.emulator, user.upn) });
    }
    if (sub === "token" && method === "POST") {
      if (!isSameOrigin(req)) {
        return sendJson(res, 403, {
          error: { code: "devhost_cross_origin", message: "Only the host page may ask for tokens." },
        });
      }
      return sendJson(res, 200, await issue(await readJson(req)));
    }
    sendJson(res, 404, { error: { code: "not_found", message: `No ${method} ${url.pathname} on the dev host.` } });
  };

  return (req, res) => {
    const url = new URL(req.url ?? "/", "https://devhost.invalid");
    if (url.pathname === DEVHOST_PREFIX.slice(0, -1)) {
      res.writeHead(302, { location: `${DEVHOST_PREFIX}${url.search}` }).end();
      return true;
    }
    if (!url.pathname.startsWith(DEVHOST_PREFIX)) return false;
    route(req, res, url).catch((e: unknown) => {
      if (res.headersSent) return void res.end();
      const status = e instanceof DevHostOptionError ? 400 : 500;
      sendJson(res, status, {
        error: {
          code: e instanceof DevHostOptionError ? e.code : "devhost_error",
          message: e instanceof Error ? e.message : String(e),
        },
      });
    });
    return true;
  };
}

/** A standalone HTTPS server with the host page (and `fallback` for the app under test). */
export async function startDevHost(options: StartDevHostOptions): Promise<RunningDevHost> {
  const handler = createDevHostHandler(options);
  const server: Server = createServer({ cert: options.tls.cert, key: options.tls.key }, (req, res) => {
    if (handler(req, res)) return;
    if (options.fallback !== undefined) return options.fallback(req, res);
    if (req.url === "/") {
      res.writeHead(302, { location: DEVHOST_PREFIX }).end();
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const origin = `https://localhost:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: `${origin}${DEVHOST_PREFIX}`,
    handler,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
