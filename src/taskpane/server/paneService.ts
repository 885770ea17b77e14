import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { EmulatorConfig } from "../../emulator/config";
import { startPaneServer, type PaneServerOptions, type RunningPaneServer } from "./paneServer";

/** The repository's root (this file is src/taskpane/server/paneService.ts). */
export const REPO_ROOT = resolve(__dirname, "..", "..", "..");
export const DEFAULT_DIST_DIR = join(REPO_ROOT, "dist", "pane");

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

/** Builds dist/pane with webpack when it is missing (a first `npm start` needs nothing but npm install). */
export async function ensurePaneBuilt(
  distDir: string = DEFAULT_DIST_DIR,
  log: (line: string) => void = () => undefined,
): Promise<void> {
  if (existsSync(join(distDir, "index.html"))) return;
  log("building the pane (first start, about 30 s)…");
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
}

/** The pane server wired to an emulator and a backend: what `npm start` and the browser tests run. */
export async function startPaneForStack(options: PaneForStackOptions): Promise<RunningPaneServer> {
  const distDir = options.distDir ?? DEFAULT_DIST_DIR;
  await ensurePaneBuilt(distDir);
  const certDir = options.certDir ?? dirname(options.emulator.config.caPath);
  const [cert, key] = await Promise.all([
    readFile(join(certDir, "server.pem")),
    readFile(join(certDir, "server-key.pem")),
  ]);
  return startPaneServer({
    port: options.port ?? 0,
    distDir,
    tls: { cert, key },
    config: paneConfigFromEmulator(options.emulator.config),
    apiProxy: { target: options.backendUrl, ca: options.emulator.caPem },
  });
}
