import { ROLE_TEMPLATE_IDS } from "../../../src/emulator/directory/types";
import {
  handleExchangeRequest,
  updateExchangeSettings,
  type ExchangeDeps,
  type ExchangeResponse,
} from "../../../src/emulator/exchange";
import { NOW, TENANT_ID, settings, tenant } from "./fixture";

/** The edge of the unit: verifyToken is faked; a "token" here is the JSON of its claims. */
function harness(record = tenant()) {
  const slept: number[] = [];
  let now = NOW.getTime();
  const deps: ExchangeDeps = {
    getTenant: (id) => (id === TENANT_ID || id === "contoso.onmicrosoft.com" ? record : undefined),
    verifyToken: (h) =>
      Promise.resolve(
        h?.startsWith("Bearer {")
          ? { ok: true as const, claims: JSON.parse(h.slice(7)) as Record<string, unknown> }
          : { ok: false as const, reason: "IDX10223: Lifetime validation failed." },
      ),
    now: () => new Date(now),
    sleep: (ms) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
  return { record, deps, slept };
}

const ADMIN_CLAIMS = {
  aud: "https://outlook.office365.com",
  tid: TENANT_ID,
  scp: "Exchange.Manage",
  wids: [ROLE_TEMPLATE_IDS.exchangeAdministrator],
  preferred_username: "admin@contoso.com",
};

function call(
  h: ReturnType<typeof harness>,
  cmdlet: string,
  parameters: Record<string, unknown> = {},
  opts: {
    claims?: Record<string, unknown> | null;
    headers?: Record<string, string>;
    path?: string;
    query?: string;
  } = {},
): Promise<ExchangeResponse> {
  const claims = opts.claims === undefined ? ADMIN_CLAIMS : opts.claims;
  return handleExchangeRequest(
    {
      method: "POST",
      path: opts.path ?? `/adminapi/beta/${TENANT_ID}/InvokeCommand`,
      query: new URLSearchParams(opts.query ?? ""),
      headers: {
        host: "localhost:4443",
        ...(claims ? { authorization: `Bearer ${JSON.stringify(claims)}` } : {}),
        ...opts.headers,
      },
      body: { CmdletInput: { CmdletName: cmdlet, Parameters: parameters } },
    },
    h.deps,
  );
}

const body = (r: ExchangeResponse): Record<string, unknown> => JSON.parse(r.body) as Record<string, unknown>;

describe("Exchange emulator: admin API over handleExchangeRequest", () => {
  it("answers 401 with a Bearer challenge without a token or with an invalid one", async () => {
    const h = harness();
    for (const res of [
      await call(h, "Get-JournalRule", {}, { claims: null }),
      await call(h, "Get-JournalRule", {}, { headers: { authorization: "Bearer expired" } }),
    ]) {
      expect(res.status).toBe(401);
      expect(res.headers["www-authenticate"]).toMatch(/^Bearer client_id="00000002-0000-0ff1-ce00-000000000000"/);
    }
  });

  it("refuses a token for another audience or another tenant (401) and one without Exchange permission (403)", async () => {
    const h = harness();
    expect(
      (await call(h, "Get-JournalRule", {}, { claims: { ...ADMIN_CLAIMS, aud: "https://graph.microsoft.com" } }))
        .status,
    ).toBe(401);
    const other = await call(
      h,
      "Get-JournalRule",
      {},
      { claims: { ...ADMIN_CLAIMS, tid: "22222222-2222-4222-8222-222222222222" } },
    );
    expect(other.status).toBe(401);
    expect(other.headers["x-ms-diagnostics"]).toContain("invalid_tenant");
    expect((await call(h, "Get-JournalRule", {}, { claims: { ...ADMIN_CLAIMS, scp: "User.Read" } })).status).toBe(403);
    const app = {
      aud: "00000002-0000-0ff1-ce00-000000000000",
      tid: TENANT_ID,
      roles: ["Exchange.ManageAsApp"],
      wids: [ROLE_TEMPLATE_IDS.exchangeAdministrator],
    };
    expect(
      (
        await call(
          h,
          "Get-JournalRule",
          {},
          { claims: app, path: "/adminapi/v1.0/contoso.onmicrosoft.com/InvokeCommand" },
        )
      ).status,
    ).toBe(200);
  });

  it("returns rows in value with @odata.context, and $select trims them", async () => {
    const h = harness();
    const res = await call(h, "Get-TransportConfig", {}, { query: "$select=JournalingReportNdrTo" });
    expect(res.status).toBe(200);
    expect(body(res)).toEqual({
      "@odata.context": `https://localhost:4443/adminapi/beta/${TENANT_ID}/$metadata#Collection(Exchange.GenericHashTable)`,
      value: [{ JournalingReportNdrTo: "<>" }],
    });
  });

  it("answers cmdlet errors in the admin API's error shape with X-ExceptionType", async () => {
    const res = await call(harness(), "New-JournalRule", { Name: "r", JournalEmailAddress: "j@vault.example" });
    expect(res.status).toBe(400);
    expect(res.headers["x-exceptiontype"]).toBe("System.InvalidOperationException");
    const error = body(res).error as {
      code: string;
      message: string;
      details: { message: string }[];
      innererror: { type: string };
    };
    expect(error.code).toBe("BadRequest");
    expect(error.message).toBe("Error executing cmdlet");
    expect(error.details[0]?.message).toMatch(
      /^Ex[0-9A-F]{6}\|System\.InvalidOperationException\|Before you create a journal rule/,
    );
    expect(error.innererror.type).toBe("Microsoft.Exchange.Admin.OData.Core.ODataServiceException");
    const missing = await call(harness(), "Get-JournalRule", { Identity: "nope" });
    expect(missing.status).toBe(404);
    expect((body(missing).error as { code: string }).code).toBe("NotFound");
    expect((body(missing).error as { details: { message: string }[] }).details[0]?.message).toMatch(
      /^Ex6F9304\|Microsoft\.Exchange\.Configuration\.Tasks\.ManagementObjectNotFoundException\|The operation couldn't be performed/,
    );
  });

  it("answers a call outside the caller's roles like Exchange: 401 'User is not allowed to call'", async () => {
    const res = await call(
      harness(),
      "New-OutboundConnector",
      { Name: "c" },
      { claims: { ...ADMIN_CLAIMS, wids: [ROLE_TEMPLATE_IDS.globalReader] } },
    );
    expect(res.status).toBe(401);
    expect(body(res)).toEqual({
      error: {
        code: "Unauthorized",
        message: "User is not allowed to call New-OutboundConnector",
        innererror: {
          message: "User is not allowed to call New-OutboundConnector",
          type: "Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
        },
      },
    });
  });

  it("pages with Prefer: odata.maxpagesize and a nextLink that takes the same body", async () => {
    const h = harness();
    const prefer = { prefer: "odata.maxpagesize=3" };
    const first = await call(h, "Get-Recipient", {}, { headers: prefer });
    const page1 = body(first);
    expect(first.headers["preference-applied"]).toBe("odata.maxpagesize=3");
    expect(page1.value).toHaveLength(3);
    const names: unknown[] = [...(page1.value as { Name: string }[]).map((r) => r.Name)];
    let next = page1["@odata.nextLink"] as string | undefined;
    while (next) {
      const url = new URL(next);
      const res = body(await call(h, "Get-Recipient", {}, { headers: prefer, path: url.pathname, query: url.search }));
      names.push(...(res.value as { Name: string }[]).map((r) => r.Name));
      next = res["@odata.nextLink"] as string | undefined;
    }
    const all = body(await call(h, "Get-Recipient")).value as { Name: string }[];
    expect(names).toEqual(all.map((r) => r.Name));
  });

  it("throttles with 429 + Retry-After after N calls in the window, or with the plain-text variant", async () => {
    const h = harness();
    settings(h.record, { throttling: { enabled: true, maxCalls: 2, windowSeconds: 60, retryAfterSeconds: 30 } });
    expect((await call(h, "Get-JournalRule")).headers["rate-limit-remaining"]).toBe("1");
    await call(h, "Get-JournalRule");
    const throttled = await call(h, "Get-JournalRule");
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers["retry-after"])).toBeGreaterThanOrEqual(30);
    settings(h.record, { throttling: { style: "concurrent" } });
    const text = await call(h, "Get-JournalRule");
    expect([text.status, text.body]).toEqual([
      429,
      "You have reached the maximum number of concurrent requests per tenant. Please wait and try again",
    ]);
  });

  it("fails the next N calls with a transient 5xx, before or after running the cmdlet", async () => {
    const h = harness();
    settings(h.record, { transientFailures: { failNext: 2, status: 503 } });
    expect((await call(h, "Get-JournalRule")).status).toBe(503);
    expect((await call(h, "Get-JournalRule")).status).toBe(503);
    expect((await call(h, "Get-JournalRule")).status).toBe(200);
    settings(h.record, { transientFailures: { failNext: 1, when: "after" } });
    expect((await call(h, "Set-TransportConfig", { JournalingReportNdrTo: "journal-ndr@contoso.com" })).status).toBe(
      503,
    );
    expect(h.record.exchange.transportConfig.JournalingReportNdrTo).toBe("journal-ndr@contoso.com");
  });

  it("draws transient failures from the seeded PRNG: same seed, same outcomes", async () => {
    const outcomes = async (): Promise<number[]> => {
      const h = harness();
      settings(h.record, { transientFailures: { probability: 0.5 }, seed: 1234 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await call(h, "Get-JournalRule")).status);
      return statuses;
    };
    const a = await outcomes();
    expect(a).toEqual(await outcomes());
    expect(new Set(a)).toEqual(new Set([200, 503]));
  });

  it("waits a realistic latency per cmdlet through deps.sleep, none with latency none", async () => {
    const h = harness();
    await call(h, "Get-JournalRule");
    expect(h.slept).toEqual([]);
    settings(h.record, { latency: "realistic" });
    await call(h, "Get-JournalRule");
    await call(h, "Validate-OutboundConnector", { Identity: "x", Recipients: ["a@b.example"] });
    expect(h.slept[0]).toBeGreaterThanOrEqual(500);
    expect(h.slept[0]).toBeLessThanOrEqual(1500);
    expect(h.slept[1]).toBeGreaterThanOrEqual(10_000);
  });

  it("lists the caller's cmdlets at EXOModuleFile and runs $batch requests", async () => {
    const h = harness();
    const auth = {
      authorization: `Bearer ${JSON.stringify({ ...ADMIN_CLAIMS, wids: [ROLE_TEMPLATE_IDS.globalReader] })}`,
    };
    const mod = await handleExchangeRequest(
      {
        method: "GET",
        path: `/adminapi/v1.0/${TENANT_ID}/EXOModuleFile`,
        query: new URLSearchParams("Version=3.5.0"),
        headers: auth,
        body: undefined,
      },
      h.deps,
    );
    const cmdlets = ((body(mod).value as { exportedCmdlets: string }[])[0]?.exportedCmdlets ?? "").split(",");
    expect(cmdlets).toContain("Get-JournalRule");
    expect(cmdlets).not.toContain("New-JournalRule");
    const url = `https://outlook.office365.com/adminapi/beta/${TENANT_ID}/InvokeCommand`;
    const res = await handleExchangeRequest(
      {
        method: "POST",
        path: `/adminapi/beta/${TENANT_ID}/$batch`,
        query: new URLSearchParams(),
        headers: { authorization: `Bearer ${JSON.stringify(ADMIN_CLAIMS)}` },
        body: {
          requests: [
            { id: "1", method: "POST", url, body: { CmdletInput: { CmdletName: "Get-TransportConfig" } } },
            {
              id: "2",
              method: "POST",
              url,
              body: { CmdletInput: { CmdletName: "Get-JournalRule", Parameters: { Identity: "x" } } },
            },
          ],
        },
      },
      h.deps,
    );
    const responses = body(res).responses as { id: string; status: number }[];
    expect(responses.map((r) => [r.id, r.status])).toEqual([
      ["1", 200],
      ["2", 404],
    ]);
  });

  it("answers unknown paths 404, wrong methods 405 and malformed bodies 400", async () => {
    const h = harness();
    expect(
      (
        await handleExchangeRequest(
          { method: "POST", path: "/adminapi/beta/x/Nope", query: new URLSearchParams(), headers: {}, body: {} },
          h.deps,
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await handleExchangeRequest(
          {
            method: "GET",
            path: `/adminapi/beta/${TENANT_ID}/InvokeCommand`,
            query: new URLSearchParams(),
            headers: {},
            body: {},
          },
          h.deps,
        )
      ).status,
    ).toBe(405);
    const bad = await handleExchangeRequest(
      {
        method: "POST",
        path: `/adminapi/beta/${TENANT_ID}/InvokeCommand`,
        query: new URLSearchParams(),
        headers: { authorization: `Bearer ${JSON.stringify(ADMIN_CLAIMS)}` },
        body: "{not json",
      },
      h.deps,
    );
    expect(bad.status).toBe(400);
  });
});

describe("Exchange emulator: settings", () => {
  it("validates patches and changes nothing when one field is wrong", () => {
    const t = tenant();
    const bad = updateExchangeSettings(t.exchange, { latency: "slow", replicationDelaySeconds: 5 });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.map((e) => e.path)).toEqual(["latency"]);
    expect(t.exchange.settings.replicationDelaySeconds).toBe(0);
    const good = updateExchangeSettings(t.exchange, {
      connectorValidation: { "h.example": "tlsFailure" },
      throttling: { maxCalls: 5 },
    });
    expect(good.ok && good.settings.throttling).toMatchObject({ maxCalls: 5, windowSeconds: 60, enabled: false });
    expect(JSON.parse(JSON.stringify(t.exchange))).toEqual(t.exchange); // state stays plain JSON
  });
});
