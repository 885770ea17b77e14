import { GRAPH_APP } from "../../../src/emulator/directory/apps";
import type { RunningEmulator } from "../../../src/emulator/server";
import { postForm, request, startTestEmulator, type HttpResult, type TokenBody } from "./helpers";

/**
 * The query semantics Microsoft's clients rely on (issue 12 §2), over real HTTPS against the emulator:
 * $expand, $orderby, unknown query options, odata.metadata=none, Graph-shaped misses and wrong methods, and
 * the routine admin reads (group owners, getMemberGroups, licenseDetails, roleDefinitions,
 * findTenantInformationByDomainName).
 */

let emu: RunningEmulator;
let stop: () => Promise<void>;
const tokens: Record<string, string> = {};

const contosoId = (): string => emu.config.tenants.find((t) => t.name === "contoso.onmicrosoft.com")!.id;

async function graphToken(upn: string, scope: string, client: "pane" | "api" = "pane"): Promise<string> {
  const app: Record<string, string> =
    client === "pane"
      ? { client_id: emu.config.apps.pane.clientId }
      : { client_id: emu.config.apps.api.clientId, client_secret: emu.config.apps.api.secret };
  const res = await postForm(emu, contosoId(), {
    grant_type: "password",
    ...app,
    username: upn,
    password: `${upn.split("@")[0]!}-Pass1!`,
    scope,
  });
  expect(res.status).toBe(200);
  return res.json<TokenBody>().access_token;
}

/**
 * A delegated Graph token as an admin tool with its own consented permissions gets it (the emulator's issuer and
 * signing key; the product's app registrations have no consent to CrossTenantInformation.ReadBasic.All).
 */
function adminToolToken(upn: string, scp: string[]): string {
  const tenant = emu.state.getTenant(contosoId())!.directory;
  const user = tenant.users.find((u) => u.userPrincipalName === upn)!;
  return emu.tokens.issueAccessToken({
    tenant,
    client: {
      appId: "31359c7f-bd7e-475c-86db-fdb8c937548e",
      displayName: "CLI for Microsoft 365",
      confidential: false,
    },
    resource: GRAPH_APP,
    audience: "https://graph.microsoft.com",
    user,
    scp,
  }).token;
}

beforeAll(async () => {
  ({ emu, stop } = await startTestEmulator());
  tokens.userRead = await graphToken("admin@contoso.com", "User.Read");
  tokens.basic = await graphToken(
    "admin@contoso.com",
    "User.Read User.ReadBasic.All GroupMember.Read.All LicenseAssignment.Read.All",
  );
  tokens.full = await graphToken("admin@contoso.com", "https://graph.microsoft.com/.default", "api");
});
afterAll(async () => stop());

function call(
  method: string,
  path: string,
  token: string | undefined,
  headers: Record<string, string> = {},
  body?: string,
): Promise<HttpResult> {
  return request(`${emu.origin}${path}`, emu.caPem, {
    method,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    ...(body === undefined ? {} : { body }),
  });
}

const get = (path: string, token: string | undefined, headers: Record<string, string> = {}): Promise<HttpResult> =>
  call("GET", path, token, headers);

type GraphErrorBody = { error: { code: string; message: string; innerError: Record<string, string> } };

/** Asserts Graph's error shape and returns the message. */
function graphError(res: HttpResult, status: number, code: string): string {
  expect(res.status).toBe(status);
  const body = res.json<GraphErrorBody>();
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
  "@odata.context"?: string;
};

async function groupId(nickname: string): Promise<string> {
  const res = await get(`/v1.0/groups?$filter=mailNickname eq '${nickname}'&$select=id`, tokens.basic);
  return String(res.json<Collection>().value[0]!.id);
}

