import type { RunningEmulator } from "../../../src/emulator/server";
import { postForm, request, startTestEmulator, type HttpResult, type TokenBody } from "./helpers";

let emu: RunningEmulator;
let stop: () => Promise<void>;
const tokens: Record<string, string> = {};

const tenantId = (name: string): string => emu.config.tenants.find((t) => t.name === name)!.id;

/** A delegated Graph token by ROPC: the pane (limited consent) or the API (User.Read.All, Directory.Read.All ...). */
async function graphToken(upn: string, scope: string, client: "pane" | "api" = "pane"): Promise<string> {
  const app: Record<string, string> =
    client === "pane"
      ? { client_id: emu.config.apps.pane.clientId }
      : { client_id: emu.config.apps.api.clientId, client_secret: emu.config.apps.api.secret };
  const res = await postForm(
    emu,
    upn.endsWith("fabrikam.com") ? tenantId("fabrikam.onmicrosoft.com") : tenantId("contoso.onmicrosoft.com"),
    {
      grant_type: "password",
      ...app,
      username: upn,
      password: `${upn.split("@")[0]!}-Pass1!`,
      scope,
    },
  );
  expect(res.status).toBe(200);
  return res.json<TokenBody>().access_token;
}

beforeAll(async () => {
  ({ emu, stop } = await startTestEmulator());
  tokens.userRead = await graphToken("admin@contoso.com", "User.Read");
  tokens.basic = await graphToken(
    "admin@contoso.com",
    "User.Read User.ReadBasic.All GroupMember.Read.All LicenseAssignment.Read.All",
  );
  tokens.full = await graphToken("admin@contoso.com", "https://graph.microsoft.com/.default", "api");
  tokens.fabrikam = await graphToken("admin@fabrikam.com", "https://graph.microsoft.com/.default", "api");
});
afterAll(async () => stop());

function get(path: string, token: string | undefined, headers: Record<string, string> = {}): Promise<HttpResult> {
  return request(`${emu.origin}${path}`, emu.caPem, {
    headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers },
  });
}

