import { allowedCmdlets, canonicalCmdlet, runCmdlet } from "./engine";
import { AccessDeniedError, CmdletError, ThrottledError, cmdletErrorBody } from "./errors";
import { advanceMailFlow } from "./mailflow";
import { latencyMs, rateLimitHeaders, throttle, transientFailure } from "./faults";
import { roleGroupsOf } from "./permissions";
import type { Caller, ExchangeDeps, ExchangeRequest, ExchangeResponse, Row, TenantRecord } from "./types";

/**
 * The Exchange Online admin API ("adminapi", the REST transport of the EXO V3 module):
 *   POST /adminapi/{beta|v1.0}/{tenant}/InvokeCommand   {"CmdletInput":{"CmdletName","Parameters"}}
 *   POST /adminapi/{beta|v1.0}/{tenant}/$batch          {"requests":[{id,method,url,headers,body}]}
 *   GET  /adminapi/{beta|v1.0}/{tenant}/EXOModuleFile   which cmdlets this token may run
 * Shapes follow reference §3 (public clients CIPP, ExoHelper, monkey365).
 */
const JSON_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/** Audiences Exchange accepts: its resource URI (v1 tokens), its app id (v2 tokens). */
const EXCHANGE_AUDIENCES = new Set([
  "https://outlook.office365.com",
  "https://outlook.office365.com/",
  "https://outlook.office.com",
  "https://outlook.office.com/",
  "00000002-0000-0ff1-ce00-000000000000",
]);

