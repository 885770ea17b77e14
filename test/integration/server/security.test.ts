import { generateKeyPairSync } from "node:crypto";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { signJwt } from "../../../src/emulator/entra/jwt";
import { ensureSigningKey } from "../../../src/emulator/entra/keys";
import { callApi, PANE_ORIGIN, startStack, waitForRun, type Stack } from "./harness";

/**
 * Who may do what: token validation, roles, tenant isolation, run exclusivity, body limits,
 * headers and logs.
 */
const usEveryone = JSON.parse(readFileSync("examples/us-everyone.json", "utf8")) as unknown;
const ADMIN = "admin@contoso.com";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

function claimsOf(token: string): Record<string, unknown> {
  return decodeJwt(token);
}

/** Re-signs a real token's claims (with changes) with the emulator's own signing key. */
function resigned(token: string, change: Record<string, unknown>): string {
  const key = ensureSigningKey(join(stack.dataDir, "emulator"));
  return signJwt({ ...claimsOf(token), ...change }, key);
}

describe("tokens", () => {
  test("a missing token gets 401 with a Bearer challenge", async () => {
    const res = await stack.api("GET", "/api/me", undefined);
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toBe('Bearer realm="journaling-assistant"');
  });

  test("expired, forged, wrong-audience, wrong-issuer and wrong-scope tokens get 401 and no detail", async () => {
    const good = await stack.token(ADMIN);
    const now = Math.floor(Date.now() / 1000);
    const claims = claimsOf(good);
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const kid = decodeProtectedHeader(good).kid ?? "";
    const graphToken = await (async () => {
      const user = stack.emulator.config.users.find((u) => u.upn === ADMIN);
      const res = await stack.http.send({
        method: "POST",
        url: `${stack.emulator.origin}/contoso.com/oauth2/v2.0/token`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "password",
          client_id: stack.emulator.config.apps.pane.clientId,
          username: ADMIN,
          password: user?.password ?? "",
          scope: "https://graph.microsoft.com/User.Read",
        }).toString(),
      });
      return (JSON.parse(res.text) as { access_token: string }).access_token;
    })();
    const bad: Record<string, string> = {
      expired: resigned(good, { iat: now - 7200, nbf: now - 7200, exp: now - 3600 }),
      notYetValid: resigned(good, { nbf: now + 3600, exp: now + 7200 }),
      forged: signJwt({ ...claims }, { kid, privateKey }),
      wrongAudience: graphToken,
      wrongAudienceResigned: resigned(good, { aud: "00000003-0000-0000-c000-000000000000" }),
      wrongIssuer: resigned(good, { iss: `https://login.microsoftonline.com/${String(claims.tid)}/v2.0` }),
      otherTenantsIssuer: resigned(good, {
        iss: `${stack.emulator.origin}/${stack.emulator.config.tenants[1]?.id}/v2.0`,
      }),
      noScope: resigned(good, { scp: "User.Read" }),
      // A v1 token of the same app (the registration asks for v2).
      v1: resigned(good, { ver: "1.0" }),
      // Microsoft personal accounts: never an organisation (its own issuer, so only the tenant check refuses it).
      personalAccount: resigned(good, {
        tid: "9188040d-6c67-4c5b-b112-36a304b66dad",
        iss: `${stack.emulator.origin}/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0`,
      }),
      // A B2B guest: authenticated by their home tenant, not the one they sign in to.
      guest: resigned(good, { idp: `${stack.emulator.origin}/${stack.emulator.config.tenants[1]?.id}/v2.0` }),
      guestAcct: resigned(good, { acct: 1 }),
      garbage: "not.a.jwt",
    };
    for (const [name, token] of Object.entries(bad)) {
      const res = await stack.api("GET", "/api/me", token);
      expect({ name, status: res.status }).toEqual({ name, status: 401 });
      expect(res.headers["www-authenticate"]).toBe('Bearer realm="journaling-assistant", error="invalid_token"');
      expect(res.json.error?.code).toBe("unauthorized");
      expect(res.text).not.toMatch(/expired|signature|audience|issuer|scope/i);
    }
    expect((await stack.api("GET", "/api/me", good)).status).toBe(200);
    // A member's token may name its own issuer as idp.
    expect((await stack.api("GET", "/api/me", resigned(good, { idp: String(claims.iss) }))).status).toBe(200);
  });
});

