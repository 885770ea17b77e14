/**
 * ARCHITECTURE.md's Parts table is a lint rule: these lint one import at a time with the real
 * eslint.config.mjs, so removing or loosening a boundary there fails here.
 *
 * ESLint loads its config with import(), which jest's module sandbox refuses, so the linting runs in
 * a plain node process, once for all snippets. The snippets are linted as files at the given paths
 * (which don't exist), so type-aware linting is switched off for them: the import rules need only the
 * path and the resolver.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const root = join(__dirname, "..", "..", "..");

const BOUNDARY_RULES = ["import-x/no-restricted-paths", "import-x/no-nodejs-modules", "import-x/no-cycle"];

interface Snippet {
  what: string;
  path: string;
  code: string;
}

interface Message {
  ruleId: string | null;
  message: string;
  fatal: boolean;
}

const LINT_SNIPPETS = `
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
const { root, snippets } = JSON.parse(readFileSync(0, "utf8"));
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: join(root, "eslint.config.mjs"),
  overrideConfig: [tseslint.configs.disableTypeChecked],
});
const out = [];
for (const { path, code } of snippets) {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  out.push(result.messages.map((m) => ({ ruleId: m.ruleId, message: m.message, fatal: m.fatal === true })));
}
process.stdout.write(JSON.stringify(out));
`;

const rejected: Snippet[] = [
  { what: "the core importing the server", path: "src/core/x.ts", code: 'export * from "../server/errors";' },
  { what: "the core importing browser services", path: "src/core/x.ts", code: 'export * from "../services/errors";' },
  {
    what: "the server importing a component",
    path: "src/server/x.ts",
    code: 'export * from "../components/errors/describeError";',
  },
  { what: "the server importing the emulator", path: "src/server/x.ts", code: 'export * from "../emulator/server";' },
  {
    what: "the server's pane files importing the emulator",
    path: "src/server/pane/x.ts",
    code: 'export * from "../../emulator/config";',
  },
  {
    what: "the server importing browser services",
    path: "src/server/x.ts",
    code: 'export * from "../services/config";',
  },
  {
    what: "a service importing a component",
    path: "src/services/x.ts",
    code: 'export * from "../components/errors/describeError";',
  },
  { what: "a component importing the server", path: "src/components/x.tsx", code: 'export * from "../server/errors";' },
  {
    what: "the pane's entry importing the dev host",
    path: "src/taskpane/x.tsx",
    code: 'export * from "../devhost/protocol";',
  },
  {
    what: "the dev host importing the emulator (types too)",
    path: "src/devhost/x.ts",
    code: 'import type { EmulatorConfig } from "../emulator/config";\nexport type C = EmulatorConfig;',
  },
  { what: "the emulator importing the server", path: "src/emulator/x.ts", code: 'export * from "../server/errors";' },
  {
    what: "the server importing a test helper",
    path: "src/server/x.ts",
    code: 'export * from "../../test/globalSetup";',
  },
  {
    what: "the cli importing a component",
    path: "src/cli/x.ts",
    code: 'export * from "../components/errors/describeError";',
  },
  { what: "the stack importing browser services", path: "src/stack/x.ts", code: 'export * from "../services/errors";' },
  {
    what: "the manifest importing the server",
    path: "manifest/lib/x.ts",
    code: 'export * from "../../src/server/errors";',
  },
  {
    what: "the manifest importing the pane's file server (only its CSP is allowed)",
    path: "manifest/lib/x.ts",
    code: 'export * from "../../src/server/pane/site";',
  },
];

const allowed: Snippet[] = [
  { what: "the core importing the core", path: "src/core/x.ts", code: 'export * from "./errors";' },
  {
    what: "a component importing services and the core",
    path: "src/components/x.tsx",
    code: 'export * from "../services/errors";\nexport * from "../core/errors";',
  },
  {
    what: "the pane's entry importing a component",
    path: "src/taskpane/x.tsx",
    code: 'export * from "../components/errors/describeError";',
  },
  { what: "the server importing the core", path: "src/server/x.ts", code: 'export * from "../core/errors";' },
  { what: "the server importing Node", path: "src/server/x.ts", code: 'export { readFile } from "node:fs/promises";' },
  {
    what: "the emulator importing the core's cmdlet catalog",
    path: "src/emulator/x.ts",
    code: 'export * from "../core/exchange/catalog";',
  },
  {
    what: "the stack importing the emulator, the dev host and the server",
    path: "src/stack/x.ts",
    code: 'export * from "../emulator/server";\nexport * from "../devhost/protocol";\nexport * from "../server/errors";',
  },
  { what: "the cli importing the server", path: "src/cli/x.ts", code: 'export * from "../server/errors";' },
  {
    what: "the manifest importing the pane's CSP",
    path: "manifest/lib/x.ts",
    code: 'export * from "../../src/server/pane/csp";',
  },
  {
    what: "a test importing anything",
    path: "test/unit/x.test.ts",
    code: 'export * from "../../src/emulator/server";\nexport * from "../../src/components/errors/describeError";',
  },
];

const nodeInBrowser: Snippet[] = [
  { what: "the core", path: "src/core/x.ts", code: 'export { readFileSync } from "node:fs";' },
  { what: "a service", path: "src/services/x.ts", code: 'export { join } from "path";' },
  {
    what: "a component (a type-only import too)",
    path: "src/components/x.tsx",
    code: 'import type { IncomingMessage } from "node:http";\nexport type M = IncomingMessage;',
  },
  { what: "the pane's entry", path: "src/taskpane/x.tsx", code: 'export { createHash } from "crypto";' },
];

// hostDetect imports ./host (the browser host it falls back to), so host importing hostDetect closes a circle.
const circle: Snippet = {
  what: "an import circle",
  path: "src/services/host.ts",
  code: 'import { detectHost } from "./hostDetect";\nexport const detect = detectHost;',
};

const snippets = [...rejected, ...allowed, ...nodeInBrowser, circle];
const results = new Map<Snippet, Message[]>();

/** A relative import that resolves to nothing is skipped by the rules, so each one must name a real file. */
function unresolvedImports({ path, code }: Snippet): string[] {
  const specifiers = [...code.matchAll(/from "(\.[^"]+)"/g)].map((m) => m[1] ?? "");
  return specifiers.filter((spec) => {
    const base = join(root, dirname(path), spec);
    return ![".ts", ".tsx", "/index.ts"].some((ext) => existsSync(base + ext));
  });
}

