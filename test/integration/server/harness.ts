import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EmulatorConfig } from "../../../src/emulator/config";
import type { RunningEmulator } from "../../../src/emulator/server";
import type { BackendOptions, RunningBackend } from "../../../src/server/app";
import type { ConfigFile, ServerConfig } from "../../../src/server/config";
import { createLogger } from "../../../src/server/log";
import { createHttpClient, type HttpClient } from "../../../src/server/net/httpClient";
import { startStack as startDevStack } from "../../../src/stack/startStack";
import { testBackendDatabase } from "../../postgres/database";

/**
 * The real stack for integration tests: the emulator over HTTPS (latency off) and the backend
 * over HTTP on localhost, talking to each other exactly as in production; users sign in with the
 * password grant against the emulator's Entra endpoints.
 */
export interface Stack {
  readonly emulator: RunningEmulator;
  readonly backend: RunningBackend;
  readonly config: ServerConfig;
  readonly dataDir: string;
  readonly logs: string[];
  readonly http: HttpClient;
  token(upn: string): Promise<string>;
  api(method: "GET" | "POST" | "PUT", path: string, token: string | undefined, body?: unknown): Promise<ApiResponse>;
  exchangeSettings(tenant: string, patch: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  // Test code reads arbitrary JSON shapes from the API.
  readonly json: Record<string, unknown> & { error?: { code: string; message: string } & Record<string, unknown> };
  readonly text: string;
}

export const PANE_ORIGIN = "https://localhost:3000";

/** Short waits so tests don't sit in backoff; the policy's shape is what production uses. */
export const FAST_RETRIES: BackendOptions["retryPolicy"] = {
  baseDelayMs: 20,
  maxDelayMs: 200,
  replicationPollMs: 100,
  replicationWaitMs: 20_000,
};

export async function startStack(
  options: {
    backend?: BackendOptions;
    dataDir?: string;
    latency?: "none" | "realistic";
    config?: Partial<ConfigFile>;
  } = {},
): Promise<Stack> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "ja-server-"));
  const logs: string[] = [];
  // npm start's stack without the pane: the backend talks to the emulator exactly as in production.
  const stack = await startDevStack({
    dataDir,
    ports: { emulator: 0, backend: 0 },
    latency: options.latency ?? "none",
    pane: false,
    paneOrigin: PANE_ORIGIN,
    // JA_TEST_DATABASE=postgres: the backend on a PostgreSQL database of the run's test cluster.
    backendConfig: { ...testBackendDatabase(dataDir), ...options.config },
    backend: {
      log: createLogger("debug", (line) => logs.push(line)),
      retryPolicy: FAST_RETRIES,
      ...options.backend,
    },
  });
  const { emulator, backend, backendConfig: config } = stack;
  const http = createHttpClient({ extraCaPem: emulator.caPem });
  const tokens = new Map<string, string>();
  return {
    emulator,
    backend,
    config,
    dataDir,
    logs,
    http,
    token: async (upn) => {
      const hit = tokens.get(upn);
      if (hit) return hit;
      const t = await passwordToken(http, emulator.config, upn);
      tokens.set(upn, t);
      return t;
    },
    api: (method, path, token, body) => callApi(http, backend.url, method, path, token, body),
    exchangeSettings: (tenant, patch) => putSettings(emulator.origin, tenant, patch, emulator.caPem),
    close: async () => {
      await stack.close();
      http.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The emulator's settings endpoint takes PUT, which the backend's client never needs. */
async function putSettings(
  origin: string,
  tenant: string,
  patch: Record<string, unknown>,
  caPem: string,
): Promise<void> {
  const https = await import("node:https");
  const body = JSON.stringify(patch);
  await new Promise<void>((resolve, reject) => {
    const req = https.request(
      `${origin}/_emulator/tenants/${tenant}/exchange/settings`,
      {
        method: "PUT",
        ca: caPem,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`settings: HTTP ${res.statusCode}: ${text}`)),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export async function passwordToken(http: HttpClient, config: EmulatorConfig, upn: string): Promise<string> {
  const user = config.users.find((u) => u.upn === upn);
  if (!user) throw new Error(`no emulator user ${upn}`);
  const tenant = upn.split("@")[1] ?? "";
  const res = await http.send({
    method: "POST",
    url: `${config.origin}/${tenant}/oauth2/v2.0/token`,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "password",
      client_id: config.apps.pane.clientId,
      username: upn,
      password: user.password,
      scope: `${config.apps.api.scope} openid profile`,
    }).toString(),
  });
  const json = JSON.parse(res.text) as { access_token?: string; error_description?: string };
  if (!json.access_token) throw new Error(`token for ${upn}: HTTP ${res.status} ${json.error_description ?? res.text}`);
  return json.access_token;
}

export async function callApi(
  http: HttpClient,
  baseUrl: string,
  method: "GET" | "POST" | "PUT" | "OPTIONS",
  path: string,
  token: string | undefined,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...extraHeaders };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  let text: string | undefined;
  if (body !== undefined) {
    headers["content-type"] ??= "application/json";
    text = typeof body === "string" ? body : JSON.stringify(body);
  }
  const res = await sendAny(http, baseUrl, method, path, headers, text);
  let json: ApiResponse["json"] = {};
  try {
    json = res.text ? (JSON.parse(res.text) as ApiResponse["json"]) : {};
  } catch {
    json = {};
  }
  return { status: res.status, headers: res.headers, json, text: res.text };
}

async function sendAny(
  http: HttpClient,
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  if (method === "GET" || method === "POST") {
    const r = await http.send({ method, url: `${baseUrl}${path}`, headers, ...(body !== undefined ? { body } : {}) });
    return { status: r.status, headers: { ...r.headers }, text: r.text };
  }
  const request = baseUrl.startsWith("https") ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      `${baseUrl}${path}`,
      {
        method,
        headers: { ...headers, ...(body !== undefined ? { "content-length": String(Buffer.byteLength(body)) } : {}) },
      },
      (res: IncomingMessage) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => {
          const out: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") out[k] = v;
          resolve({ status: res.statusCode ?? 0, headers: out, text });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Polls a run until it is no longer running. */
export async function waitForRun(
  stack: Pick<Stack, "api">,
  token: string,
  runId: string,
  timeoutMs = 30_000,
): Promise<ApiResponse> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await stack.api("GET", `/api/runs/${runId}`, token);
    if (res.status === 200 && res.json.state !== "running") return res;
    if (Date.now() > until) throw new Error(`run ${runId} still ${String(res.json.state)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Calls `until` every `everyMs` until it says yes; throws naming `what` after `timeoutMs`. */
export async function pollUntil(
  until: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  everyMs: number,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await until())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** An open run event stream (GET /api/runs/{id}/events): its response, the text so far, and its end. */
export interface EventStream {
  readonly res: IncomingMessage;
  text(): string;
  readonly ended: Promise<void>;
}

/** Opens a run's event stream on a backend, from `lastEventId` when given (as EventSource resumes). */
export function openEventStream(
  base: string,
  runId: string,
  token: string,
  lastEventId?: number,
): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}/api/runs/${runId}/events`, {
      headers: {
        authorization: `Bearer ${token}`,
        ...(lastEventId !== undefined ? { "last-event-id": String(lastEventId) } : {}),
      },
    });
    req.on("error", reject);
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (d: string) => (body += d));
      // A killed server resets the connection: that ends the stream as well.
      res.on("error", () => undefined);
      const ended = new Promise<void>((r) => res.on("close", () => r()));
      resolve({ res, text: () => body, ended });
    });
    req.end();
  });
}
