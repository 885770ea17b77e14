import { ensureChromium } from "./e2e/ensureChromium";
import { ensurePaneBuilt } from "../src/taskpane/server/paneService";

/**
 * Runs once before any test file: the browser suites and the pane-serving test all need the built
 * pane and Chromium. Building here, once, keeps parallel workers from each running webpack into the
 * same folder (and from spending their hook timeouts on it) on a fresh clone.
 */
export default async function globalSetup(): Promise<void> {
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  ensureChromium(log);
  await ensurePaneBuilt(undefined, log);
}
