import { readFileSync } from "node:fs";
import { simulateMailFlow } from "../../../src/emulator/exchange";
import { startStack, waitForRun, type Stack } from "./harness";

/**
 * The whole flow over real HTTP against the emulator: plan, apply, re-apply with another setup,
 * status, connector validation, events, audit, shared progress.
 */
const usEveryone = JSON.parse(readFileSync("examples/us-everyone.json", "utf8")) as unknown;
const euIndia = JSON.parse(readFileSync("examples/eu-india-regions.json", "utf8")) as unknown;
const ADMIN = "admin@contoso.com";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

async function apply(token: string, desired: unknown): Promise<Record<string, unknown>> {
  const plan = await stack.api("POST", "/api/plan", token, { desired });
  expect(plan.status).toBe(200);
  const run = await stack.api("POST", "/api/runs", token, { desired, planHash: plan.json.planHash });
  expect(run.status).toBe(202);
  const done = await waitForRun(stack, token, String(run.json.runId));
  return done.json;
}

test("fresh contoso: US everyone, then EU + India regions; status clean, reports delivered, nothing left to do", async () => {
  const token = await stack.token(ADMIN);

  const first = await apply(token, usEveryone);
  expect(first.state).toBe("succeeded");

  const second = await apply(token, euIndia);
  expect(second.state).toBe("succeeded");
  const actions = second.actions as { cmdlet: string; state: string }[];
  expect(actions.map((a) => a.cmdlet)).toEqual(
    expect.arrayContaining(["New-OutboundConnector", "New-DistributionGroup", "New-JournalRule", "Remove-JournalRule"]),
  );
  expect(actions.every((a) => a.state === "succeeded")).toBe(true);

  // External mail arrives for the regional users; journaling sends reports to both regions.
  const contoso = stack.emulator.state.getTenant("contoso.com");
  if (!contoso) throw new Error("no contoso");
  const now = Date.now();
  const flow = simulateMailFlow(contoso, {
    from: new Date(now - 6 * 3_600_000),
    to: new Date(now - 60_000),
    count: 300,
    seed: 7,
  });
  expect(flow.journalReports).toBeGreaterThan(0);

  const status = await stack.api("GET", "/api/status", token);
  expect(status.status).toBe(200);
  const resources = status.json.resources as { kind: string; state: string }[];
  expect(resources.length).toBeGreaterThanOrEqual(7);
  expect(resources.filter((r) => r.state !== "ok")).toEqual([]);
  const trace = status.json.messageTrace as {
    ageSeconds: number;
    perAddress: { address: string; delivered: number; failed: number }[];
  };
  expect(trace.perAddress.map((p) => p.address).sort()).toEqual([
    "contoso@journaling.mailstream-bom.mxrecord.mx",
    "contoso@journaling.mailstream-eu1.mxrecord.io",
  ]);
  for (const p of trace.perAddress) expect(p.delivered).toBeGreaterThan(0);
  expect(typeof trace.ageSeconds).toBe("number");

  // A second caller shortly after gets the same cached trace, and says how old it is.
  const again = await stack.api("GET", "/api/status", token);
  expect((again.json.messageTrace as { asOf: string }).asOf).toBe((trace as unknown as { asOf: string }).asOf);

  const replan = await stack.api("POST", "/api/plan", token, { desired: euIndia });
  expect((replan.json.plan as { actions: unknown[] }).actions).toEqual([]);
});

test("connector validation marks the connectors validated, is stored, audited, and causes no drift", async () => {
  const token = await stack.token(ADMIN);
  const start = await stack.api("POST", "/api/connector/validate", token, {});
  expect(start.status).toBe(202);
  const id = String(start.json.validationId);
  let v = await stack.api("GET", `/api/connector/validations/${id}`, token);
  for (let i = 0; i < 200 && v.json.state === "running"; i++) {
    await new Promise((r) => setTimeout(r, 50));
    v = await stack.api("GET", `/api/connector/validations/${id}`, token);
  }
  expect(v.json.state).toBe("succeeded");
  const results = v.json.results as { host: string; ok: boolean; recipient: string }[];
  expect(results.map((r) => r.ok)).toEqual([true, true]);
  expect(results.map((r) => r.recipient).sort()).toEqual([
    "contoso@journaling.mailstream-bom.mxrecord.mx",
    "contoso@journaling.mailstream-eu1.mxrecord.io",
  ]);

  const state = await stack.api("GET", "/api/tenant/state", token);
  const connectors = state.json["Get-OutboundConnector"] as {
    IsValidated: boolean;
    LastValidationTimestamp: string | null;
  }[];
  expect(connectors.length).toBe(2);
  expect(connectors.every((c) => c.IsValidated && c.LastValidationTimestamp)).toBe(true);

  const status = await stack.api("GET", "/api/status", token);
  expect((status.json.connectorValidation as { id: string }).id).toBe(id);
  const audit = await stack.api("GET", "/api/audit", token);
  const cmdlets = (audit.json.entries as { cmdlet: string }[]).map((e) => e.cmdlet);
  expect(cmdlets).toEqual(expect.arrayContaining(["Validate-OutboundConnector", "Set-OutboundConnector"]));

  const replan = await stack.api("POST", "/api/plan", token, { desired: euIndia });
  expect((replan.json.plan as { actions: unknown[] }).actions).toEqual([]);
});

