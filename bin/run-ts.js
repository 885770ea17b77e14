#!/usr/bin/env node
// Runs a TypeScript entry point with tsx's CommonJS hook (no build step needed for the CLI).
require("tsx/cjs");
const path = require("node:path");
const entry = process.argv[2];
process.argv.splice(1, 2, path.resolve(entry));
require(path.resolve(entry));