function expectGraphError(res: HttpResult, status: number, code: string): string {
  expect(res.status).toBe(status);
  const body = res.json<{ error: { code: string; message: string; innerError: Record<string, string> } }>();
  expect(body.error.code).toBe(code);
  expect(body.error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  expect(body.error.innerError["request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(body.error.innerError["client-request-id"]).toBeTruthy();
  return body.error.message;
}

type Collection = {
  value: Record<string, unknown>[];
  "@odata.nextLink"?: string;
  "@odata.count"?: number;
  "@odata.context": string;
};

test("401 InvalidAuthenticationToken without a token, with garbage, with a token for another audience", async () => {
  const none = await get("/v1.0/me", undefined);
  expect(expectGraphError(none, 401, "InvalidAuthenticationToken")).toBe("Access token is empty.");
  expect(none.headers["www-authenticate"]).toMatch(/^Bearer /);
  expectGraphError(await get("/v1.0/me", "abc.def"), 401, "InvalidAuthenticationToken");
  const apiToken = await graphToken("admin@contoso.com", emu.config.apps.api.scope);
  expect(expectGraphError(await get("/v1.0/me", apiToken), 401, "InvalidAuthenticationToken")).toBe(
    "Invalid audience.",
  );
});

test("/me with User.Read, $select, and client-request-id echoed in errors", async () => {
  const me = await get("/v1.0/me", tokens.userRead);
  expect(me.status).toBe(200);
  expect(me.json()).toMatchObject({
    userPrincipalName: "admin@contoso.com",
    displayName: "Megan Admin",
    "@odata.context": `${emu.origin}/v1.0/$metadata#users/$entity`,
  });
  const sel = await get("/v1.0/me?$select=usageLocation,country", tokens.userRead);
  expect(sel.json()).toEqual({
    "@odata.context": `${emu.origin}/v1.0/$metadata#users(usageLocation,country)/$entity`,
    usageLocation: "US",
    country: "United States",
  });
  const bad = await get("/v1.0/me?$select=shoeSize", tokens.userRead, { "client-request-id": "abc-123" });
  expectGraphError(bad, 400, "Request_BadRequest");
  expect(bad.json<{ error: { innerError: Record<string, string> } }>().error.innerError["client-request-id"]).toBe(
    "abc-123",
  );
});

test("/me/transitiveMemberOf with the directoryRole cast and the group cast", async () => {
  const roles = await get(
    "/v1.0/me/transitiveMemberOf/microsoft.graph.directoryRole?$select=displayName,roleTemplateId",
    await graphToken("admin@contoso.com", "User.Read Directory.Read.All", "api"),
  );
  expect(roles.json<Collection>().value).toEqual([
    { displayName: "Global Administrator", roleTemplateId: "62e90394-69f5-4237-9190-012177145e10" },
  ]);
  // User.Read lists the roles but cannot read directoryRole objects: no roleTemplateId (limited information).
  const bare = await get(
    "/v1.0/me/transitiveMemberOf/microsoft.graph.directoryRole?$select=displayName,roleTemplateId",
    tokens.userRead,
  );
  expect(bare.status).toBe(200);
  const [role] = bare.json<Collection>().value;
  expect(Object.keys(role!).sort()).toEqual(["@odata.type", "id"]);
  const userToken = await graphToken("user@contoso.com", "User.Read GroupMember.Read.All");
  const all = await get("/v1.0/me/transitiveMemberOf", userToken);
  const value = all.json<Collection>().value;
  expect(value.map((v) => v["@odata.type"])).toEqual(["#microsoft.graph.group"]);
  expect(value[0]).toMatchObject({ displayName: "Finance Security", mailEnabled: true, securityEnabled: true });
  // With User.Read only, groups come back as bare references.
  const limited = await get("/v1.0/me/transitiveMemberOf", await graphToken("user@contoso.com", "User.Read"));
  expect(Object.keys(limited.json<Collection>().value[0]!).sort()).toEqual(["@odata.type", "id"]);
});

test("least privilege: 403 Authorization_RequestDenied when the token lacks the scope", async () => {
  expect(expectGraphError(await get("/v1.0/users", tokens.userRead), 403, "Authorization_RequestDenied")).toBe(
    "Insufficient privileges to complete the operation.",
  );
  expectGraphError(await get("/v1.0/groups", tokens.userRead), 403, "Authorization_RequestDenied");
  expectGraphError(await get("/v1.0/subscribedSkus", tokens.userRead), 403, "Authorization_RequestDenied");
  // User.ReadBasic.All cannot $select usageLocation of others; User.Read.All can.
  expectGraphError(
    await get("/v1.0/users/anna.schmidt@contoso.com?$select=usageLocation", tokens.basic),
    403,
    "Authorization_RequestDenied",
  );
  const full = await get("/v1.0/users/anna.schmidt@contoso.com?$select=usageLocation,country,mail", tokens.full);
  expect(full.json()).toMatchObject({ usageLocation: "DE", country: "Germany", mail: "anna.schmidt@contoso.com" });
});

test("/users: $top paging by @odata.nextLink, $filter, $search, $count", async () => {
  const seen: string[] = [];
  let next: string | undefined = "/v1.0/users?$top=5&$select=userPrincipalName";
  while (next !== undefined) {
    const page: Collection = (await get(next.replace(emu.origin, ""), tokens.basic)).json<Collection>();
    expect(page.value.length).toBeLessThanOrEqual(5);
    seen.push(...page.value.map((u) => String(u.userPrincipalName)));
    next = page["@odata.nextLink"];
  }
  expect(seen).toHaveLength(20);
  expect(new Set(seen).size).toBe(20);

  const de = await get("/v1.0/users?$filter=usageLocation eq 'DE'&$select=userPrincipalName", tokens.full);
  expect(de.json<Collection>().value.map((u) => u.userPrincipalName)).toEqual([
    "compliance.admin@contoso.com",
    "user@contoso.com",
    "anna.schmidt@contoso.com",
    "jonas.becker@contoso.com",
    "lena.fischer@contoso.com",
  ]);
  const or = await get(
    "/v1.0/users?$filter=startswith(givenName,'Pri') or mail eq 'wei.tan@contoso.com'&$select=mail",
    tokens.basic,
  );
  expect(or.json<Collection>().value.map((u) => u.mail)).toEqual(["priya.sharma@contoso.com", "wei.tan@contoso.com"]);

  const search = await get('/v1.0/users?$search="displayName:anna"&$count=true', tokens.basic, {
    ConsistencyLevel: "eventual",
  });
  expect(search.json<Collection>()["@odata.count"]).toBe(1);
  expect(search.json<Collection>().value[0]).toMatchObject({ displayName: "Anna Schmidt" });
  expect(
    expectGraphError(
      await get('/v1.0/users?$search="displayName:anna"', tokens.basic),
      400,
      "Request_UnsupportedQuery",
    ),
  ).toContain("ConsistencyLevel: eventual");
  expectGraphError(await get("/v1.0/users?$count=true", tokens.basic), 400, "Request_UnsupportedQuery");
  expect(
    expectGraphError(
      await get("/v1.0/users?$filter=endswith(mail,'contoso.com')", tokens.basic),
      400,
      "Request_UnsupportedQuery",
    ),
  ).toMatch(/^Operator 'endsWith'/);
  const ends = await get("/v1.0/users?$filter=endswith(mail,'@contoso.com')&$count=true", tokens.basic, {
    ConsistencyLevel: "eventual",
  });
  expect(ends.json<Collection>()["@odata.count"]).toBe(20);
  expectGraphError(await get("/v1.0/users?$filter=shoeSize eq 3", tokens.full), 400, "Request_UnsupportedQuery");
  expectGraphError(await get("/v1.0/users?$filter=displayName eq", tokens.full), 400, "BadRequest");
  expectGraphError(await get("/v1.0/users?$top=1000", tokens.full), 400, "Request_UnsupportedQuery");
});

test("/groups filters (distribution lists, Microsoft 365 groups) and /groups/{id}/members", async () => {
  const dls = await get(
    "/v1.0/groups?$filter=mailEnabled eq true and securityEnabled eq false&$select=displayName,groupTypes",
    tokens.basic,
  );
  expect(dls.json<Collection>().value).toEqual([
    { displayName: "Sales", groupTypes: [] },
    { displayName: "Project Apollo", groupTypes: ["Unified"] },
  ]);
  const unified = await get("/v1.0/groups?$filter=groupTypes/any(c:c eq 'Unified')&$select=id,mail", tokens.basic);
  const apollo = unified.json<Collection>().value;
  expect(apollo).toHaveLength(1);
  const members = await get(`/v1.0/groups/${String(apollo[0]!.id)}/members?$select=userPrincipalName`, tokens.basic);
  expect(members.json<Collection>().value).toEqual([
    { "@odata.type": "#microsoft.graph.user", userPrincipalName: "jonas.becker@contoso.com" },
    { "@odata.type": "#microsoft.graph.user", userPrincipalName: "priya.sharma@contoso.com" },
    { "@odata.type": "#microsoft.graph.user", userPrincipalName: "wei.tan@contoso.com" },
  ]);
  expectGraphError(
    await get("/v1.0/groups/00000000-0000-0000-0000-000000000000/members", tokens.basic),
    404,
    "Request_ResourceNotFound",
  );
});

test("/organization and /subscribedSkus", async () => {
  const org = (await get("/v1.0/organization", tokens.userRead)).json<Collection>().value[0]!;
  expect(org).toMatchObject({
    id: tenantId("contoso.onmicrosoft.com"),
    displayName: "Contoso",
    countryLetterCode: "US",
  });
  expect(org.verifiedDomains).toEqual([
    expect.objectContaining({ name: "contoso.onmicrosoft.com", isInitial: true, isDefault: false }),
    expect.objectContaining({ name: "contoso.com", isInitial: false, isDefault: true }),
  ]);
  const skus = (await get("/v1.0/subscribedSkus", tokens.basic)).json<Collection>().value;
  expect(skus.map((s) => s.skuPartNumber)).toEqual(["ENTERPRISEPACK", "EXCHANGESTANDARD"]);
  expect(skus[0]).toMatchObject({ capabilityStatus: "Enabled", prepaidUnits: { enabled: 25 } });
  expect((skus[0]!.servicePlans as { servicePlanName: string }[]).map((p) => p.servicePlanName)).toContain(
    "EXCHANGE_S_ENTERPRISE",
  );
});

test("tenant isolation: a contoso token never sees fabrikam, and the reverse", async () => {
  expectGraphError(await get("/v1.0/users/admin@fabrikam.com", tokens.full), 404, "Request_ResourceNotFound");
  const fab = await get("/v1.0/users?$select=userPrincipalName", tokens.fabrikam);
  expect(fab.json<Collection>().value.map((u) => u.userPrincipalName)).toEqual([
    "admin@fabrikam.com",
    "user@fabrikam.com",
  ]);
  expect((await get("/v1.0/organization", tokens.fabrikam)).json<Collection>().value[0]).toMatchObject({
    displayName: "Fabrikam",
  });
});

test("an app-only token cannot call /me; unknown segments are 400", async () => {
  const d = emu.config.apps.daemon;
  const app = await postForm(emu, tenantId("contoso.onmicrosoft.com"), {
    grant_type: "client_credentials",
    client_id: d.clientId,
    client_secret: d.secret,
    scope: "https://graph.microsoft.com/.default",
  });
  const token = app.json<TokenBody>().access_token;
  expect(expectGraphError(await get("/v1.0/me", token), 400, "BadRequest")).toBe(
    "/me request is only valid with delegated authentication flow.",
  );
  // The daemon holds no Graph application permission.
  expectGraphError(await get("/v1.0/users", token), 403, "Authorization_RequestDenied");
  expectGraphError(await get("/v1.0/sites", tokens.full), 400, "BadRequest");
});
