// Compiles the `journaling-assistant` command (src/cli/main.ts and everything it imports) into one
// CommonJS file, dist/cli/main.js, so the command runs as plain JavaScript on Node 20.19+ and 22: no
// TypeScript loader at run time, no ESM/CJS split. Packages stay in node_modules (not bundled), but
// for the ESM-only ones.
// The file is replaced atomically and only when it changed, so a running command never reads half of it.
import { build } from "esbuild";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
// jose is ESM-only: bundling it (as CommonJS) spares Node 22 a require() of an ES module and its warning.
const BUNDLED = new Set(["jose"]);
// pg-native: pg's optional native binding, required only by `new pg.native.Pool()`, which we never
// use; it is not installed, so it must never be resolved at build time even if pg were bundled.
const OPTIONAL_NATIVE = ["pg-native"];
const external = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)]
  .filter((name) => !BUNDLED.has(name))
  .concat(OPTIONAL_NATIVE)
  .flatMap((name) => [name, `${name}/*`]);
const outfile = join(root, "dist", "cli", "main.js");

const result = await build({
  entryPoints: [join(root, "src", "cli", "main.ts")],
  bundle: true,
  platform: "node",
  target: "node20.19",
  format: "cjs",
  external,
  outfile,
  write: false,
  sourcemap: "inline",
  sourcesContent: false,
  logLevel: "warning",
}).catch(() => {
  // esbuild has printed the errors with their file and line.
  process.exit(1);
});

mkdirSync(dirname(outfile), { recursive: true });
for (const file of result.outputFiles) {
  let before = null;
  try {
    before = readFileSync(file.path, "utf8");
  } catch {
    // first build
  }
  if (before === file.text) continue;
  const tmp = `${file.path}.${process.pid}.tmp`;
  writeFileSync(tmp, file.contents);
  renameSync(tmp, file.path);
}
