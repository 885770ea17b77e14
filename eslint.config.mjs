import js from "@eslint/js";
import tseslint from "typescript-eslint";
// import-x over eslint-plugin-boundaries: one maintained plugin gives both the folder zones and no-cycle, on the same resolver.
import importX, { createNodeResolver } from "eslint-plugin-import-x";

const root = import.meta.dirname;

/**
 * ARCHITECTURE.md, "Parts": each part and what it may import besides itself and npm packages.
 * test/, bench/ and the tooling around them (bin/, scripts/, config files) may import anything.
 */
const PARTS = {
  "src/core": [],
  "src/services": ["src/core"],
  "src/components": ["src/core", "src/services"],
  "src/taskpane": ["src/core", "src/services", "src/components"],
  "src/server": ["src/core"],
  // The table says "for shared types only", but the emulator binds parameters from the planner's cmdlet
  // catalog (STYLE.md: one definition of a cmdlet's parameters), so it may import the core's values too.
  "src/emulator": ["src/core"],
  "src/devhost": ["src/core"],
  "src/stack": ["src/server", "src/emulator", "src/devhost", "src/core"],
  // The table's cli row has an `emulator` command, which starts the emulator without the rest of the stack.
  "src/cli": ["src/server", "src/core", "src/stack", "src/emulator"],
  manifest: ["src/core", "src/server/pane/csp.ts"],
};

/** A folder as a glob of all it holds, a file as a glob of itself (`@(csp.ts)`): the rule wants globs throughout. */
const glob = (path) =>
  path.endsWith(".ts") ? `${root}/${path.replace(/[^/]+$/, (name) => `@(${name})`)}` : `${root}/${path}/**`;

/** One zone per part: nothing in the repo (other than npm packages) but the part and what it may import. */
const boundaryZones = Object.entries(PARTS).map(([part, allowed]) => ({
  target: glob(part),
  from: `${root}/**`,
  except: [part, ...allowed, "node_modules"].map(glob),
  message: `${part}/ may import only ${[part, ...allowed].join(", ")} (ARCHITECTURE.md, Parts).`,
}));

/** Browser code: the pane's bundle, which has no Node built-ins. */
const BROWSER = ["src/core/**", "src/services/**", "src/components/**", "src/taskpane/**"];

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "dist/",
      "coverage/",
      "artifacts/",
      ".data/",
      "**/*.js",
      "!bin/**",
      "!webpack.config.js",
      "!jest.config.js",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/explicit-module-boundary-types": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      eqeqeq: ["error", "always"],
      "no-console": "off",
    },
  },
  {
    // The Parts table as lint: a breach of a part's floor, an import circle, or Node in browser code fails `npm run lint`.
    plugins: { "import-x": importX },
    settings: {
      // Without these, import-x reads only .js files and no-cycle silently sees no TypeScript module.
      "import-x/extensions": [".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx", ".mts", ".cts"] },
      "import-x/external-module-folders": ["node_modules", "node_modules/@types"],
      "import-x/resolver-next": [
        createNodeResolver({ extensions: [".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".json", ".node"] }),
      ],
    },
    rules: {
      "import-x/no-restricted-paths": ["error", { basePath: root, zones: boundaryZones }],
    },
  },
  {
    // Circles in the product's code (tests and benches only import it). no-cycle skips `import type`;
    // test/unit/lint/cycles.test.ts checks those too.
    files: ["src/**", "manifest/**"],
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    files: BROWSER,
    rules: { "import-x/no-nodejs-modules": "error" },
  },
  {
    files: ["test/**", "bench/**"],
    rules: {
      "@typescript-eslint/explicit-module-boundary-types": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/unbound-method": "off",
      // jest's asymmetric matchers (expect.stringContaining, ...) are typed `any` by @types/jest.
      "@typescript-eslint/no-unsafe-assignment": "off",
    },
  },
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: {
        require: "readonly",
        module: "writable",
        __dirname: "readonly",
        process: "readonly",
        console: "readonly",
      },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