describe("$expand", () => {
  test("manager, directReports and memberOf on users; owners, members and memberOf on groups", async () => {
    const alex = await get("/v1.0/users/alex.wilber@contoso.com?$expand=manager", tokens.full);
    expect(alex.status).toBe(200);
    expect(alex.json()).toMatchObject({
      "@odata.context": `${emu.origin}/v1.0/$metadata#users(manager())/$entity`,
      userPrincipalName: "alex.wilber@contoso.com",
      manager: {
        "@odata.type": "#microsoft.graph.user",
        displayName: "Diego Siciliani",
        userPrincipalName: "diego.siciliani@contoso.com",
      },
    });
    // Megan Admin has no manager: no `manager` in the object.
    const me = await get("/v1.0/me?$expand=manager($select=id)", tokens.full);
    expect(me.json()).not.toHaveProperty("manager");

    const reports = await get(
      "/v1.0/users/anna.schmidt@contoso.com?$select=displayName&$expand=directReports($select=displayName)",
      tokens.full,
    );
    expect(reports.json()).toEqual({
      "@odata.context": `${emu.origin}/v1.0/$metadata#users(displayName,directReports(displayName))/$entity`,
      displayName: "Anna Schmidt",
      directReports: [
        { "@odata.type": "#microsoft.graph.user", displayName: "Jonas Becker" },
        { "@odata.type": "#microsoft.graph.user", displayName: "Lena Fischer" },
        { "@odata.type": "#microsoft.graph.user", displayName: "Camille Martin" },
      ],
    });

    const memberOf = await get(
      "/v1.0/users?$filter=userPrincipalName eq 'user@contoso.com'&$select=userPrincipalName&$expand=memberOf($select=displayName)",
      tokens.full,
    );
    expect(memberOf.json<Collection>().value).toEqual([
      {
        userPrincipalName: "user@contoso.com",
        memberOf: [{ "@odata.type": "#microsoft.graph.group", displayName: "Finance Security" }],
      },
    ]);

    // The admin tool's "ownerless groups" read: every seeded group has its owners.
    const owned = await get("/v1.0/groups?$select=displayName&$expand=owners($select=id,displayName)", tokens.basic);
    expect(owned.status).toBe(200);
    expect(owned.json<Collection>()["@odata.context"]).toBe(
      `${emu.origin}/v1.0/$metadata#groups(displayName,owners(id,displayName))`,
    );
    const owners = Object.fromEntries(
      owned
        .json<Collection>()
        .value.map((g) => [g.displayName, (g.owners as { displayName: string }[]).map((o) => o.displayName)]),
    );
    expect(owners).toEqual({
      Sales: ["Anna Schmidt"],
      "Finance Security": ["Louis Bernard", "Megan Admin"],
      "Project Apollo": ["Jonas Becker"],
    });

    const apollo = await get(
      `/v1.0/groups/${await groupId("project-apollo")}?$select=id&$expand=members($select=userPrincipalName)`,
      tokens.basic,
    );
    expect((apollo.json().members as { userPrincipalName: string }[]).map((m) => m.userPrincipalName)).toEqual([
      "jonas.becker@contoso.com",
      "priya.sharma@contoso.com",
      "wei.tan@contoso.com",
    ]);
    const groupMemberOf = await get(`/v1.0/groups/${await groupId("sales")}?$expand=memberOf`, tokens.basic);
    expect(groupMemberOf.json().memberOf).toEqual([]);
  });

  test("what Graph cannot expand is refused with its 400, never ignored", async () => {
    expect(graphError(await get("/v1.0/users?$expand=owners", tokens.full), 400, "BadRequest")).toBe(
      "Parsing OData Select and Expand failed: Could not find a property named 'owners' on type 'microsoft.graph.user'.",
    );
    expect(graphError(await get("/v1.0/groups?$expand=manager", tokens.full), 400, "BadRequest")).toBe(
      "Parsing OData Select and Expand failed: Could not find a property named 'manager' on type 'microsoft.graph.group'.",
    );
    const members = await get(`/v1.0/groups/${await groupId("sales")}/members?$expand=manager`, tokens.full);
    expect(graphError(members, 400, "BadRequest")).toMatch(/'microsoft\.graph\.directoryObject'/);
    expect(graphError(await get("/v1.0/groups?$expand=owners,members", tokens.full), 400, "BadRequest")).toBe(
      "The result of parsing $expand contained at least 2 items, but the maximum allowed is 1.",
    );
    // A real Graph navigation the emulator does not model: refused in Graph's shape, not dropped.
    graphError(await get("/v1.0/users?$expand=drive", tokens.full), 501, "NotImplemented");
  });
});

