import { existsSync, readdirSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../server/packageRoot";

/** The pane's webpack output. */
export const DEFAULT_DIST_DIR = join(packageRoot(), "dist", "pane");
/** The pages the app package points at: tabs, the channel tab's configuration, the Outlook task pane. */
export const PANE_PAGES = ["index.html", "config.html", "taskpane.html", "auth-dialog.html"] as const;

/** The folders the pane's bundle is built from. */
const PANE_SOURCES = ["src/taskpane", "src/components", "src/services", "src/core", "webpack.config.js"];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), stat.mtimeMs);
}

/** A stale build would make the browser tests test old code. */
function sourcesNewerThan(builtFile: string): boolean {
  const built = statSync(builtFile).mtimeMs;
  return PANE_SOURCES.some((p) => {
    const full = join(packageRoot(), p);
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
  // A source saved while webpack runs may or may not be in this build: the build counts as made when
  // it started, so such a source is newer than the build and the next start builds again.
  const started = new Date();
  // webpack and its config (plain CommonJS at the package root) load only when a build is needed.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const webpack = require("webpack") as typeof import("webpack");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const makeConfig = require(join(packageRoot(), "webpack.config.js")) as (
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
  for (const page of PANE_PAGES) utimesSync(join(distDir, page), started, started);
}