function header(req: { headers: Record<string, string | undefined> }, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(req.headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): ExchangeResponse {
  return { status, headers: { "content-type": JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

/**
 * 401 as Exchange sends it: a Bearer challenge naming its resource, the reason in
 * x-ms-diagnostics, and no body.
 */
function unauthorized(reason: string, category = "invalid_token"): ExchangeResponse {
  return {
    status: 401,
    headers: {
      "www-authenticate": `Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@*", token_types="app_asserted_user_v1 service_asserted_app_v1", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="${category}"`,
      "x-ms-diagnostics": `2000001;reason="${reason.replace(/"/g, "'")}";error_category="${category}"`,
      "content-length": "0",
    },
    body: "",
  };
}

function notFound(message: string): ExchangeResponse {
  return json(404, { error: { code: "NotFound", message } });
}

function badRequest(message: string): ExchangeResponse {
  return json(400, { error: { code: "BadRequest", message } });
}

interface Route {
  version: string;
  tenant: string;
  operation: string;
}

function parsePath(path: string): Route | undefined {
  const m = /^\/adminapi\/(beta|v1\.0)\/([^/]+)\/([^/?]+)\/?$/i.exec(path);
  if (!m) return undefined;
  return { version: m[1] ?? "beta", tenant: decodeURIComponent(m[2] ?? ""), operation: decodeURIComponent(m[3] ?? "") };
}

function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  if (typeof value === "string") return value.split(/\s+/).filter((s) => s !== "");
  return [];
}

type AuthResult = { ok: true; record: TenantRecord; caller: Caller } | { ok: false; response: ExchangeResponse };

async function authenticate(req: ExchangeRequest, route: Route, deps: ExchangeDeps): Promise<AuthResult> {
  const authorization = header(req, "authorization");
  if (!authorization) return { ok: false, response: unauthorized("The request has no access token.") };
  const verified = await deps.verifyToken(authorization);
  if (!verified.ok) return { ok: false, response: unauthorized(verified.reason) };
  const claims = verified.claims;
  const aud = typeof claims.aud === "string" ? claims.aud : "";
  if (!EXCHANGE_AUDIENCES.has(aud)) {
    return {
      ok: false,
      response: unauthorized(`The audience '${aud}' is not Exchange Online (https://outlook.office365.com).`),
    };
  }
  const record = deps.getTenant(route.tenant);
  // A token only opens its own tenant: another (or an unknown) tenant in the URL is refused.
  if (!record || record.directory.tenantId !== claims.tid) {
    return {
      ok: false,
      response: unauthorized(
        `The token's tenant '${String(claims.tid)}' doesn't match the organization '${route.tenant}'.`,
        "invalid_tenant",
      ),
    };
  }
  const scopes = stringList(claims.scp);
  const appRoles = stringList(claims.roles);
  const delegated = scopes.includes("Exchange.Manage");
  const app = appRoles.includes("Exchange.ManageAsApp");
  if (!delegated && !app) {
    // [emulator] choice: 403 naming the missing permission (the token is valid but grants nothing here).
    return {
      ok: false,
      response: json(403, {
        error: {
          code: "Forbidden",
          message: "The access token doesn't grant Exchange.Manage (delegated) or Exchange.ManageAsApp (application).",
        },
      }),
    };
  }
  const upn =
    typeof claims.preferred_username === "string"
      ? claims.preferred_username
      : typeof claims.upn === "string"
        ? claims.upn
        : null;
  return {
    ok: true,
    record,
    caller: { roles: stringList(claims.wids), upn: delegated ? upn : null, appOnly: !delegated },
  };
}

function parseBody(body: unknown): unknown {
  if (typeof body === "string") {
    try {
      return JSON.parse(body) as unknown;
    } catch {
      return undefined;
    }
  }
  if (body instanceof Uint8Array) return parseBody(Buffer.from(body).toString("utf8"));
  return body;
}

function cmdletInput(body: unknown): { name: string; parameters: Record<string, unknown> } | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const input = (body as { CmdletInput?: unknown }).CmdletInput;
  if (typeof input !== "object" || input === null) return undefined;
  const name = (input as { CmdletName?: unknown }).CmdletName;
  const params = (input as { Parameters?: unknown }).Parameters ?? {};
  if (typeof name !== "string" || typeof params !== "object" || params === null || Array.isArray(params))
    return undefined;
  return { name, parameters: params as Record<string, unknown> };
}

function selectProps(rows: Row[], select: string | null): Row[] {
  if (select === null || select.trim() === "") return rows;
  const wanted = select.split(",").map((s) => s.trim().toLowerCase());
  return rows.map((row) => {
    const out: Row = {};
    for (const [k, v] of Object.entries(row)) {
      const base = k.split("@")[0]?.toLowerCase() ?? "";
      if (wanted.includes(base)) out[k] = v;
    }
    return out;
  });
}

function maxPageSize(req: ExchangeRequest): number | undefined {
  const prefer = header(req, "prefer") ?? "";
  const m = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(prefer);
  const n = m ? Number(m[1]) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

function origin(req: ExchangeRequest): string {
  return `https://${header(req, "host") ?? "outlook.office365.com"}`;
}

function errorResponse(err: unknown): ExchangeResponse {
  if (err instanceof CmdletError) {
    return json(err.httpStatus, cmdletErrorBody(err), { "x-exceptiontype": err.exceptionType });
  }
  if (err instanceof AccessDeniedError) {
    return json(401, {
      error: {
        code: "Unauthorized",
        message: err.message,
        innererror: { message: err.message, type: "Microsoft.Exchange.Admin.OData.Core.ODataServiceException" },
      },
    });
  }
  if (err instanceof ThrottledError) {
    return json(
      429,
      { error: { code: "TooManyRequests", message: err.message } },
      { "retry-after": String(err.retryAfterSeconds) },
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  return json(500, { error: { code: "InternalServerError", message: `Emulator failure: ${message}` } });
}

async function invoke(
  req: ExchangeRequest,
  route: Route,
  record: TenantRecord,
  caller: Caller,
  deps: ExchangeDeps,
): Promise<ExchangeResponse> {
  const state = record.exchange;
  const throttled = throttle(state, deps.now().getTime());
  if (throttled) return throttled;
  if (state.settings.transientFailures.when === "before") {
    const failure = transientFailure(state);
    if (failure) return failure;
  }
  const body = parseBody(req.body);
  const input = cmdletInput(body);
  if (!input)
    return badRequest('The request body must be {"CmdletInput":{"CmdletName":"<Verb-Noun>","Parameters":{...}}}.');
  const delay = latencyMs(state, canonicalCmdlet(input.name) ?? input.name);
  if (delay > 0) await deps.sleep(delay);
  const now = deps.now();
  // The simulated mail stream catches up before each call, so message trace sees it.
  advanceMailFlow(record, now);
  let result;
  try {
    result = runCmdlet(record, caller, { cmdlet: input.name, parameters: input.parameters }, now);
  } catch (err) {
    return errorResponse(err);
  }
  if (state.settings.transientFailures.when === "after") {
    // The change happened; only the answer is lost (clients must check before retrying New-*).
    const failure = transientFailure(state);
    if (failure) return failure;
  }
  const base = `${origin(req)}/adminapi/${route.version}/${record.directory.tenantId}`;
  const skip = Number(req.query.get("$skiptoken") ?? "0");
  const offset = Number.isInteger(skip) && skip > 0 ? skip : 0;
  const pageSize = maxPageSize(req);
  const all = selectProps(result.rows, req.query.get("$select"));
  const page = pageSize === undefined ? all.slice(offset) : all.slice(offset, offset + pageSize);
  const payload: Record<string, unknown> = {
    "@odata.context": `${base}/$metadata#Collection(Exchange.GenericHashTable)`,
  };
  if (result.warnings.length > 0) {
    payload["adminapi.warnings@odata.type"] = "#Collection(String)";
    payload["@adminapi.warnings"] = result.warnings;
  }
  payload.value = page;
  if (pageSize !== undefined && offset + pageSize < all.length) {
    const next = new URLSearchParams(req.query);
    next.set("$skiptoken", String(offset + pageSize));
    payload["@odata.nextLink"] = `${base}/InvokeCommand?${next.toString()}`;
  }
  const headers: Record<string, string> = { ...rateLimitHeaders(state, now.getTime()) };
  if (pageSize !== undefined) headers["preference-applied"] = `odata.maxpagesize=${pageSize}`;
  const requestId = header(req, "client-request-id");
  if (requestId) headers["request-id"] = requestId;
  return json(200, payload, headers);
}

async function batch(
  req: ExchangeRequest,
  route: Route,
  record: TenantRecord,
  caller: Caller,
  deps: ExchangeDeps,
): Promise<ExchangeResponse> {
  const body = parseBody(req.body) as { requests?: unknown } | undefined;
  const requests = Array.isArray(body?.requests) ? (body.requests as unknown[]) : undefined;
  if (!requests) return badRequest('The request body must be {"requests":[{"id","method","url","headers","body"}]}.');
  if (requests.length > 20) return badRequest("A batch can hold at most 20 requests.");
  const responses: unknown[] = [];
  for (const item of requests) {
    const r = (typeof item === "object" && item !== null ? item : {}) as {
      id?: unknown;
      url?: unknown;
      headers?: unknown;
      body?: unknown;
    };
    const url = new URL(typeof r.url === "string" ? r.url : "", "https://outlook.office365.com");
    const sub: ExchangeRequest = {
      method: "POST",
      path: url.pathname,
      query: url.searchParams,
      headers: {
        ...req.headers,
        ...(typeof r.headers === "object" && r.headers !== null ? (r.headers as Record<string, string>) : {}),
      },
      body: r.body,
    };
    const subRoute = parsePath(url.pathname);
    const res =
      subRoute && subRoute.operation.toLowerCase() === "invokecommand" && deps.getTenant(subRoute.tenant) === record
        ? await invoke(sub, route, record, caller, deps)
        : badRequest("Each batch request must be an InvokeCommand of the same tenant.");
    let parsed: unknown = res.body;
    try {
      parsed = res.body === "" ? null : (JSON.parse(res.body) as unknown);
    } catch {
      // plain-text bodies stay strings
    }
    responses.push({ id: r.id ?? null, status: res.status, headers: res.headers, body: parsed });
  }
  return json(200, { responses });
}

export async function handleExchangeRequest(req: ExchangeRequest, deps: ExchangeDeps): Promise<ExchangeResponse> {
  const route = parsePath(req.path);
  if (!route) return notFound(`No admin API resource at '${req.path}'.`);
  const op = route.operation.toLowerCase();
  const method = req.method.toUpperCase();
  const known = op === "invokecommand" || op === "$batch" || op === "exomodulefile";
  if (!known) return notFound(`No admin API resource at '${req.path}'.`);
  const expected = op === "exomodulefile" ? "GET" : "POST";
  if (method !== expected) {
    return {
      ...json(405, { error: { code: "MethodNotAllowed", message: `Use ${expected} for ${route.operation}.` } }),
      headers: { "content-type": JSON_TYPE, allow: expected },
    };
  }
  const auth = await authenticate(req, route, deps);
  if (!auth.ok) return auth.response;
  const { record, caller } = auth;
  if (op === "exomodulefile") {
    return json(200, {
      "@odata.context": `${origin(req)}/adminapi/${route.version}/${record.directory.tenantId}/$metadata#EXOModuleFile`,
      value: [{ exportedCmdlets: allowedCmdlets(caller.roles, roleGroupsOf(record, caller)).join(",") }],
    });
  }
  if (op === "$batch") return batch(req, route, record, caller, deps);
  return invoke(req, route, record, caller, deps);
}
