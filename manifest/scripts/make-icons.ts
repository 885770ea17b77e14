/**
 * Writes the app's icons to manifest/icons/ (colour 192x192, outline 32x32, add-in ribbon icons 16/32/80).
 * Run: npx tsx manifest/scripts/make-icons.ts   (the files are committed; rerun only when the design changes)
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { renderIcons } from "../lib/icons";
import { ICONS_DIR } from "../lib/paths";

export function makeIcons(outDir: string = ICONS_DIR): string[] {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const [name, png] of renderIcons()) {
    const file = path.join(outDir, name);
    writeFileSync(file, png);
    written.push(file);
  }
  return written;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === __filename) {
  for (const file of makeIcons()) console.log(path.relative(process.cwd(), file));
}