function boundaryErrors(snippet: Snippet): Message[] {
  const messages = results.get(snippet);
  if (messages === undefined) throw new Error(`no lint result for ${snippet.what}`);
  const fatal = messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(`${snippet.path} did not parse: ${fatal.map((m) => m.message).join("; ")}`);
  return messages.filter((m) => m.ruleId !== null && BOUNDARY_RULES.includes(m.ruleId));
}

beforeAll(async () => {
  const child = promisify(execFile)(process.execPath, ["--input-type=module", "--eval", LINT_SNIPPETS], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
  child.child.stdin?.end(JSON.stringify({ root, snippets }));
  const { stdout } = await child;
  const out = JSON.parse(stdout) as Message[][];
  snippets.forEach((snippet, i) => results.set(snippet, out[i] ?? []));
}, 120_000);

describe("the Parts table as lint", () => {
  it("lints snippets whose imports all name real files", () => {
    expect(snippets.flatMap((s) => unresolvedImports(s).map((spec) => `${s.path}: ${spec}`))).toEqual([]);
  });

  it.each(rejected.map((s) => [s.what, s] as const))("rejects %s", (_what, snippet) => {
    const errors = boundaryErrors(snippet);
    expect(errors.map((m) => m.ruleId)).toEqual(["import-x/no-restricted-paths"]);
    expect(errors[0]?.message).toMatch(/may import only .*ARCHITECTURE\.md/);
  });

  it.each(allowed.map((s) => [s.what, s] as const))("allows %s", (_what, snippet) => {
    expect(boundaryErrors(snippet)).toEqual([]);
  });

  it.each(nodeInBrowser.map((s) => [s.what, s] as const))(
    "keeps Node built-ins out of browser code: %s",
    (_what, snippet) => {
      expect(boundaryErrors(snippet).map((m) => m.ruleId)).toEqual(["import-x/no-nodejs-modules"]);
    },
  );

  it("rejects an import circle", () => {
    expect(boundaryErrors(circle).map((m) => m.ruleId)).toEqual(["import-x/no-cycle"]);
  });
});