describe("client apps", () => {
  test("with an allow-list of client apps, a token requested by another app is refused", async () => {
    const pane = stack.emulator.config.apps.pane.clientId;
    const only = await startStack({ config: { allowedClientApps: [pane.toUpperCase()] } });
    try {
      const good = await only.token(ADMIN);
      expect((await only.api("GET", "/api/me", good)).status).toBe(200);
      const key = ensureSigningKey(join(only.dataDir, "emulator"));
      const otherApp = signJwt({ ...claimsOf(good), azp: "5e3ce6c0-2b1f-4285-8d4b-75ee78787346" }, key);
      const res = await only.api("GET", "/api/me", otherApp);
      expect(res.status).toBe(401);
      expect(res.text).not.toMatch(/azp|client app/i);
    } finally {
      await only.close();
    }
  });
});

describe("roles", () => {
  test("a user without an admin role can read progress but cannot plan, apply or validate", async () => {
    const user = await stack.token("user@contoso.com");
    expect((await stack.api("GET", "/api/progress", user)).status).toBe(200);
    const run = await stack.api("POST", "/api/runs", user, { desired: usEveryone, planHash: "0123456789abcdef" });
    expect(run.status).toBe(403);
    expect(run.json.error?.code).toBe("forbidden_role");
    expect(run.json.error?.message).toMatch(/Exchange Administrator or Global Administrator/);
    expect((await stack.api("POST", "/api/connector/validate", user, {})).status).toBe(403);
    expect((await stack.api("POST", "/api/plan", user, { desired: usEveryone })).status).toBe(403);
  });
});

describe("tenant isolation", () => {
  test("fabrikam's admin cannot see or touch contoso's runs, progress, audit or validations", async () => {
    const contoso = await stack.token(ADMIN);
    const fabrikam = await stack.token("admin@fabrikam.com");
    const plan = await stack.api("POST", "/api/plan", contoso, { desired: usEveryone });
    const run = await stack.api("POST", "/api/runs", contoso, { desired: usEveryone, planHash: plan.json.planHash });
    expect(run.status).toBe(202);
    const runId = String(run.json.runId);
    await waitForRun(stack, contoso, runId);
    const progress = await stack.api("GET", "/api/progress", contoso);
    await stack.api("PUT", "/api/progress", contoso, {
      draft: usEveryone,
      steps: { a: "done" },
      version: progress.json.version,
    });

    expect((await stack.api("GET", `/api/runs/${runId}`, fabrikam)).status).toBe(404);
    expect((await stack.api("GET", `/api/runs/${runId}/events`, fabrikam)).status).toBe(404);
    expect((await stack.api("GET", "/api/runs/active", fabrikam)).status).toBe(404);
    const fabProgress = await stack.api("GET", "/api/progress", fabrikam);
    expect(fabProgress.json).toMatchObject({ draft: null, steps: {}, version: 0 });
    expect((await stack.api("GET", "/api/audit", fabrikam)).json.entries).toEqual([]);
    // fabrikam's own tenant is what its admin reads and plans against.
    const fabState = await stack.api("GET", "/api/tenant/state", fabrikam);
    expect(fabState.json["Get-JournalRule"]).toEqual([]);
    const fabStatus = await stack.api("GET", "/api/status", fabrikam);
    expect(fabStatus.json.resources).toEqual([]);
    expect((await stack.api("POST", "/api/connector/validate", fabrikam, {})).json.error?.code).toBe("no_setup");
  });
});

