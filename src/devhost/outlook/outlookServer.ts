import { request as httpsRequest } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname, extname, join } from "node:path";
import type { HostUser } from "../protocol";
import { renderOutlookPage } from "./outlookHtml";
import { OFFICE_JS_CDN_URL, OUTLOOK_APP_PATH, OUTLOOK_PATH, type OutlookPageConfig } from "./outlookProtocol";

/**
 * The dev host's Outlook mode, under `/_devhost/outlook/` (development and tests only): a page like
 * Outlook on the web's reading view with the add-in's task pane (taskpane.html) beside a message
 * list from the emulator's mailbox.
 *
 * How the add-in gets an `Office` global without a test branch in its code: the dev host serves
 * the add-in's own pages (fetched from the pane's server, with their Content-Security-Policy) under
 * `/_devhost/outlook/app/`, with the one script tag that loads office.js from Microsoft's CDN
 * pointed at the dev host's emulated office.js instead. The page, its bundle and its policy are the
 * production ones; only office.js differs, as it would in Outlook. (A service worker answering the
 * CDN URL would keep the page's URL too, but Chromium refuses service workers on the dev CA's
 * certificate unless the browser is told to ignore certificate errors.)
 */

export interface OutlookModeOptions {
  emulatorOrigin: string;
  tenantId: string;
  caPem?: string;
  /** The add-in's task pane page on the pane's origin. */
  appPage: string;
  /** The Teams host page's script entry; the Outlook scripts sit beside it (../outlook/). */
  pageEntry?: string;
  currentUser(): Promise<{ user: HostUser | null; error: string | null }>;
  bundle(entry: string): string;
  tokenPath: string;
  prefix: string;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

function get(
  url: URL,
  options: { ca?: string; servername?: string; headers?: Record<string, string> },
): Promise<{ status: number; headers: IncomingMessage["headers"]; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: "GET",
        ...(options.ca === undefined ? {} : { ca: options.ca }),
        ...(options.servername === undefined ? {} : { servername: options.servername }),
        headers: options.headers ?? {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

export function createOutlookMode(options: OutlookModeOptions) {
  const scriptDir = options.pageEntry === undefined ? __dirname : join(dirname(options.pageEntry), "..", "outlook");
  const outlookPrefix = `${options.prefix}${OUTLOOK_PATH}`;
  const appPrefix = `${options.prefix}${OUTLOOK_APP_PATH}`;

  const servePage = async (res: ServerResponse, query: URLSearchParams): Promise<void> => {
    const { user, error } = await options.currentUser();
    const naa = query.get("naa");
    const config: OutlookPageConfig = {
      appPage: query.get("appPage") ?? options.appPage,
      naa: naa === null ? true : naa !== "0" && naa !== "false",
      select: query.get("item"),
      user,
      userError: error,
      tokenPath: options.tokenPath,
      messagesPath: `${outlookPrefix}messages`,
      appPrefix,
    };
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy":
        "default-src 'self'; script-src 'self'; style-src 'unsafe-inline'; frame-src 'self'; connect-src 'self'",
    });
    res.end(renderOutlookPage(config, `${outlookPrefix}host.js`));
  };

  /** The signed-in user's mailbox, newest first (the emulator's /_emulator/ mailbox listing). */
  const serveMessages = async (res: ServerResponse): Promise<void> => {
    const { user, error } = await options.currentUser();
    if (user === null) return sendJson(res, 503, { error: { code: "devhost_no_user", message: error ?? "no user" } });
    const url = new URL(
      `/_emulator/tenants/${encodeURIComponent(options.tenantId)}/mailboxes/${encodeURIComponent(user.upn)}/messages`,
      options.emulatorOrigin,
    );
    const answer = await get(url, options.caPem === undefined ? {} : { ca: options.caPem });
    res.writeHead(answer.status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
    res.end(answer.body);
  };

  /** An add-in page from the pane's server (same process, same port), with the emulated office.js. */
  const serveAppPage = async (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    search: string,
  ): Promise<void> => {
    if (extname(path) !== ".html") {
      // Scripts, /config.json and the rest load from the pane's own paths.
      res.writeHead(302, { location: `/${path}${search}` }).end();
      return;
    }
    const port = req.socket.localPort;
    const answer = await get(new URL(`https://127.0.0.1:${port ?? 443}/${path}${search}`), {
      servername: "localhost",
      ...(options.caPem === undefined ? {} : { ca: options.caPem }),
      headers: { host: req.headers.host ?? `localhost:${port ?? 443}` },
    });
    const headers: Record<string, string> = { "cache-control": "no-store" };
    for (const name of ["content-type", "content-security-policy", "x-content-type-options", "referrer-policy"]) {
      const value = answer.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    const html = answer.body.toString("utf8").split(OFFICE_JS_CDN_URL).join(`${outlookPrefix}office.js`);
    res.writeHead(answer.status, headers);
    res.end(req.method === "HEAD" ? undefined : html);
  };

  /** `sub` is the path after `/_devhost/outlook/`. */
  return async (req: IncomingMessage, res: ServerResponse, sub: string, query: URLSearchParams): Promise<boolean> => {
    const method = req.method ?? "GET";
    if (method !== "GET" && method !== "HEAD") return false;
    if (sub === "" || sub === "index.html") {
      await servePage(res, query);
      return true;
    }
    if (sub === "host.js" || sub === "office.js") {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-store" });
      res.end(options.bundle(join(scriptDir, sub === "host.js" ? "outlookPage.ts" : "officeJs.ts")));
      return true;
    }
    if (sub === "messages") {
      await serveMessages(res);
      return true;
    }
    if (sub.startsWith("app/")) {
      const search = query.toString();
      await serveAppPage(req, res, sub.slice("app/".length), search === "" ? "" : `?${search}`);
      return true;
    }
    return false;
  };
}
