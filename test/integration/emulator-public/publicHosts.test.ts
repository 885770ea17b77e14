import { ConfidentialClientApplication, PublicClientApplication } from "@azure/msal-node";
import { Client, PageIterator, type PageCollection } from "@microsoft/microsoft-graph-client";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import {
  Agent,
  buildConnector,
  fetch as undiciFetch,
  getGlobalDispatcher,
  setGlobalDispatcher,
  type Dispatcher,
} from "undici";
import type { RunningEmulator } from "../../../src/emulator/server";
import { ALL_PUBLIC_HOSTS } from "../../../src/emulator/publicHosts";
import { request, startTestEmulator } from "../emulator/helpers";

/**
 * Microsoft's own clients, unmodified and with their default endpoints, against the emulator in
 * public-hosts mode: MSAL for Node with authority https://login.microsoftonline.com/<tenant> (no
 * knownAuthorities) and the Graph SDK with its default https://graph.microsoft.com base URL.
 *
 * Inside this process only, Microsoft's host names on port 443 connect to the emulator's random port
 * (an undici connector: DNS and port mapping, as a hosts-file line plus a port forward would do) and
 * trust the emulator's CA; every other destination is refused, so nothing reaches the real services.
 * The machine's hosts file is not touched and port 443 is not needed.
 *
 * Why undici's own fetch: jest runs test modules in a separate global object, so Node's built-in
 * fetch (which reads the dispatcher from the main global) would not see setGlobalDispatcher; MSAL
 * and the Graph SDK both call the global `fetch`, which here is undici's with its global dispatcher.
 */

let emu: RunningEmulator;
let stop: () => Promise<void>;
let previousDispatcher: Dispatcher;
const realFetch = globalThis.fetch;
/** host:port of every connection the clients opened. */
const connections: string[] = [];

beforeAll(async () => {
  ({ emu, stop } = await startTestEmulator({ publicHosts: true }));
  const emulatorPort = Number(new URL(emu.origin).port);
  const connectTls = buildConnector({ ca: emu.caPem });
  const agent = new Agent({
    connect: (options, callback) => {
      connections.push(`${options.hostname}:${options.port || "443"}`);
      const known = ALL_PUBLIC_HOSTS.includes(options.hostname.toLowerCase());
      if (!known || options.protocol !== "https:" || (options.port !== "" && options.port !== "443")) {
        callback(new Error(`test network: no route to ${options.hostname}:${options.port}`), null);
        return;
      }
      // The TLS server name stays Microsoft's: the emulator's certificate must name the host.
      connectTls(
        { ...options, hostname: "127.0.0.1", port: String(emulatorPort), servername: options.hostname },
        callback,
      );
    },
  });
  previousDispatcher = getGlobalDispatcher();
  setGlobalDispatcher(agent);
  globalThis.fetch = undiciFetch as unknown as typeof globalThis.fetch;
});

afterAll(async () => {
  globalThis.fetch = realFetch;
  const agent = getGlobalDispatcher();
  setGlobalDispatcher(previousDispatcher);
  await agent.close();
  await stop();
});

function contoso(): { id: string } {
  return { id: emu.config.tenants.find((t) => t.name === "contoso.onmicrosoft.com")!.id };
}

const ADMIN = { username: "exchange.admin@contoso.com", password: "exchange.admin-Pass1!" };

