import { simulateMailFlow, type TenantRecord } from "../../../src/emulator/exchange";
import { MESSAGE_TRACE_PERMISSION, TRANSPORT_DATA_PLATFORM_APP_ID } from "../../../src/emulator/graph/messageTraces";
import type { RunningEmulator } from "../../../src/emulator/server";
import { postForm, request, startTestEmulator, type HttpResult, type TokenBody } from "./helpers";

/**
 * Graph v1.0 GET /admin/exchange/tracing/messageTraces against the emulator over HTTPS with real
 * tokens: the resource's shape, $filter, the $top range, paging by @odata.nextLink, and the refusals
 * (no permission, no Transport Data Platform service principal, a user without a trace role).
 */
let emu: RunningEmulator;
let stop: () => Promise<void>;
let contoso: TenantRecord;
const PATH = "/v1.0/admin/exchange/tracing/messageTraces";
const HOUR = 3_600_000;

const tenantId = (name: string): string => emu.config.tenants.find((t) => t.name === name)!.id;

async function apiGraphToken(upn: string, tenant = "contoso.onmicrosoft.com"): Promise<string> {
  const res = await postForm(emu, tenantId(tenant), {
    grant_type: "password",
    client_id: emu.config.apps.api.clientId,
    client_secret: emu.config.apps.api.secret,
    username: upn,
    password: `${upn.split("@")[0]!}-Pass1!`,
    scope: "https://graph.microsoft.com/.default",
  });
  expect(res.status).toBe(200);
  return res.json<TokenBody>().access_token;
}

function get(pathAndQuery: string, token: string): Promise<HttpResult> {
  const url = pathAndQuery.startsWith("https://") ? pathAndQuery : `${emu.origin}${pathAndQuery}`;
  return request(url, emu.caPem, { headers: { authorization: `Bearer ${token}` } });
}

function q(params: Record<string, string>): string {
  return `${PATH}?${new URLSearchParams(params).toString()}`;
}

interface Page {
  "@odata.context": string;
  "@odata.nextLink"?: string;
  value: Record<string, unknown>[];
}

function graphErrorOf(res: HttpResult): { code: string; message: string } {
  return res.json<{ error: { code: string; message: string } }>().error;
}

/** Admin consent for the API app's delegated ExchangeMessageTrace.Read.All, as an admin would grant it. */
function consent(record: TenantRecord): void {
  const graph = "00000003-0000-0000-c000-000000000000";
  const grant = record.directory.delegatedGrants.find(
    (g) => g.clientAppId === emu.config.apps.api.clientId && g.resourceAppId === graph,
  );
  if (!grant) throw new Error("no API -> Graph grant in the seed");
  grant.scopes.push(MESSAGE_TRACE_PERMISSION);
}

function provisionTransportDataPlatform(record: TenantRecord): void {
  record.directory.servicePrincipals.push({ appId: TRANSPORT_DATA_PLATFORM_APP_ID, id: "tdp-sp", roles: [] });
}

let withoutConsent: string;
let admin: string;
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

beforeAll(async () => {
  ({ emu, stop } = await startTestEmulator());
  const record = emu.state.getTenant("contoso.onmicrosoft.com");
  if (!record) throw new Error("no contoso");
  contoso = record;
  provisionTransportDataPlatform(contoso);
  withoutConsent = await apiGraphToken("exchange.admin@contoso.com");
  consent(contoso);
  admin = await apiGraphToken("exchange.admin@contoso.com");
  const now = Date.now();
  simulateMailFlow(contoso, { from: new Date(now - 10 * HOUR), to: new Date(now - HOUR), count: 30, seed: 5 });
});
afterAll(async () => stop());

