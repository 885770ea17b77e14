import { readFileSync } from "node:fs";
import { decodeJwt } from "jose";
import {
  API_CLIENT_SECRET,
  API_DEFAULT_CLAIMS_APP_ID,
  API_DEFAULT_CLAIMS_IDENTIFIER_URI,
} from "../../../src/emulator/directory/apps";
import { startStack, waitForRun, type Stack } from "./harness";

/**
 * Who may do what, as a real tenant decides it: Entra roles whether or not the token carries `wids`
 * (the app registration's groupMembershipClaims), and Exchange's own role groups for admins who
 * hold no Entra role at all (Exchange decides, and its refusals are shown plainly).
 */
const usEveryone = JSON.parse(readFileSync("examples/us-everyone.json", "utf8")) as unknown;
const euIndia = JSON.parse(readFileSync("examples/eu-india-regions.json", "utf8")) as unknown;

async function apply(stack: Stack, token: string, desired: unknown = usEveryone): Promise<Record<string, unknown>> {
  const plan = await stack.api("POST", "/api/plan", token, { desired });
  expect(plan.status).toBe(200);
  const run = await stack.api("POST", "/api/runs", token, { desired, planHash: plan.json.planHash });
  expect(run.status).toBe(202);
  return (await waitForRun(stack, token, String(run.json.runId))).json;
}

type RunAction = { cmdlet: string; state: string; error: { code: string; message: string } | null };

describe("an API registration without groupMembershipClaims (tokens have no wids)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      config: {
        clientId: API_DEFAULT_CLAIMS_APP_ID,
        clientSecret: API_CLIENT_SECRET,
        apiAudience: API_DEFAULT_CLAIMS_IDENTIFIER_URI,
      },
    });
  });
  afterAll(() => stack.close());

  /** A token for the default-claims API, as the pane would get it. */
  async function token(upn: string): Promise<string> {
    const user = stack.emulator.config.users.find((u) => u.upn === upn)!;
    const res = await stack.http.send({
      method: "POST",
      url: `${stack.emulator.config.origin}/contoso.com/oauth2/v2.0/token`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "password",
        client_id: stack.emulator.config.apps.pane.clientId,
        username: upn,
        password: user.password,
        scope: `${API_DEFAULT_CLAIMS_IDENTIFIER_URI}/access_as_user openid profile`,
      }).toString(),
    });
    return (JSON.parse(res.text) as { access_token: string }).access_token;
  }

  test("a Global Administrator still applies: the roles come from Graph", async () => {
    const admin = await token("admin@contoso.com");
    expect(decodeJwt(admin)).not.toHaveProperty("wids");
    const me = await stack.api("GET", "/api/me", admin);
    expect(me.json).toMatchObject({
      roles: ["Global Administrator"],
      canChange: true,
      access: { kind: "entraAdmin", rolesFrom: "graph" },
    });
    expect((await apply(stack, admin)).state).toBe("succeeded");
  });

  test("an Entra reader role (Compliance Administrator) stays read-only", async () => {
    const reader = await token("compliance.admin@contoso.com");
    const me = await stack.api("GET", "/api/me", reader);
    expect(me.json).toMatchObject({
      roles: ["Compliance Administrator"],
      canChange: false,
      access: { kind: "entraReader", rolesFrom: "graph" },
    });
    const run = await stack.api("POST", "/api/runs", reader, { desired: usEveryone, planHash: "0123456789abcdef" });
    expect(run.status).toBe(403);
    expect(run.json.error?.code).toBe("forbidden_role");
  });
});

describe("Exchange role groups without an Entra role (default registration)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  test("an Organization Management member applies the US setup; /me says Exchange decides", async () => {
    const token = await stack.token("exchange.orgadmin@contoso.com");
    const me = await stack.api("GET", "/api/me", token);
    expect(me.json).toMatchObject({ roles: [], canChange: true, access: { kind: "exchangeDecides" } });
    expect(String((me.json.access as { text: string }).text)).toMatch(/Exchange decides/);
    const run = await apply(stack, token);
    expect(run.state).toBe("succeeded");
    expect(run.startedBy).toBe("exchange.orgadmin@contoso.com");
  });

  test("a Compliance Management member sets up journaling to one address: the Journaling role covers it", async () => {
    stack.emulator.state.reset();
    const token = await stack.token("exchange.compliance@contoso.com");
    const me = await stack.api("GET", "/api/me", token);
    expect(me.json).toMatchObject({ canChange: true, access: { kind: "exchangeDecides" } });
    const run = await apply(stack, token);
    expect(run.state).toBe("succeeded");
    expect(stack.emulator.state.getTenant("contoso.com")!.exchange.journalRules).toHaveLength(1);
  });

  test("a Compliance Management member's regional run stops where Exchange refuses, naming the cmdlet and the role", async () => {
    // Back to a fresh tenant: regional lists need the Distribution Groups role, which Compliance Management lacks.
    stack.emulator.state.reset();
    const token = await stack.token("exchange.compliance@contoso.com");
    const run = await apply(stack, token, euIndia);
    expect(run.state).toBe("failed");
    const actions = run.actions as RunAction[];
    const list = actions.find((a) => a.cmdlet === "New-DistributionGroup")!;
    expect(list.state).toBe("failed");
    expect(list.error?.code).toBe("access_denied");
    expect(list.error?.message).toMatch(
      /^Exchange refused New-DistributionGroup for exchange\.compliance@contoso\.com/,
    );
    expect(list.error?.message).toMatch(/"Distribution Groups" \(role groups? [^)]*Organization Management/);
    // Nothing after the refusal ran: no journal rule was attempted.
    const rules = actions.filter((a) => a.cmdlet === "New-JournalRule");
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) expect(rule).toMatchObject({ state: "skipped", attempts: 0 });
    expect(stack.emulator.state.getTenant("contoso.com")!.exchange.journalRules).toEqual([]);
  });

  test("a user with no role anywhere gets Exchange's refusal in words, not a crash", async () => {
    const token = await stack.token("user@contoso.com");
    const me = await stack.api("GET", "/api/me", token);
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ canChange: false, access: { kind: "none" } });
    const text = String((me.json.access as { text: string }).text);
    expect(text).toMatch(/Exchange Online refused your account: User is not allowed to call Get-TransportConfig/);
    expect(text).toMatch(/Organization Management/);
    const run = await stack.api("POST", "/api/runs", token, { desired: usEveryone, planHash: "0123456789abcdef" });
    expect(run.status).toBe(403);
    expect(run.json.error?.code).toBe("forbidden_role");
    expect(run.json.error?.message).toMatch(/Exchange Online refused your account/);
    const plan = await stack.api("POST", "/api/plan", token, { desired: usEveryone });
    expect(plan.status).toBe(403);
  });
});
