#!/usr/bin/env node
// The `journaling-assistant` command. tsx compiles the TypeScript sources on the fly.
require("tsx/cjs");
require("../src/cli/main.ts")
  .main(process.argv.slice(2))
  .then((code) => {
    if (typeof code === "number") process.exitCode = code;
  })
  .catch((err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  });
