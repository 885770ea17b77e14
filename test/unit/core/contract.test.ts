import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  API_ERROR_CODES,
  CHANGE_ROLE_NAMES,
  READ_ROLE_NAMES,
  REQUIRED_ROLES_TEXT,
  ROLE,
  RUN_EVENT_TYPES,
  hasAnyRole,
  roleNames,
} from "../../../src/core/contract";
import {
  connectorValidateRequestSchema,
  planRequestSchema,
  progressRequestSchema,
  runRequestSchema,
} from "../../../src/core/contract/requests";
import { formatPath } from "../../../src/core/errors";

const CONTRACT = join(__dirname, "..", "..", "..", "src", "core", "contract");

/** The field errors a body gets, as the API reports them (path: message). */
function problems(
  schema: { safeParse(v: unknown): { success: boolean; error?: { issues: unknown[] } } },
  body: unknown,
) {
  const parsed = schema.safeParse(body);
  if (parsed.success) return [];
  return (parsed.error?.issues as { path: PropertyKey[]; message: string }[]).map(
    (i) => `${formatPath(i.path)}: ${i.message}`,
  );
}

describe("the contract's request bodies", () => {
  it("plan: needs the desired state, nothing else", () => {
    expect(problems(planRequestSchema, { desired: { version: 1 } })).toEqual([]);
    expect(problems(planRequestSchema, {})).toEqual(["desired: is required: the desired state"]);
    expect(problems(planRequestSchema, { desired: null })).toEqual(["desired: is required: the desired state"]);
    expect(problems(planRequestSchema, { desired: {}, extra: 1 })).toHaveLength(1);
  });

  it("run: needs the desired state and the reviewed planHash", () => {
    expect(problems(runRequestSchema, { desired: {}, planHash: "0123456789abcdef" })).toEqual([]);
    expect(problems(runRequestSchema, { desired: {} })).toEqual([
      "planHash: is required: the planHash of the plan you reviewed",
    ]);
    expect(problems(runRequestSchema, { desired: {}, planHash: "ABC" })).toEqual([
      "planHash: must be the 16-hex-digit planHash returned by POST /api/plan",
    ]);
  });

  it("connector validate: an optional host, or no body at all", () => {
    expect(problems(connectorValidateRequestSchema, undefined)).toEqual([]);
    expect(problems(connectorValidateRequestSchema, {})).toEqual([]);
    expect(problems(connectorValidateRequestSchema, { host: "journaling.area1.example" })).toEqual([]);
    expect(problems(connectorValidateRequestSchema, { host: "" })).toHaveLength(1);
  });

  it("progress: step names and states, and the version read", () => {
    expect(problems(progressRequestSchema, { steps: { check: "done" }, version: 0 })).toEqual([]);
    // zod reports a bad record key as its own issue on the key.
    expect(problems(progressRequestSchema, { steps: { "a b": "done" }, version: 0 })).toEqual([
      expect.stringMatching(/^steps\.a b: /),
    ]);
    expect(problems(progressRequestSchema, { steps: { check: "maybe" }, version: 0 })).toEqual([
      "steps.check: must be todo or done",
    ]);
    expect(problems(progressRequestSchema, { steps: {} })).toEqual(["version: is required: the version you read"]);
  });
});

describe("the contract's role ids", () => {
  it("names the roles that may change things, as the API reports them", () => {
    expect(CHANGE_ROLE_NAMES).toEqual(["Exchange Administrator", "Global Administrator"]);
    expect(READ_ROLE_NAMES).toEqual([
      "Exchange Administrator",
      "Global Administrator",
      "Global Reader",
      "Compliance Administrator",
    ]);
    expect(REQUIRED_ROLES_TEXT).toBe("Exchange Administrator or Global Administrator");
  });

  it("reads role template ids case-insensitively", () => {
    const wids = [ROLE.globalReader.id.toUpperCase(), "00000000-0000-0000-0000-000000000000"];
    expect(roleNames(wids)).toEqual(["Global Reader"]);
    expect(hasAnyRole(wids, [ROLE.globalReader])).toBe(true);
    expect(hasAnyRole(wids, [ROLE.exchangeAdministrator, ROLE.globalAdministrator])).toBe(false);
  });
});

describe("the contract's codes", () => {
  it("lists each API error code and run event type once", () => {
    expect(new Set(API_ERROR_CODES).size).toBe(API_ERROR_CODES.length);
    expect(RUN_EVENT_TYPES).toEqual([
      "action-started",
      "action-retried",
      "action-succeeded",
      "action-failed",
      "run-finished",
    ]);
  });
});

describe("the contract's modules", () => {
  // The pane imports the contract in its first render: only requests.ts may load zod, and the other
  // modules load nothing at run time but each other (`import type` is erased).
  it.each(readdirSync(CONTRACT).filter((f) => f.endsWith(".ts") && f !== "requests.ts"))(
    "%s loads no zod and nothing outside the contract",
    (file) => {
      const source = readFileSync(join(CONTRACT, file), "utf8");
      const runtime = [...source.matchAll(/^(?:import|export)(?! type)[^;]*? from "([^"]+)";/gms)].map((m) => m[1]);
      expect(runtime.filter((from) => !from?.startsWith("./"))).toEqual([]);
      expect(runtime).not.toContain("./requests");
    },
  );
});