describe("runs", () => {
  test("two concurrent runs for one tenant: one is refused with 409 naming who started the other", async () => {
    const admin = await stack.token(ADMIN);
    const exchangeAdmin = await stack.token("exchange.admin@contoso.com");
    const euIndia = JSON.parse(readFileSync("examples/eu-india-regions.json", "utf8")) as unknown;
    const plan = await stack.api("POST", "/api/plan", admin, { desired: euIndia });
    await stack.exchangeSettings("contoso.com", {
      // Every change takes a second, so the second request's read of the tenant (milliseconds)
      // sees it unchanged: the refusal is the 409 of a run in progress, not a 412 (tenant changed).
      latencyOverridesMs: Object.fromEntries(
        [
          "Set-TransportConfig",
          "New-OutboundConnector",
          "New-DistributionGroup",
          "New-JournalRule",
          "Remove-JournalRule",
        ].map((c) => [c, 1000]),
      ),
    });
    try {
      const [a, b] = await Promise.all([
        stack.api("POST", "/api/runs", admin, { desired: euIndia, planHash: plan.json.planHash }),
        stack.api("POST", "/api/runs", exchangeAdmin, { desired: euIndia, planHash: plan.json.planHash }),
      ]);
      const statuses = [a.status, b.status].sort();
      expect(statuses).toEqual([202, 409]);
      const refused = a.status === 409 ? a : b;
      const winner = a.status === 202 ? a : b;
      expect(refused.json.error?.code).toBe("run_in_progress");
      expect(refused.json.error?.startedBy).toBe(a.status === 202 ? ADMIN : "exchange.admin@contoso.com");
      const active = await stack.api("GET", "/api/runs/active", admin);
      expect(active.json.id).toBe(winner.json.runId);
      await waitForRun(stack, admin, String(winner.json.runId));
    } finally {
      await stack.exchangeSettings("contoso.com", { latencyOverridesMs: {} });
    }
  });

  test("a plan reviewed before the tenant changed is refused with 412", async () => {
    const admin = await stack.token(ADMIN);
    const res = await stack.api("POST", "/api/runs", admin, { desired: usEveryone, planHash: "0123456789abcdef" });
    expect(res.status).toBe(412);
    expect(res.json.error?.code).toBe("plan_changed");
  });
});

describe("request hygiene", () => {
  test("malformed JSON is 400, invalid fields are 400 with field errors, oversized bodies are 413", async () => {
    const admin = await stack.token(ADMIN);
    const malformed = await stack.api("POST", "/api/plan", admin, "{not json");
    expect(malformed.status).toBe(400);
    expect(malformed.json.error?.code).toBe("invalid_json");
    const invalid = await stack.api("POST", "/api/runs", admin, { desired: usEveryone, planHash: 42, extra: true });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error?.code).toBe("invalid_request");
    const paths = (invalid.json.error?.fieldErrors as { path: string }[]).map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["planHash"]));
    const badDesired = await stack.api("POST", "/api/plan", admin, { desired: { version: 1, profile: "area1" } });
    expect(badDesired.status).toBe(400);
    expect(badDesired.json.error?.code).toBe("invalid_desired_state");
    const huge = await stack.api("POST", "/api/plan", admin, { desired: { pad: "x".repeat(1024 * 1024 + 10) } });
    expect(huge.status).toBe(413);
    expect(huge.json.error?.code).toBe("payload_too_large");
  });

  test("a body nested too deep is 400 invalid_json, never a server error", async () => {
    const token = await stack.token(ADMIN);
    for (const depth of [33, 100_000]) {
      const body = `{"desired":${"[".repeat(depth)}${"]".repeat(depth)}}`;
      const res = await stack.http.send({
        method: "POST",
        url: `${stack.backend.url}/api/plan`,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body,
      });
      expect({ depth, status: res.status }).toEqual({ depth, status: 400 });
      expect((JSON.parse(res.text) as { error: { code: string; message: string } }).error).toEqual({
        code: "invalid_json",
        message: "The request body is nested deeper than 32 levels.",
      });
    }
    // Brackets inside strings are text, not nesting.
    const inString = await stack.api("POST", "/api/plan", token, { desired: { customer: "[".repeat(100) } });
    expect(inString.status).toBe(400);
    expect(inString.json.error?.code).toBe("invalid_desired_state");
  });

  test("responses carry security headers and a request id; CORS only for the configured pane origin", async () => {
    const admin = await stack.token(ADMIN);
    const res = await callApi(stack.http, stack.backend.url, "GET", "/api/me", admin, undefined, {
      origin: "https://evil.example",
    });
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(res.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
    const pane = await callApi(stack.http, stack.backend.url, "GET", "/api/me", admin, undefined, {
      origin: PANE_ORIGIN,
    });
    expect(pane.headers["access-control-allow-origin"]).toBe(PANE_ORIGIN);
    const preflight = await callApi(stack.http, stack.backend.url, "OPTIONS", "/api/runs", undefined, undefined, {
      origin: PANE_ORIGIN,
      "access-control-request-method": "POST",
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-headers"]).toContain("authorization");
    // The pane resumes the event stream after a drop with Last-Event-ID.
    expect(preflight.headers["access-control-allow-headers"]).toContain("last-event-id");
    const evilPreflight = await callApi(stack.http, stack.backend.url, "OPTIONS", "/api/runs", undefined, undefined, {
      origin: "https://evil.example",
    });
    expect(evilPreflight.headers["access-control-allow-origin"]).toBeUndefined();
  });

  test("unknown routes are 404 and errors never show stack traces", async () => {
    const admin = await stack.token(ADMIN);
    const res = await stack.api("GET", "/api/nope", admin);
    expect(res.status).toBe(404);
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
  });

  test("a malformed %-escape in a path is 404, not a server error", async () => {
    const admin = await stack.token(ADMIN);
    for (const path of ["/api/runs/%E0%A4%A", "/api/runs/%zz/events", "/api/connector/validations/%"]) {
      const res = await stack.api("GET", path, admin);
      expect(res.status).toBe(404);
      expect(res.json.error?.code).toBe("not_found");
    }
  });

  test("logs are structured and never contain tokens", async () => {
    const admin = await stack.token(ADMIN);
    await stack.api("GET", "/api/me", admin);
    expect(stack.logs.length).toBeGreaterThan(0);
    for (const line of stack.logs) {
      expect(() => JSON.parse(line) as unknown).not.toThrow();
      expect(line).not.toContain(admin.slice(0, 40));
      expect(line).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}/);
    }
    expect(stack.logs.some((l) => (JSON.parse(l) as { msg: string; requestId?: string }).msg === "request")).toBe(true);
  });
});