describe("$orderby", () => {
  const names = async (path: string, headers: Record<string, string> = {}): Promise<unknown[]> => {
    const res = await get(path, tokens.full, headers);
    expect(res.status).toBe(200);
    return res.json<Collection>().value.map((v) => v.displayName ?? v.userPrincipalName);
  };

  test("users by displayName or userPrincipalName, groups by displayName, asc and desc, across pages", async () => {
    const all = await names("/v1.0/users?$select=displayName&$orderby=displayName");
    expect(all[0]).toBe("Alex Wilber");
    expect(all).toEqual([...all].sort((a, b) => (String(a).toLowerCase() < String(b).toLowerCase() ? -1 : 1)));
    expect(all).toHaveLength(20);
    const desc = await names("/v1.0/users?$select=displayName&$orderBy=displayName desc");
    expect(desc).toEqual([...all].reverse());
    const upn = await names("/v1.0/users?$select=userPrincipalName&$orderby=userPrincipalName desc&$top=3");
    expect(upn).toEqual(["wei.tan@contoso.com", "user@contoso.com", "priya.sharma@contoso.com"]);
    expect(await names("/v1.0/groups?$select=displayName&$orderby=displayName")).toEqual([
      "Finance Security",
      "Project Apollo",
      "Sales",
    ]);
    // The next page continues the sorted order.
    const seen: unknown[] = [];
    let next: string | undefined = "/v1.0/users?$select=displayName&$orderby=displayName&$top=7";
    while (next !== undefined) {
      const page: Collection = (await get(next.replace(emu.origin, ""), tokens.full)).json<Collection>();
      seen.push(...page.value.map((v) => v.displayName));
      next = page["@odata.nextLink"];
    }
    expect(seen).toEqual(all);
  });

  test("sorting Graph does not do is refused as Graph refuses it", async () => {
    const sorting = "Sorting not supported for current query.";
    expect(graphError(await get("/v1.0/users?$orderby=mail", tokens.full), 400, "Request_UnsupportedQuery")).toBe(
      sorting,
    );
    expect(
      graphError(await get("/v1.0/users?$orderby=createdDateTime", tokens.full), 400, "Request_UnsupportedQuery"),
    ).toBe(sorting);
    // $filter with $orderby needs the advanced query parameters.
    const filtered = "/v1.0/users?$filter=usageLocation eq 'DE'&$select=displayName&$orderby=displayName desc";
    expect(graphError(await get(filtered, tokens.full), 400, "Request_UnsupportedQuery")).toBe(sorting);
    expect(await names(`${filtered}&$count=true`, { ConsistencyLevel: "eventual" })).toEqual([
      "Ulrich User",
      "Lena Fischer",
      "Jonas Becker",
      "Chloe Compliance",
      "Anna Schmidt",
    ]);
    graphError(await get("/v1.0/users?$orderby=shoeSize", tokens.full), 400, "Request_BadRequest");
  });
});

test("unknown system query options are refused with Graph's 400; system options are case-insensitive", async () => {
  expect(graphError(await get("/v1.0/users?$bogus=1", tokens.full), 400, "Request_BadRequest")).toBe(
    "Unrecognized query argument specified: '$bogus'.",
  );
  expect(graphError(await get("/v1.0/me?$selct=displayName", tokens.userRead), 400, "Request_BadRequest")).toBe(
    "Unrecognized query argument specified: '$selct'.",
  );
  expect(graphError(await get("/v1.0/users?$skip=5", tokens.full), 400, "Request_BadRequest")).toBe(
    "'$skip' is not supported by the service.",
  );
  // The raw count without ConsistencyLevel, worded as Microsoft's advanced-queries page shows it.
  expect(graphError(await get("/v1.0/users/$count", tokens.full), 400, "Request_BadRequest")).toBe(
    "$count is not currently supported.",
  );
  const upper = await get("/v1.0/me?$Select=displayName", tokens.userRead);
  expect(upper.json()).toEqual({
    "@odata.context": `${emu.origin}/v1.0/$metadata#users(displayName)/$entity`,
    displayName: "Megan Admin",
  });
});

test("Accept: application/json;odata.metadata=none drops @odata.context and @odata.type, keeps nextLink", async () => {
  const none = { accept: "application/json;odata.metadata=none" };
  const page = await get("/v1.0/users?$select=displayName&$top=5", tokens.full, none);
  expect(page.status).toBe(200);
  expect(page.headers["content-type"]).toMatch(/^application\/json;odata\.metadata=none;/);
  const body = page.json<Collection>();
  expect(body).not.toHaveProperty("@odata.context");
  expect(body["@odata.nextLink"]).toMatch(/\$skiptoken=/);
  expect(body.value[0]).toEqual({ displayName: "Megan Admin" });

  const roles = await get(
    "/v1.0/me/transitiveMemberOf?$select=displayName",
    await graphToken("user@contoso.com", "User.Read GroupMember.Read.All"),
    none,
  );
  expect(roles.json()).toEqual({ value: [{ displayName: "Finance Security" }] });
  const entity = await get(
    "/v1.0/users/alex.wilber@contoso.com?$select=id&$expand=manager($select=id)",
    tokens.full,
    none,
  );
  expect(JSON.stringify(entity.json())).not.toContain("@odata");

  // The default is minimal metadata, as Graph's Content-Type says.
  const minimal = await get("/v1.0/me", tokens.userRead);
  expect(minimal.headers["content-type"]).toMatch(/^application\/json;odata\.metadata=minimal;/);
  expect(minimal.json()["@odata.context"]).toBe(`${emu.origin}/v1.0/$metadata#users/$entity`);
});

