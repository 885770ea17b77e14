import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { ensureChromium } from "./e2e/ensureChromium";
import { ensurePaneBuilt } from "../src/stack/paneBuild";
import { startClusterForRun } from "./postgres/cluster";

/**
 * Runs once before any test file: the browser suites and the pane-serving test need the built pane
 * and Chromium, and the README's commands need the compiled CLI (dist/cli, as `npm install` builds
 * it). Building here, once, keeps parallel workers from each building into the same folder and
 * keeps the commands the tests run in step with the sources. The store tests (and the suites run
 * with JA_TEST_DATABASE=postgres) need PostgreSQL: one throwaway cluster for the run (about a
 * second to start), stopped by test/globalTeardown.ts.
 */
export default async function globalSetup(): Promise<void> {
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  ensureChromium(log);
  execFileSync(process.execPath, [join(__dirname, "..", "scripts", "build-cli.mjs")], { stdio: "inherit" });
  await ensurePaneBuilt(undefined, log);
  await startClusterForRun();
}