describe("redaction", () => {
  test("cmdlet parameters in runs and the audit: readers and admins see them, other colleagues a redacted view", async () => {
    const admin = await stack.token(ADMIN);
    const entries = (t: string) =>
      stack.api("GET", "/api/audit", t).then((r) => r.json.entries as { cmdlet: string; parameters: object }[]);
    const full = await entries(admin);
    // The runs above left their changes in the audit.
    const setNdr = full.find((e) => e.cmdlet === "Set-TransportConfig");
    expect(setNdr?.parameters).toEqual({ JournalingReportNdrTo: expect.stringMatching(/@/) });
    expect(await entries(await stack.token("compliance.admin@contoso.com"))).toEqual(full);

    const user = await stack.token("user@contoso.com");
    const redacted = await entries(user);
    expect(redacted.map((e) => e.cmdlet)).toEqual(full.map((e) => e.cmdlet));
    expect(redacted.find((e) => e.cmdlet === "Set-TransportConfig")?.parameters).toEqual({
      JournalingReportNdrTo: "(hidden: readers and admins only)",
    });
    const runId = String((full as { runId?: string }[]).find((e) => e.runId)?.runId);
    const run = await stack.api("GET", `/api/runs/${runId}`, user);
    expect(run.status).toBe(200);
    for (const a of run.json.actions as { parameters: Record<string, string> }[]) {
      for (const v of Object.values(a.parameters)) expect(v).toBe("(hidden: readers and admins only)");
    }
    const asAdmin = await stack.api("GET", `/api/runs/${runId}`, admin);
    expect(JSON.stringify(asAdmin.json.actions)).not.toContain("hidden");

    // The record keeps who exactly (the token's oid) and from where, beyond the UPN shown: read in the
    // backend's own database (SQLite or PostgreSQL), as an operator would.
    const rows = await stack.backend.store.db.kysely
      .selectFrom("audit")
      .select(["by_upn", "by_oid", "client_address"])
      .where("run_id", "=", runId)
      .execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r).toEqual({
        by_upn: ADMIN,
        by_oid: claimsOf(admin).oid,
        client_address: expect.stringMatching(/127\.0\.0\.1$/),
      });
    }
  });
});
