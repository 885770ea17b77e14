// One jest run: unit and integration tests in Node, component tests in jsdom (per-file docblock),
// browser tests in test/e2e drive real Chromium through playwright-core.
/** @type {import('jest').Config} */
module.exports = {
  testMatch: ["<rootDir>/test/**/*.test.ts", "<rootDir>/test/**/*.test.tsx"],
  transform: {
    "^.+\\.(t|j)sx?$": [
      "@swc/jest",
      {
        jsc: {
          parser: { syntax: "typescript", tsx: true },
          transform: { react: { runtime: "automatic" } },
          target: "es2022",
        },
        module: { type: "commonjs" },
      },
    ],
  },
  // ESM-only packages (jose 6, ...) are compiled to CommonJS for jest like our own code.
  transformIgnorePatterns: ["/node_modules/(?!(jose|strip-bom)/)"],
  testEnvironment: "node",
  // Builds the pane and makes sure Chromium is there, once, before the browser suites start.
  globalSetup: "<rootDir>/test/globalSetup.ts",
  testTimeout: 30000,
  maxWorkers: 2,
};