test("a late subscriber to a run's events gets every event replayed, ending with run-finished", async () => {
  const token = await stack.token(ADMIN);
  const audit = await stack.api("GET", "/api/audit", token);
  const runId = (audit.json.entries as { runId: string | null }[]).find((e) => e.runId)?.runId;
  const events = await stack.api("GET", `/api/runs/${runId}/events`, token);
  expect(events.status).toBe(200);
  expect(events.headers["content-type"]).toMatch(/^text\/event-stream/);
  const types = [...events.text.matchAll(/^event: (.+)$/gm)].map((m) => m[1]);
  expect(types[0]).toBe("action-started");
  expect(types).toContain("action-succeeded");
  expect(types[types.length - 1]).toBe("run-finished");
  const data = [...events.text.matchAll(/^data: (.+)$/gm)].map(
    (m) => JSON.parse(m[1] ?? "{}") as { runId: string; at: string },
  );
  expect(data.every((d) => d.runId === runId && typeof d.at === "string")).toBe(true);
});

test("shared progress: any user reads it, admins write it, stale versions get 409, history says who did what", async () => {
  const admin = await stack.token(ADMIN);
  const user = await stack.token("user@contoso.com");
  const initial = await stack.api("GET", "/api/progress", user);
  expect(initial.status).toBe(200);
  const version = Number(initial.json.version);
  const saved = await stack.api("PUT", "/api/progress", admin, {
    draft: euIndia,
    steps: { connector: "done" },
    version,
  });
  expect(saved.status).toBe(200);
  expect(saved.json.version).toBe(version + 1);
  expect(saved.json.updatedBy).toBe(ADMIN);
  const stale = await stack.api("PUT", "/api/progress", admin, { steps: { rules: "done" }, version });
  expect(stale.status).toBe(409);
  expect(stale.json.error?.code).toBe("version_conflict");
  const read = await stack.api("GET", "/api/progress", user);
  expect(read.json.steps).toEqual({ connector: "done" });
  const history = read.json.history as { by: string; what: string }[];
  expect(history[history.length - 1]).toMatchObject({
    by: ADMIN,
    what: expect.stringMatching(/finished step "connector"/i),
  });
  const denied = await stack.api("PUT", "/api/progress", user, { steps: {}, version: version + 1 });
  expect(denied.status).toBe(403);
  expect(denied.json.error?.code).toBe("forbidden_role");
});

test("shared history over HTTP: a sitting of typing and its Next make one entry, in an admin's words", async () => {
  const admin = await stack.token(ADMIN);
  const draft = (customer: string): Record<string, unknown> => ({
    customer,
    scope: "everyone",
    everyoneRegion: "us",
    regions: [],
    ndrMailbox: "",
  });
  let version = Number((await stack.api("GET", "/api/progress", admin)).json.version);
  const put = async (body: Record<string, unknown>): Promise<void> => {
    const saved = await stack.api("PUT", "/api/progress", admin, { ...body, version });
    expect(saved.status).toBe(200);
    version = Number(saved.json.version);
  };
  const before = ((await stack.api("GET", "/api/progress", admin)).json.history as unknown[]).length;
  // What the pane sends while the admin types "contoso" (a save after each pause), then Next.
  for (const customer of ["con", "conto", "contoso"]) await put({ draft: draft(customer), steps: { check: "done" } });
  await put({ draft: draft("contoso"), steps: { check: "done", address: "done" } });
  const history = (await stack.api("GET", "/api/progress", admin)).json.history as { by: string; what: string }[];
  expect(history.slice(before)).toEqual([
    expect.objectContaining({ by: ADMIN, what: expect.stringMatching(/step 1 Check/) }),
    expect.objectContaining({ by: ADMIN, what: "Finished step 2 Service address: customer name contoso" }),
  ]);
});

test("GET /api/me tells who the caller is and what they may do", async () => {
  const me = await stack.api("GET", "/api/me", await stack.token("exchange.admin@contoso.com"));
  expect(me.json).toMatchObject({
    user: { upn: "exchange.admin@contoso.com" },
    tenant: { name: "Contoso" },
    roles: ["Exchange Administrator"],
    canChange: true,
  });
  const user = await stack.api("GET", "/api/me", await stack.token("user@contoso.com"));
  expect(user.json).toMatchObject({
    roles: [],
    canChange: false,
    requiredRoles: ["Exchange Administrator", "Global Administrator"],
  });
});
