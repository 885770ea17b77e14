import { mkdtempSync, rmSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  PublicClientApplication,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from "@azure/msal-node";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../../src/emulator/server";

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: <T = Record<string, unknown>>() => T;
}

/** One HTTPS request trusting the emulator's CA (real TLS, no rejectUnauthorized=false). */
export function request(
  url: string,
  ca: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: options.method ?? "GET", headers: options.headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T });
      });
    });
    req.on("error", reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** A test emulator in a temp data folder, closed and removed by stop(). */
export async function startTestEmulator(
  options: EmulatorOptions = {},
): Promise<{ emu: RunningEmulator; dataDir: string; stop: () => Promise<void> }> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "emu-test-"));
  const emu = await startEmulator({ port: 0, latency: "none", ...options, dataDir });
  return {
    emu,
    dataDir,
    stop: async () => {
      await emu.close();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One test emulator for a test file: started before its tests (handed to `started`, which keeps it),
 * stopped and its data folder removed after them.
 */
export function useTestEmulator(started: (emu: RunningEmulator) => void, options: EmulatorOptions = {}): void {
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const running = await startTestEmulator(options);
    stop = running.stop;
    started(running.emu);
  });
  afterAll(async () => stop?.());
}

/** A seeded tenant's id by its name ("contoso.onmicrosoft.com"). */
export function tenantIdOf(emu: RunningEmulator, name: string): string {
  return emu.config.tenants.find((t) => t.name === name)!.id;
}

export type TokenBody = {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  scope?: string;
  token_type: string;
  expires_in: number;
  client_info?: string;
};

export type EntraErrorBody = {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  suberror?: string;
};

export function postForm(
  emu: RunningEmulator,
  tenant: string,
  fields: Record<string, string>,
  extraHeaders: Record<string, string> = {},
): Promise<HttpResult> {
  return request(`${emu.origin}/${tenant}/oauth2/v2.0/token`, emu.caPem, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...extraHeaders },
    body: new URLSearchParams(fields).toString(),
  });
}

/** A token's claims, unverified (the tests that check signatures use jose's jwtVerify). */
export { decodeJwt } from "jose";

/** msal-node's network client over node:https with the emulator's CA (what a deployment gets from NODE_EXTRA_CA_CERTS). */
export function caNetworkClient(ca: string): INetworkModule {
  const send = async <T>(method: string, url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const res = await request(url, ca, {
      method,
      ...(options?.headers ? { headers: options.headers } : {}),
      ...(options?.body !== undefined ? { body: options.body } : {}),
    });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
    return { status: res.status, headers, body: JSON.parse(res.text) as T };
  };
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>("GET", url, options),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>("POST", url, options),
  };
}

/** msal-node as the pane signs in: the pane's public client, one tenant's authority on the emulator, its CA trusted. */
export function panePublicClient(emu: RunningEmulator, tenantId: string): PublicClientApplication {
  return new PublicClientApplication({
    auth: {
      clientId: emu.config.apps.pane.clientId,
      authority: `${emu.origin}/${tenantId}`,
      knownAuthorities: [new URL(emu.origin).host],
    },
    system: { networkClient: caNetworkClient(emu.caPem) },
  });
}
