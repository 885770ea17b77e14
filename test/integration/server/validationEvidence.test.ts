import { readFileSync } from "node:fs";
import { startStack, type Stack } from "./harness";

/**
 * Connector validation succeeds only on evidence. Microsoft documents no output for
 * Validate-OutboundConnector, so an answer with no result, or with results the backend can't read,
 * is "could not confirm": the connector is not marked validated and the user is told so.
 */
const euIndia = JSON.parse(readFileSync("examples/eu-india-regions.json", "utf8")) as unknown;
const ADMIN = "admin@contoso.com";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  const token = await stack.token(ADMIN);
  const plan = await stack.api("POST", "/api/plan", token, { desired: euIndia });
  const run = await stack.api("POST", "/api/runs", token, { desired: euIndia, planHash: plan.json.planHash });
  expect(run.status).toBe(202);
  for (let i = 0; i < 400; i++) {
    const r = await stack.api("GET", `/api/runs/${String(run.json.runId)}`, token);
    if (r.json.state !== "running") {
      expect(r.json.state).toBe("succeeded");
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the setup did not finish applying");
});
afterAll(async () => {
  await stack.close();
});

async function validate(): Promise<Record<string, unknown>> {
  const token = await stack.token(ADMIN);
  const start = await stack.api("POST", "/api/connector/validate", token, {});
  expect(start.status).toBe(202);
  const id = String(start.json.validationId);
  for (let i = 0; i < 400; i++) {
    const v = await stack.api("GET", `/api/connector/validations/${id}`, token);
    if (v.json.state !== "running") return v.json;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`validation ${id} still running`);
}

async function connectorsValidated(): Promise<boolean[]> {
  const state = await stack.api("GET", "/api/tenant/state", await stack.token(ADMIN));
  return (state.json["Get-OutboundConnector"] as { IsValidated: boolean }[]).map((c) => c.IsValidated);
}

test.each([
  ["empty", "Exchange ran Validate-OutboundConnector but returned no result"],
  [
    "unrecognised",
    "Exchange ran Validate-OutboundConnector but none of its 2 results says whether the test succeeded (no IsTaskSuccessful)",
  ],
])("an %s answer is 'could not confirm', never validated", async (shape, message) => {
  await stack.exchangeSettings("contoso.com", { validateOutboundConnectorOutput: shape });
  const v = await validate();
  expect(v.state).toBe("failed");
  const results = v.results as { host: string; ok: boolean; error?: { code: string; message: string } }[];
  expect(results).toHaveLength(2);
  for (const r of results) expect(r).toMatchObject({ ok: false, error: { code: "validation_unconfirmed", message } });
  expect(await connectorsValidated()).toEqual([false, false]);
  const audit = await stack.api("GET", "/api/audit", await stack.token(ADMIN));
  expect((audit.json.entries as { cmdlet: string }[]).map((e) => e.cmdlet)).not.toContain("Set-OutboundConnector");
});

test("with the task rows back, the same connectors validate", async () => {
  await stack.exchangeSettings("contoso.com", { validateOutboundConnectorOutput: "taskRows" });
  const v = await validate();
  expect(v.state).toBe("succeeded");
  expect(await connectorsValidated()).toEqual([true, true]);
});
