import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

/** Runs the benchmarks named on the command line (e.g. `apply status`), or every bench/*.ts. */
const own = new Set(["run.ts"]);
// `tab-status` names bench/tabStatus.ts: the command line's words, the files' camelCase.
const wanted = process.argv
  .slice(2)
  .map((a) => a.replace(/^bench\//, "").replace(/\.ts$/, ""))
  .map((a) => a.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()));
const all = readdirSync(__dirname)
  .filter((f) => f.endsWith(".ts") && !own.has(f))
  .map((f) => f.replace(/\.ts$/, ""));
const chosen = wanted.length ? wanted : all;
let failed = 0;
for (const name of chosen) {
  if (!all.includes(name)) {
    process.stderr.write(`no benchmark bench/${name}.ts (have: ${all.join(", ")})\n`);
    failed++;
    continue;
  }
  const res = spawnSync(process.execPath, [join(__dirname, "..", "bin", "run-ts.js"), join(__dirname, `${name}.ts`)], {
    stdio: "inherit",
  });
  if (res.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
