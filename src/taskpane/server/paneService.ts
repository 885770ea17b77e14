import { existsSync, readdirSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { DevHostOptions } from "../../devhost/hostServer";
import type { EmulatorConfig } from "../../emulator/config";
import { startPaneServer, type PaneServerOptions, type RunningPaneServer } from "./paneServer";

/** The repository's root (this file is src/taskpane/server/paneService.ts). */
export const REPO_ROOT = resolve(__dirname, "..", "..", "..");
export const DEFAULT_DIST_DIR = join(REPO_ROOT, "dist", "pane");
/** The pages the app package points at: tabs, the channel tab's configuration, the Outlook task pane. */
export const PANE_PAGES = ["index.html", "config.html", "taskpane.html"] as const;

/** The pane's runtime configuration for a running emulator (the same keys a real tenant needs). */
export function paneConfigFromEmulator(emulator: Pick<EmulatorConfig, "origin" | "apps">): PaneServerOptions["config"] {
  return {
    // Multi-tenant: the user's tenant comes from the account that signs in.
    authority: `${emulator.origin}/organizations`,
    clientId: emulator.apps.pane.clientId,
    knownAuthorities: [new URL(emulator.origin).host],
    graphBaseUrl: emulator.origin,
    apiScope: emulator.apps.api.scope,
  };
}

/** The folders the pane's bundle is built from. */
const PANE_SOURCES = [
  "src/taskpane",
  "src/components",
  "src/services",
  "src/core",
  "manifest/csp.ts",
  "webpack.config.js",
];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), stat.mtimeMs);
}

/** A stale build would make the browser tests test old code. */
function sourcesNewerThan(builtFile: string): boolean {
  const built = statSync(builtFile).mtimeMs;
  return PANE_SOURCES.some((p) => {
    const full = join(REPO_ROOT, p);
    return existsSync(full) && newestMtime(full) > built;
  });
}

/** Builds dist/pane with webpack when it is missing or older than its sources (a first `npm start` needs nothing but npm install). */
export async function ensurePaneBuilt(
  distDir: string = DEFAULT_DIST_DIR,
  log: (line: string) => void = () => undefined,
): Promise<void> {
  // Every page the manifest names, built after the last change to the pane's sources; else rebuilt.
  if (PANE_PAGES.every((page) => existsSync(join(distDir, page))) && !sourcesNewerThan(join(distDir, PANE_PAGES[0]))) {
    return;
  }
  log("building the pane (about 30 s)…");
  // webpack's config is plain CommonJS at the repository root; loaded lazily so tests that don't build skip it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const webpack = require("webpack") as typeof import("webpack");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const makeConfig = require(join(REPO_ROOT, "webpack.config.js")) as (
    env: unknown,
    argv: { mode: string },
  ) => import("webpack").Configuration;
  const config = makeConfig({}, { mode: "production" });
  await new Promise<void>((resolveBuild, reject) => {
    webpack({ ...config, output: { ...config.output, path: distDir } }, (err, stats) => {
      if (err) reject(err);
      else if (stats?.hasErrors()) reject(new Error(stats.toString("errors-only")));
      else resolveBuild();
    });
  });
}

export interface PaneForStackOptions {
  readonly emulator: { readonly config: EmulatorConfig; readonly caPem: string };
  /** The backend's URL; the pane server forwards /api to it. */
  readonly backendUrl: string;
  /** Folder holding the emulator's localhost certificate (server.pem, server-key.pem); default: next to its CA. */
  readonly certDir?: string;
  readonly port?: number;
  readonly distDir?: string;
  /**
   * Development and tests only: mount the local host page (src/devhost) at /_devhost/ on the
   * pane's origin, signed in as `user`. Production servers never set it, and the app package
   * contains nothing of it.
   */
  readonly devHost?: DevHostForStack;
}

/** The dev host's settings for the stack; the emulator part is filled in from the stack's emulator. */
export type DevHostForStack = Omit<DevHostOptions, "emulator" | "appUrl"> & {
  readonly appUrl?: string;
  /** The emulator tenant the host signs in to (default contoso.onmicrosoft.com). */
  readonly tenant?: string;
};

/** The pane server wired to an emulator and a backend: what `npm start` and the browser tests run. */
export async function startPaneForStack(options: PaneForStackOptions): Promise<RunningPaneServer> {
  const distDir = options.distDir ?? DEFAULT_DIST_DIR;
  await ensurePaneBuilt(distDir);
  const certDir = options.certDir ?? dirname(options.emulator.config.caPath);
  const [cert, key] = await Promise.all([
    readFile(join(certDir, "server.pem")),
    readFile(join(certDir, "server-key.pem")),
  ]);
  let devHost: PaneServerOptions["devHost"];
  if (options.devHost) {
    // Loaded only when asked for: the dev host is no part of a production pane server.
    const { createDevHostHandler, devHostEmulatorOptions } = await import("../../devhost/hostServer");
    const { tenant, appUrl, ...hostOptions } = options.devHost;
    const emulator = { origin: options.emulator.config.origin, ...options.emulator };
    devHost = createDevHostHandler({
      ...hostOptions,
      appUrl: appUrl ?? "/index.html",
      emulator: devHostEmulatorOptions(emulator, tenant),
    });
  }
  return startPaneServer({
    port: options.port ?? 0,
    distDir,
    tls: { cert, key },
    config: paneConfigFromEmulator(options.emulator.config),
    apiProxy: { target: options.backendUrl, ca: options.emulator.caPem },
    ...(devHost ? { devHost } : {}),
  });
}
