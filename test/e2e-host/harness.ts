import { mkdtempSync, rmSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from "playwright-core";
import { ensureCertificates } from "../../src/emulator/certs";
import { startEmulator, type RunningEmulator } from "../../src/emulator/server";
import { startDevHost, type DevHostOptions, type RunningDevHost } from "../../src/devhost/hostServer";
import { devHostEmulatorOptions } from "../../src/stack/devHostEmulator";

/**
 * One emulator + one dev host (serving the fixture app on its own origin) + one Chromium per test
 * file. Every page blocks requests that leave localhost (teams-js's CDN validDomains fetch
 * included), so no test waits on the network.
 */

export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let fixtureScript: string | undefined;

function fixtureBundle(): string {
  fixtureScript ??=
    buildSync({
      entryPoints: [join(__dirname, "fixture", "app.ts")],
      bundle: true,
      write: false,
      format: "iife",
      platform: "browser",
      target: "es2020",
      mainFields: ["browser", "module", "main"],
      define: { "process.env.NODE_ENV": '"production"' },
      logLevel: "silent",
    }).outputFiles[0]?.text ?? "";
  return fixtureScript;
}

/** `/fixture/*.html` is the fixture app (any name, so a saved tab URL can differ); `/fixture/app.js` its bundle. */
function serveFixture(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? "/", "https://x.invalid").pathname;
  if (path === "/fixture/app.js") {
    res.writeHead(200, { "content-type": "text/javascript" }).end(fixtureBundle());
  } else if (/^\/fixture\/[\w-]+\.html$/.test(path)) {
    res
      .writeHead(200, { "content-type": "text/html", "content-security-policy": "frame-ancestors 'self'" })
      .end('<!doctype html><html><body><p>fixture app</p><script src="/fixture/app.js"></script></body></html>');
  } else {
    res.writeHead(404).end();
  }
}

export interface Harness {
  emulator: RunningEmulator;
  devHost: RunningDevHost;
  browser: Browser;
  /** `/fixture/app.html?authority=…&clientId=…` (what the fixture's MSAL needs). */
  appUrl: string;
  close(): Promise<void>;
}

export async function startHarness(overrides: Partial<DevHostOptions> = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), "devhost-"));
  const emulator = await startEmulator({ port: 0, latency: "none", dataDir });
  const certs = ensureCertificates(dataDir);
  const emu = devHostEmulatorOptions(emulator);
  const appUrl = `/fixture/app.html?${new URLSearchParams({
    authority: `${emulator.origin}/${emu.tenantId}`,
    clientId: emu.clientId,
  }).toString()}`;
  const devHost = await startDevHost({
    port: 0,
    tls: { cert: certs.serverCertPem, key: certs.serverKeyPem },
    appUrl,
    emulator: emu,
    user: { upn: "exchange.admin@contoso.com", password: "exchange.admin-Pass1!" },
    fallback: serveFixture,
    ...overrides,
  });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_FLAGS });
  return {
    emulator,
    devHost,
    browser,
    appUrl,
    close: async () => {
      await browser.close();
      await devHost.close();
      await emulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface HostPage {
  context: BrowserContext;
  page: Page;
  /** The framed app (re-read after the host reloads it). */
  app(): Frame;
  /** Requests the page tried to send off localhost (blocked). */
  blocked: string[];
}

/** Opens the host page (query = per-page options) and waits until the fixture app has initialized. */
export async function openHost(h: Harness, query: Record<string, string> = {}): Promise<HostPage> {
  const context = await h.browser.newContext({ ignoreHTTPSErrors: true });
  const blocked: string[] = [];
  await context.route(
    (url) => url.hostname !== "localhost",
    (route) => {
      blocked.push(route.request().url());
      return route.abort();
    },
  );
  const page = await context.newPage();
  const search = new URLSearchParams(query).toString();
  await page.goto(`${h.devHost.url}${search === "" ? "" : `?${search}`}`);
  const hostPage: HostPage = {
    context,
    page,
    blocked,
    app: () => {
      const frame = page.frames().find((f) => f.url().includes("/fixture/"));
      if (frame === undefined) throw new Error("the app frame is not loaded");
      return frame;
    },
  };
  await waitForApp(hostPage);
  return hostPage;
}

/** Waits until the framed document at `path` (default: any fixture page) has finished `app.initialize()`. */
export async function waitForApp(host: HostPage, path = "/fixture/"): Promise<void> {
  // The host page and the app share an origin, so the host can look into the frame's document.
  await host.page.waitForFunction((p) => {
    const win = document.querySelector("iframe")?.contentWindow as (Window & { fixture?: object }) | null;
    return win !== null && win !== undefined && win.location.pathname.startsWith(p) && win.fixture !== undefined;
  }, path);
  await host.app().evaluate(() => (window as unknown as { fixture: { ready: Promise<void> } }).fixture.ready);
}
