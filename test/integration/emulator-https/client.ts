import { request, startTestEmulator, type HttpResult, type TokenBody } from "../emulator/helpers";
import type { RunningEmulator } from "../../../src/emulator/server";

/**
 * A REST client of the Exchange Online admin API, as CIPP / ExoHelper call outlook.office365.com,
 * pointed at the emulator: real HTTPS (the emulator's CA, no rejectUnauthorized=false) and real
 * tokens from the emulator's token endpoint. Only the base URL differs from production.
 */

export const CONTOSO = "contoso.onmicrosoft.com";
export const FABRIKAM = "fabrikam.onmicrosoft.com";
export const EXCHANGE_SCOPE = "https://outlook.office365.com/Exchange.Manage";

/** The emulator plus a movable clock: tokens, replication delay and message trace all read it. */
export interface TestTenant {
  emu: RunningEmulator;
  /** Moves the emulator's clock forward (token expiry, replication delay, message trace windows). */
  advance(ms: number): void;
  now(): Date;
  stop(): Promise<void>;
}

export async function startTenant(): Promise<TestTenant> {
  let offset = 0;
  const { emu, stop } = await startTestEmulator({ now: () => Date.now() + offset });
  return {
    emu,
    advance: (ms) => {
      offset += ms;
    },
    now: () => new Date(Date.now() + offset),
    stop,
  };
}

export interface Caller {
  token: string;
  /** X-AnchorMailbox as the EXO V3 module sends it. */
  anchor: string;
}

async function tokenRequest(emu: RunningEmulator, tenant: string, fields: Record<string, string>): Promise<string> {
  const res = await request(`${emu.origin}/${tenant}/oauth2/v2.0/token`, emu.caPem, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
  return res.json<TokenBody>().access_token;
}

/** A delegated Exchange token by ROPC with the product's confidential API app (it holds Exchange.Manage consent). */
export async function userCaller(emu: RunningEmulator, upn: string, tenant = CONTOSO): Promise<Caller> {
  const user = emu.config.users.find((u) => u.upn === upn);
  if (!user) throw new Error(`no seed user ${upn}`);
  const token = await tokenRequest(emu, tenant, {
    grant_type: "password",
    client_id: emu.config.apps.api.clientId,
    client_secret: emu.config.apps.api.secret,
    username: upn,
    password: user.password,
    scope: EXCHANGE_SCOPE,
  });
  return { token, anchor: `UPN:${upn}` };
}

/** An app-only Exchange token (client credentials of the daemon app, Exchange.ManageAsApp + Exchange Administrator). */
export async function daemonCaller(emu: RunningEmulator): Promise<Caller> {
  const d = emu.config.apps.daemon;
  const tenantId = d.tenant;
  const token = await tokenRequest(emu, tenantId, {
    grant_type: "client_credentials",
    client_id: d.clientId,
    client_secret: d.secret,
    scope: "https://outlook.office365.com/.default",
  });
  return { token, anchor: `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${tenantId}` };
}

/** Any token from the token endpoint (for the wrong-audience and no-permission cases). */
export function rawToken(emu: RunningEmulator, tenant: string, fields: Record<string, string>): Promise<string> {
  return tokenRequest(emu, tenant, fields);
}

export interface InvokeOptions {
  tenant?: string;
  pageSize?: number;
  select?: string;
  /** Replaces the Authorization header; null sends none. */
  authorization?: string | null;
  /** A full URL to POST to instead of InvokeCommand (an @odata.nextLink). */
  url?: string;
}

export function invokeUrl(emu: RunningEmulator, tenant = CONTOSO, select?: string): string {
  const base = `${emu.origin}/adminapi/beta/${tenant}/InvokeCommand`;
  return select === undefined ? base : `${base}?$select=${encodeURIComponent(select)}`;
}

/** One POST InvokeCommand, exactly as a REST client sends it. */
export function invoke(
  emu: RunningEmulator,
  caller: Caller,
  cmdlet: string,
  parameters: Record<string, unknown> = {},
  options: InvokeOptions = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-anchormailbox": caller.anchor,
    "x-cmdletname": cmdlet,
    "x-responseformat": "json",
  };
  const authorization = options.authorization === undefined ? `Bearer ${caller.token}` : options.authorization;
  if (authorization !== null) headers.authorization = authorization;
  if (options.pageSize !== undefined) headers.prefer = `odata.maxpagesize=${options.pageSize}`;
  return request(options.url ?? invokeUrl(emu, options.tenant, options.select), emu.caPem, {
    method: "POST",
    headers,
    body: JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: parameters } }),
  });
}