test("unknown paths name the segment Graph could not resolve; wrong methods and /beta answer in Graph's shape", async () => {
  const sales = await groupId("sales");
  expect(graphError(await get(`/v1.0/groups/${sales}/ownerz`, tokens.full), 400, "BadRequest")).toBe(
    "Resource not found for the segment 'ownerz'.",
  );
  expect(graphError(await get("/v1.0/users/alex.wilber@contoso.com/drive", tokens.full), 400, "BadRequest")).toBe(
    "Resource not found for the segment 'drive'.",
  );
  expect(graphError(await get("/v1.0/sites", tokens.full), 400, "BadRequest")).toBe(
    "Resource not found for the segment 'sites'.",
  );
  expect(graphError(await get("/v1.0/roleManagement/directory/roleAssignmentz", tokens.full), 400, "BadRequest")).toBe(
    "Resource not found for the segment 'roleAssignmentz'.",
  );
  const method = "Specified HTTP method is not allowed for the request target.";
  expect(graphError(await call("POST", "/v1.0/users", tokens.full, {}, "{}"), 405, "Request_BadRequest")).toBe(method);
  expect(graphError(await call("DELETE", `/v1.0/groups/${sales}/owners`, tokens.full), 405, "Request_BadRequest")).toBe(
    method,
  );
  expect(graphError(await call("PATCH", "/v1.0/bogus", tokens.full, {}, "{}"), 400, "BadRequest")).toBe(
    "Resource not found for the segment 'bogus'.",
  );
  // /beta: Graph's shape, after Graph's token check.
  graphError(await get("/beta/me", tokens.full), 501, "NotImplemented");
  graphError(await get("/beta/me", undefined), 401, "InvalidAuthenticationToken");
});

