// One jest run, two projects. "sqlite": every test (unit and integration in Node, component tests in
// jsdom per file docblock, browser tests driving real Chromium through playwright-core) with backends on
// SQLite. "postgres": the API and browser suites again, every backend they start on PostgreSQL
// (issue 16: the suites pass on both stores). `npx jest --selectProjects sqlite <path>` runs one.
const transform = {
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
};
const shared = {
  transform,
  // ESM-only packages (jose 6, ...) are compiled to CommonJS for jest like our own code.
  transformIgnorePatterns: ["/node_modules/(?!(jose|strip-bom)/)"],
  testEnvironment: "node",
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...shared,
      displayName: "sqlite",
      testMatch: ["<rootDir>/test/**/*.test.ts", "<rootDir>/test/**/*.test.tsx"],
      setupFiles: ["<rootDir>/test/setup/backendOnSqlite.ts"],
    },
    {
      ...shared,
      displayName: "postgres",
      testMatch: ["<rootDir>/test/integration/server/**/*.test.ts", "<rootDir>/test/e2e/**/*.test.ts"],
      // These two make their own PostgreSQL databases whatever the project.
      testPathIgnorePatterns: [
        "/node_modules/",
        "/test/integration/server/store\\.test\\.ts$",
        "/test/integration/server/twoInstances\\.test\\.ts$",
        "/test/integration/server/acrossInstances\\.test\\.ts$",
      ],
      setupFiles: ["<rootDir>/test/setup/backendOnPostgres.ts"],
    },
  ],
  // Builds the pane and the CLI, makes sure Chromium is there and starts the throwaway PostgreSQL
  // cluster, once, before any suite starts; the teardown stops the cluster.
  globalSetup: "<rootDir>/test/globalSetup.ts",
  globalTeardown: "<rootDir>/test/globalTeardown.ts",
  // jest reads the timeout from the run's options, not from a project's.
  testTimeout: 30000,
  maxWorkers: 2,
};
