import { createAccessService } from "../../../src/server/auth/access";
import { createGraphDirectoryRoles } from "../../../src/server/auth/directoryRoles";
import type { TokenProvider } from "../../../src/server/auth/obo";
import type { Principal } from "../../../src/server/auth/principal";
import type { ExchangeRunnerFactory } from "../../../src/server/exchange/factory";
import { createLogger } from "../../../src/server/log";
import type { HttpSend } from "../../../src/server/net/httpClient";

/**
 * The Graph fallback for tokens without `wids`, with Graph's answers stubbed at the HTTP edge: a
 * refusal or roles "with limited information" (no roleTemplateId) never become "no role".
 */
const GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";
const principal: Principal = {
  tenantId: "11111111-1111-4111-8111-111111111111",
  oid: "22222222-2222-4222-8222-222222222222",
  upn: "admin@contoso.com",
  name: "Admin",
  wids: [],
  rolesFrom: "pending",
  scopes: ["access_as_user"],
  assertion: "token",
  exp: 0,
};
const tokens: TokenProvider = { tokenFor: () => Promise.resolve("graph-token") };
const log = createLogger("error", () => undefined);
const noExchange: ExchangeRunnerFactory = {
  forPrincipal: () => {
    throw new Error("Exchange is not asked when an Entra role decides or the roles are unknown");
  },
};

function graph(status: number, body: unknown, calls: string[] = []): HttpSend {
  return (req) => {
    calls.push(req.url);
    return Promise.resolve({ status, headers: {}, text: JSON.stringify(body) });
  };
}

async function accessWith(send: HttpSend) {
  const access = createAccessService({
    roles: createGraphDirectoryRoles("https://graph.example/v1.0", send, tokens, log),
    runners: noExchange,
    log,
  });
  const caller = await access.complete(principal);
  return { caller, decided: await access.decide(caller, true) };
}

test("roles come from /me/transitiveMemberOf/microsoft.graph.directoryRole by roleTemplateId, once per user", async () => {
  const calls: string[] = [];
  const send = graph(200, { value: [{ id: "x", roleTemplateId: GLOBAL_ADMIN.toUpperCase() }] }, calls);
  const roles = createGraphDirectoryRoles("https://graph.example/v1.0", send, tokens, log);
  expect(await roles.rolesOf(principal)).toEqual({ ok: true, wids: [GLOBAL_ADMIN] });
  await roles.rolesOf(principal);
  expect(calls).toEqual([
    "https://graph.example/v1.0/me/transitiveMemberOf/microsoft.graph.directoryRole?$select=id,roleTemplateId",
  ]);
  const { caller, decided } = await accessWith(send);
  expect(caller).toMatchObject({ wids: [GLOBAL_ADMIN], rolesFrom: "graph" });
  expect(decided).toMatchObject({ kind: "entraAdmin", rolesFrom: "graph" });
});

test("Graph refusing (403) leaves the caller read-only with the permission to grant, not role-less", async () => {
  const { decided } = await accessWith(
    graph(403, { error: { code: "Authorization_RequestDenied", message: "Insufficient privileges" } }),
  );
  expect(decided.kind).toBe("rolesUnknown");
  expect(decided.text).toMatch(/Authorization_RequestDenied/);
  expect(decided.text).toMatch(/RoleManagement\.Read\.Directory/);
});

test("roles listed with limited information (no roleTemplateId) are a problem to fix, not 'no role'", async () => {
  const { decided } = await accessWith(
    graph(200, { value: [{ "@odata.type": "#microsoft.graph.directoryRole", id: "x" }] }),
  );
  expect(decided).toMatchObject({ kind: "rolesUnknown", rolesFrom: "unavailable" });
  expect(decided.text).toMatch(/without their role ids/);
});