describe("the routine admin reads", () => {
  test("GET /groups/{id}/owners, with Graph's permission check", async () => {
    const finance = await groupId("finance-security");
    const owners = await get(`/v1.0/groups/${finance}/owners?$select=userPrincipalName`, tokens.basic);
    expect(owners.json()).toEqual({
      "@odata.context": `${emu.origin}/v1.0/$metadata#directoryObjects(userPrincipalName)`,
      value: [
        { "@odata.type": "#microsoft.graph.user", userPrincipalName: "louis.bernard@contoso.com" },
        { "@odata.type": "#microsoft.graph.user", userPrincipalName: "admin@contoso.com" },
      ],
    });
    graphError(await get(`/v1.0/groups/${finance}/owners`, tokens.userRead), 403, "Authorization_RequestDenied");
    graphError(
      await get("/v1.0/groups/00000000-0000-0000-0000-000000000000/owners", tokens.basic),
      404,
      "Request_ResourceNotFound",
    );
  });

  test("POST /users/{id}/getMemberGroups with securityEnabledOnly", async () => {
    const financeId = await groupId("finance-security");
    const post = (token: string | undefined, body: string, who = "user@contoso.com"): Promise<HttpResult> =>
      call("POST", `/v1.0/users/${who}/getMemberGroups`, token, {}, body);
    const security = await post(tokens.basic, JSON.stringify({ securityEnabledOnly: true }));
    expect(security.json()).toEqual({
      "@odata.context": `${emu.origin}/v1.0/$metadata#Collection(Edm.String)`,
      value: [financeId],
    });
    // Jonas is in Project Apollo only: a Microsoft 365 group, not security-enabled.
    const jonas = await post(tokens.basic, JSON.stringify({ securityEnabledOnly: false }), "jonas.becker@contoso.com");
    expect(jonas.json<Collection>().value).toEqual([await groupId("project-apollo")]);
    expect(
      (
        await post(tokens.basic, JSON.stringify({ securityEnabledOnly: true }), "jonas.becker@contoso.com")
      ).json<Collection>().value,
    ).toEqual([]);
    // false also lists directory roles (the role's object id in the tenant).
    const admin = await post(tokens.full, JSON.stringify({ securityEnabledOnly: false }), "admin@contoso.com");
    expect(admin.json<Collection>().value).toHaveLength(1);
    expect(graphError(await post(tokens.basic, "{}"), 400, "Request_BadRequest")).toBe(
      "One or more parameters of the operation 'getMemberGroups' are missing from the request payload. The missing parameters are: securityEnabledOnly.",
    );
    // User.Read alone reads no group memberships.
    graphError(
      await post(tokens.userRead, JSON.stringify({ securityEnabledOnly: true })),
      403,
      "Authorization_RequestDenied",
    );
    const self = await call(
      "POST",
      "/v1.0/me/getMemberGroups",
      await graphToken("user@contoso.com", "User.Read GroupMember.Read.All"),
      {},
      JSON.stringify({ securityEnabledOnly: true }),
    );
    expect(self.json<Collection>().value).toEqual([financeId]);
    // Only POST: a GET of the action is a wrong method.
    graphError(await get("/v1.0/users/user@contoso.com/getMemberGroups", tokens.full), 405, "Request_BadRequest");
  });

  test("GET /users/{id}/licenseDetails", async () => {
    const grady = await get("/v1.0/users/grady.archie@contoso.com/licenseDetails", tokens.basic);
    const body = grady.json<Collection>();
    expect(body["@odata.context"]).toMatch(/\/v1\.0\/\$metadata#users\('[0-9a-f-]{36}'\)\/licenseDetails$/);
    expect(body.value).toEqual([
      {
        id: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) as unknown,
        skuId: "4b9405b0-7788-4568-add1-99614e613b69",
        skuPartNumber: "EXCHANGESTANDARD",
        servicePlans: [
          {
            servicePlanId: "9aaf7827-d63c-4b61-89c3-182f06f82e5c",
            servicePlanName: "EXCHANGE_S_STANDARD",
            provisioningStatus: "Success",
            appliesTo: "User",
          },
        ],
      },
    ]);
    const mine = await get("/v1.0/me/licenseDetails?$select=skuPartNumber", tokens.userRead);
    expect(mine.json<Collection>().value).toEqual([{ skuPartNumber: "ENTERPRISEPACK" }]);
    // User.Read reads one's own licences only.
    graphError(
      await get("/v1.0/users/grady.archie@contoso.com/licenseDetails", tokens.userRead),
      403,
      "Authorization_RequestDenied",
    );
  });

  test("GET /roleManagement/directory/roleDefinitions", async () => {
    const token = await graphToken("admin@contoso.com", "User.Read Directory.Read.All", "api");
    const all = await get("/v1.0/roleManagement/directory/roleDefinitions", token);
    expect(all.json<Collection>()["@odata.context"]).toBe(
      `${emu.origin}/v1.0/$metadata#roleManagement/directory/roleDefinitions`,
    );
    const exchange = await get(
      "/v1.0/roleManagement/directory/roleDefinitions?$filter=displayName eq 'Exchange Administrator'",
      token,
    );
    expect(exchange.json<Collection>().value).toEqual([
      expect.objectContaining({
        id: "29232cdf-9323-42fd-ade2-1d097af3e4de",
        templateId: "29232cdf-9323-42fd-ade2-1d097af3e4de",
        displayName: "Exchange Administrator",
        isBuiltIn: true,
        isEnabled: true,
        version: "1",
        rolePermissions: [
          expect.objectContaining({
            allowedResourceActions: expect.arrayContaining([
              "microsoft.office365.exchange/allEntities/basic/allTasks",
            ]) as unknown,
            condition: null,
          }),
        ],
      }),
    ]);
    graphError(
      await get("/v1.0/roleManagement/directory/roleDefinitions", tokens.basic),
      403,
      "Authorization_RequestDenied",
    );
  });

  test("GET /tenantRelationships/findTenantInformationByDomainName(domainName='…')", async () => {
    const token = adminToolToken("admin@contoso.com", ["User.Read", "CrossTenantInformation.ReadBasic.All"]);
    const fabrikam = await get(
      "/v1.0/tenantRelationships/findTenantInformationByDomainName(domainName='fabrikam.com')",
      token,
    );
    expect(fabrikam.json()).toEqual({
      "@odata.context": `${emu.origin}/v1.0/$metadata#microsoft.graph.tenantInformation`,
      tenantId: emu.config.tenants.find((t) => t.name === "fabrikam.onmicrosoft.com")!.id,
      federationBrandName: null,
      displayName: "Fabrikam",
      defaultDomainName: "fabrikam.onmicrosoft.com",
    });
    const contoso = await get(
      "/v1.0/tenantRelationships/findTenantInformationByDomainName(domainName='contoso.com')",
      token,
    );
    expect(contoso.json()).toMatchObject({ tenantId: contosoId(), displayName: "Contoso" });
    graphError(
      await get("/v1.0/tenantRelationships/findTenantInformationByDomainName(domainName='contoso.com')", tokens.full),
      403,
      "Authorization_RequestDenied",
    );
    graphError(
      await get("/v1.0/tenantRelationships/findTenantInformationByDomainName(domainName='nowhere.example')", token),
      404,
      "Request_ResourceNotFound",
    );
  });
});