async function getJson(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Sign-in as the seed Exchange admin through the pane app (ROPC), then OBO by the API, default authority. */
async function signIn(): Promise<{ apiToken: string; graphToken: string; exchangeToken: string }> {
  const authority = `https://login.microsoftonline.com/${contoso().id}`;
  const pca = new PublicClientApplication({ auth: { clientId: emu.config.apps.pane.clientId, authority } });
  const user = await pca.acquireTokenByUsernamePassword({ scopes: [emu.config.apps.api.scope], ...ADMIN });
  const cca = new ConfidentialClientApplication({
    auth: { clientId: emu.config.apps.api.clientId, clientSecret: emu.config.apps.api.secret, authority },
  });
  const graph = await cca.acquireTokenOnBehalfOf({
    oboAssertion: user!.accessToken,
    scopes: ["https://graph.microsoft.com/.default"],
  });
  const exchange = await cca.acquireTokenOnBehalfOf({
    oboAssertion: user!.accessToken,
    scopes: ["https://outlook.office365.com/.default"],
  });
  return { apiToken: user!.accessToken, graphToken: graph!.accessToken, exchangeToken: exchange!.accessToken };
}

test("MSAL with its default authority signs in; tokens carry Entra's documented issuers", async () => {
  const { apiToken, graphToken } = await signIn();
  const tid = contoso().id;
  // jose checks the signature against the keys published on Microsoft's own URL, and the issuers.
  const keys = await getJson(`https://login.microsoftonline.com/${tid}/discovery/v2.0/keys`);
  const jwks = createLocalJWKSet(keys.body as unknown as JSONWebKeySet);
  const api = await jwtVerify(apiToken, jwks, {
    issuer: `https://login.microsoftonline.com/${tid}/v2.0`,
    audience: emu.config.apps.api.clientId,
  });
  expect(api.payload).toMatchObject({ ver: "2.0", tid, preferred_username: ADMIN.username });
  const graph = await jwtVerify(graphToken, jwks, {
    issuer: `https://sts.windows.net/${tid}/`,
    audience: "https://graph.microsoft.com",
  });
  expect(graph.payload).toMatchObject({ ver: "1.0", upn: ADMIN.username });
  // Only Microsoft's names were dialled, always on 443.
  expect(new Set(connections.map((c) => c.split(":")[1]))).toEqual(new Set(["443"]));
});

test("discovery documents name the host that was asked and the one issuer Entra uses", async () => {
  const tid = contoso().id;
  for (const host of ["login.microsoftonline.com", "login.windows.net", "login.microsoft.com"]) {
    const doc = await getJson(`https://${host}/${tid}/v2.0/.well-known/openid-configuration`);
    expect(doc.status).toBe(200);
    expect(doc.body).toMatchObject({
      issuer: `https://login.microsoftonline.com/${tid}/v2.0`,
      token_endpoint: `https://${host}/${tid}/oauth2/v2.0/token`,
      authorization_endpoint: `https://${host}/${tid}/oauth2/v2.0/authorize`,
      jwks_uri: `https://${host}/${tid}/discovery/v2.0/keys`,
    });
  }
  // An MSAL authority on an alias without built-in endpoint metadata reads that document over the network.
  const daemon = emu.config.apps.daemon;
  const cca = new ConfidentialClientApplication({
    auth: { clientId: daemon.clientId, clientSecret: daemon.secret, authority: `https://login.microsoft.com/${tid}` },
  });
  const result = await cca.acquireTokenByClientCredential({ scopes: ["https://outlook.office365.com/.default"] });
  expect(result?.accessToken).toBeTruthy();
  expect(connections).toContain("login.microsoft.com:443");
});

test("instance discovery answers as Entra: the clouds' aliases, or invalid_instance for an unknown host", async () => {
  const tid = contoso().id;
  const ok = await getJson(
    `https://login.microsoftonline.com/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(
      `https://login.microsoftonline.com/${tid}/oauth2/v2.0/authorize`,
    )}`,
  );
  expect(ok.status).toBe(200);
  expect(ok.body).toMatchObject({
    tenant_discovery_endpoint: `https://login.microsoftonline.com/${tid}/v2.0/.well-known/openid-configuration`,
    "api-version": "1.1",
  });
  expect((ok.body.metadata as unknown[])[0]).toEqual({
    preferred_network: "login.microsoftonline.com",
    preferred_cache: "login.windows.net",
    aliases: ["login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net"],
  });
  const bad = await getJson(
    `https://login.microsoftonline.com/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(
      "https://bogus.example.com/common/oauth2/v2.0/authorize",
    )}`,
    { "client-request-id": "6f0a3f4e-1c1d-4c8e-9d55-1b0f3c6a7e21" },
  );
  expect(bad.status).toBe(400);
  expect(bad.body).toMatchObject({
    error: "invalid_instance",
    error_codes: [50049],
    correlation_id: "6f0a3f4e-1c1d-4c8e-9d55-1b0f3c6a7e21",
  });
  expect(String(bad.body.error_description)).toMatch(/^AADSTS50049: Unknown or invalid instance\.\r\nTrace ID: /);
});

