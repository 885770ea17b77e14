import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const PACKAGE_NAME = "journaling-assistant";
let cached: string | undefined;

/**
 * The installed package's root folder (where package.json, dist/ and manifest/ are). Found by walking
 * up from this module, so it holds both for the sources (src/…, under jest or tsx) and for the
 * compiled command (dist/cli/…), whose __dirname differs.
 */
export function packageRoot(): string {
  if (cached !== undefined) return cached;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === PACKAGE_NAME
    ) {
      cached = dir;
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`${PACKAGE_NAME}: package.json not found above ${__dirname}`);
  }
}
