import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const INSTALL_COMMAND = "apt-get update && apt-get install -y chromium";

/** Flags for headless Chromium in containers and CI (toolchain.md). */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * The browser tests never skip silently: without Chromium they install it (as root, saying so) or
 * fail with the exact command to run.
 */
export function ensureChromium(log: (line: string) => void = (l) => void process.stderr.write(l + "\n")): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM_PATH}. Install it with:\n  sudo ${INSTALL_COMMAND}\n(or set CHROMIUM_PATH to a Chromium binary)`,
    );
  }
  log(`Chromium is missing: installing it with \`${INSTALL_COMMAND}\` (about 30 s, ~500 MB)…`);
  execFileSync("sh", ["-c", `DEBIAN_FRONTEND=noninteractive ${INSTALL_COMMAND}`], { stdio: "inherit" });
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`apt-get finished but ${CHROMIUM_PATH} is still missing; run: ${INSTALL_COMMAND}`);
  return CHROMIUM_PATH;
}