test("the Graph SDK with its default base URL pages through users with PageIterator ($top=2)", async () => {
  const { graphToken } = await signIn();
  const client = Client.initWithMiddleware({ authProvider: { getAccessToken: () => Promise.resolve(graphToken) } });
  const first = (await client.api("/users").top(2).select("id,userPrincipalName").get()) as PageCollection;
  expect(first["@odata.context"]).toBe("https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName)");
  expect(first.value).toHaveLength(2);
  expect(first["@odata.nextLink"]).toMatch(/^https:\/\/graph\.microsoft\.com\/v1\.0\/users\?/);

  const seen: string[] = [];
  const iterator = new PageIterator(client, first, (user: { userPrincipalName: string }) => {
    seen.push(user.userPrincipalName);
    return true;
  });
  await iterator.iterate();
  const all = (await client.api("/users").top(999).select("userPrincipalName").get()) as PageCollection;
  const expected = (all.value as { userPrincipalName: string }[]).map((u) => u.userPrincipalName);
  expect(expected.length).toBeGreaterThan(4);
  expect(seen).toEqual(expected);
  // Every page went to Graph's own host (the SDK sends its token only to Graph hosts).
  expect(connections.filter((c) => !c.startsWith("login.")).every((c) => c === "graph.microsoft.com:443")).toBe(true);
});

test("the Exchange admin API answers on outlook.office365.com with links on that host", async () => {
  const { exchangeToken } = await signIn();
  const tid = contoso().id;
  const res = await fetch(`https://outlook.office365.com/adminapi/beta/${tid}/InvokeCommand`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${exchangeToken}`,
      "content-type": "application/json",
      prefer: "odata.maxpagesize=1",
    },
    body: JSON.stringify({ CmdletInput: { CmdletName: "Get-AcceptedDomain", Parameters: {} } }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as Record<string, unknown>;
  expect(String(body["@odata.context"])).toMatch(
    new RegExp(`^https://outlook\\.office365\\.com/adminapi/beta/${tid}/\\$metadata#`),
  );
  expect(String(body["@odata.nextLink"])).toMatch(
    new RegExp(`^https://outlook\\.office365\\.com/adminapi/beta/${tid}/`),
  );
});

test("each host answers only as its service; the configuration says how to point a machine at it", async () => {
  const tid = contoso().id;
  expect((await fetch(`https://login.microsoftonline.com/v1.0/users`)).status).toBe(404);
  expect((await fetch(`https://graph.microsoft.com/${tid}/v2.0/.well-known/openid-configuration`)).status).toBe(404);
  expect((await fetch(`https://graph.microsoft.com/_emulator/config`)).status).toBe(404);
  // The emulator's own endpoints stay on its local origin (same certificate, localhost names).
  const local = await request(`${emu.origin}/_emulator/config`, emu.caPem);
  expect(local.status).toBe(200);
  expect(emu.config).toMatchObject({
    endpoints: {
      login: "https://login.microsoftonline.com",
      graph: "https://graph.microsoft.com/v1.0",
      exchange: "https://outlook.office365.com/adminapi/beta",
    },
    publicHosts: {
      hostsFile: ALL_PUBLIC_HOSTS.map((h) => `127.0.0.1 ${h}`),
      environment: { NODE_EXTRA_CA_CERTS: emu.caPath },
    },
  });
  expect(emu.config.tenants[0]?.authority).toBe(`https://login.microsoftonline.com/${emu.config.tenants[0]?.id}`);
});