export type Row = Record<string, unknown>;

export interface InvokeBody {
  "@odata.context": string;
  "@odata.nextLink"?: string;
  "@adminapi.warnings"?: string[];
  value: Row[];
}

/** Runs a cmdlet that must succeed; follows @odata.nextLink by POSTing the same body. */
export async function run(
  emu: RunningEmulator,
  caller: Caller,
  cmdlet: string,
  parameters: Record<string, unknown> = {},
  options: InvokeOptions = {},
): Promise<{ rows: Row[]; warnings: string[]; pages: number }> {
  const rows: Row[] = [];
  const warnings: string[] = [];
  let pages = 0;
  let url: string | undefined = options.url;
  do {
    const res = await invoke(emu, caller, cmdlet, parameters, { ...options, ...(url === undefined ? {} : { url }) });
    if (res.status !== 200) throw new Error(`${cmdlet} failed: ${res.status} ${res.text}`);
    const body = res.json<InvokeBody>();
    pages++;
    rows.push(...body.value);
    warnings.push(...(body["@adminapi.warnings"] ?? []));
    url = body["@odata.nextLink"];
  } while (url !== undefined);
  return { rows, warnings, pages };
}

export interface CmdletFailure {
  status: number;
  exceptionType: string;
  errorId: string;
  message: string;
  /** The X-ExceptionType response header. */
  header: string | undefined;
}

/** Runs a cmdlet that must fail with a cmdlet error; splits details[0].message "<errorId>|<type>|<text>". */
export async function fail(
  emu: RunningEmulator,
  caller: Caller,
  cmdlet: string,
  parameters: Record<string, unknown> = {},
  options: InvokeOptions = {},
): Promise<CmdletFailure> {
  const res = await invoke(emu, caller, cmdlet, parameters, options);
  if (res.status === 200) throw new Error(`${cmdlet} succeeded but was expected to fail: ${res.text}`);
  const body = res.json<{ error: { code: string; message: string; details?: { message: string }[] } }>();
  // error.code names the HTTP status (NotFound for 404, BadRequest for 400), as the real service's bodies do.
  expect(body.error.code).toBe(res.status === 404 ? "NotFound" : "BadRequest");
  expect(body.error.message).toBe("Error executing cmdlet");
  const detail = body.error.details?.[0]?.message ?? "";
  const [errorId = "", exceptionType = "", ...text] = detail.split("|");
  const header = res.headers["x-exceptiontype"];
  return {
    status: res.status,
    errorId,
    exceptionType,
    message: text.join("|"),
    header: typeof header === "string" ? header : undefined,
  };
}

/** Exchange's body for a caller whose roles do not include the cmdlet (HTTP 401). */
export function notAllowedBody(cmdlet: string): unknown {
  return {
    error: {
      code: "Unauthorized",
      message: `User is not allowed to call ${cmdlet}`,
      innererror: {
        message: `User is not allowed to call ${cmdlet}`,
        type: "Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
      },
    },
  };
}

/** PUT /_emulator/tenants/{tenant}/exchange/settings (merges). */
export async function setSettings(emu: RunningEmulator, patch: unknown, tenant = CONTOSO): Promise<HttpResult> {
  const res = await request(`${emu.origin}/_emulator/tenants/${tenant}/exchange/settings`, emu.caPem, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(patch),
  });
  if (res.status !== 200) throw new Error(`settings refused: ${res.status} ${res.text}`);
  return res;
}

/** POST /_emulator/reset: a fresh seed (tokens stay valid: same signing key). */
export async function resetEmulator(emu: RunningEmulator, seed: "default" | "gateway" = "default"): Promise<void> {
  const res = await request(`${emu.origin}/_emulator/reset`, emu.caPem, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ seed }),
  });
  if (res.status !== 200) throw new Error(`reset failed: ${res.status}`);
}

export const NDR = "journal-ndr@contoso.com";
export const JOURNAL = "journaling@area1-vault.example";