describe("Graph message trace (v1.0)", () => {
  it("lists exchangeMessageTrace objects of the last 48 hours, newest first, in Graph's shape", async () => {
    const res = await get(PATH, admin);
    expect(res.status).toBe(200);
    const page = res.json<Page>();
    expect(page["@odata.context"]).toBe(`${emu.origin}/v1.0/$metadata#admin/exchange/tracing/messageTraces`);
    expect(page.value).toHaveLength(30);
    expect(Object.keys(page.value[0] ?? {}).sort()).toEqual(
      [
        "fromIP",
        "id",
        "messageId",
        "receivedDateTime",
        "recipientAddress",
        "senderAddress",
        "size",
        "status",
        "subject",
        "toIP",
      ].sort(),
    );
    const first = page.value[0] ?? {};
    expect(first.status).toBe("delivered");
    expect(first.toIP).toBe("");
    expect(typeof first.size).toBe("number");
    expect(String(first.receivedDateTime)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const times = page.value.map((v) => Date.parse(String(v.receivedDateTime)));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(page["@odata.nextLink"]).toBeUndefined();
  });

  it("filters on recipientAddress (eq) and a receivedDateTime range (ge and le, both)", async () => {
    const all = (await get(PATH, admin)).json<Page>().value;
    const recipient = String(all[0]?.recipientAddress);
    const now = Date.now();
    const filter = `receivedDateTime ge ${iso(now - 24 * HOUR)} and receivedDateTime le ${iso(now)} and recipientAddress eq '${recipient}'`;
    const res = await get(q({ $filter: filter }), admin);
    expect(res.status).toBe(200);
    const value = res.json<Page>().value;
    expect(value.length).toBe(all.filter((v) => v.recipientAddress === recipient).length);
    expect(value.every((v) => v.recipientAddress === recipient)).toBe(true);
    expect((await get(q({ $filter: "status eq 'failed'" }), admin)).json<Page>().value).toEqual([]);

    const oneBound = await get(q({ $filter: `receivedDateTime ge ${iso(now - HOUR)}` }), admin);
    expect([oneBound.status, graphErrorOf(oneBound).code]).toEqual([400, "BadRequest"]);
    const wide = await get(
      q({ $filter: `receivedDateTime ge ${iso(now - 11 * 24 * HOUR)} and receivedDateTime le ${iso(now)}` }),
      admin,
    );
    expect([wide.status, graphErrorOf(wide).message]).toEqual([400, expect.stringMatching(/10 days/)]);
    const future = await get(
      q({ $filter: `receivedDateTime ge ${iso(now - HOUR)} and receivedDateTime le ${iso(now + HOUR)}` }),
      admin,
    );
    expect(future.status).toBe(400);
    const unsupported = await get(q({ $filter: "size eq 5" }), admin);
    expect(unsupported.status).toBe(400);
    const select = await get(q({ $select: "id" }), admin);
    expect(select.status).toBe(400);
  });

  it("$top is 1 to 5000", async () => {
    for (const top of ["0", "5001", "ten"]) {
      const res = await get(q({ $top: top }), admin);
      expect([res.status, graphErrorOf(res).code]).toEqual([400, "BadRequest"]);
    }
    expect((await get(q({ $top: "5000" }), admin)).status).toBe(200);
  });

  it("pages with @odata.nextLink, which keeps the query; the pages together are the whole list", async () => {
    const all = (await get(PATH, admin)).json<Page>().value.map((v) => v.id);
    const seen: unknown[] = [];
    let url: string | undefined = q({ $top: "7", $filter: "status eq 'delivered'" });
    let pages = 0;
    while (url !== undefined) {
      const res = await get(url, admin);
      expect(res.status).toBe(200);
      const page = res.json<Page>();
      expect(page.value.length).toBeLessThanOrEqual(7);
      seen.push(...page.value.map((v) => v.id));
      url = page["@odata.nextLink"];
      if (url !== undefined) {
        expect(url.startsWith(`${emu.origin}${PATH}?`)).toBe(true);
        expect(new URL(url).searchParams.get("$filter")).toBe("status eq 'delivered'");
        expect(new URL(url).searchParams.get("$top")).toBe("7");
      }
      pages++;
    }
    expect(pages).toBe(5);
    expect(seen).toEqual(all);
  });

  it("403 without ExchangeMessageTrace.Read.All; 403 for a user without a trace role", async () => {
    const res = await get(PATH, withoutConsent);
    expect(res.status).toBe(403);
    expect(graphErrorOf(res)).toMatchObject({
      code: "Forbidden",
      message: expect.stringContaining(`API requires one of '${MESSAGE_TRACE_PERMISSION}'`),
    });
    const user = await apiGraphToken("user@contoso.com");
    expect((await get(PATH, user)).status).toBe(403);
  });

  it("401 until the Transport Data Platform service principal exists in the tenant", async () => {
    const fabrikam = emu.state.getTenant("fabrikam.onmicrosoft.com");
    if (!fabrikam) throw new Error("no fabrikam");
    consent(fabrikam);
    const token = await apiGraphToken("admin@fabrikam.com", "fabrikam.onmicrosoft.com");
    const res = await get(PATH, token);
    expect(res.status).toBe(401);
    expect(graphErrorOf(res)).toMatchObject({
      code: "Unauthorized",
      message: expect.stringContaining(
        `the service principal for App ID ${TRANSPORT_DATA_PLATFORM_APP_ID} was not found`,
      ),
    });
  });
});
