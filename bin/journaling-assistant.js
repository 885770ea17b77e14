#!/usr/bin/env node
// The `journaling-assistant` command: compiled JavaScript (dist/cli/main.js, built by `npm install`
// through the `prepare` script, or by `npm run build`).
let cli;
try {
  cli = require("../dist/cli/main.js");
} catch (err) {
  if (err && err.code === "MODULE_NOT_FOUND" && String(err.message).includes("dist/cli/main.js")) {
    console.error("journaling-assistant is not built: run `npm run build:cli` (or `npm install`) in its folder first.");
    process.exit(1);
  }
  throw err;
}
cli
  .main(process.argv.slice(2))
  .then((code) => {
    if (typeof code === "number") process.exitCode = code;
  })
  .catch((err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  });
