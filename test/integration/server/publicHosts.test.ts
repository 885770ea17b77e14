import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../../src/server/log";
import { createHttpClient, type HttpClient } from "../../../src/server/net/httpClient";
import { publicHostsConnectTo, startStack, type RunningStack } from "../../../src/stack/startStack";
import { callApi, FAST_RETRIES } from "./harness";

/**
 * The product in public-hosts mode (`start --public-hosts`): the backend runs with Microsoft's own
 * URLs — its defaults — and only the app registration and the CA set, and reaches those names on
 * the emulator through the stack's connect hook (the machine's hosts file is not touched). A user
 * signs in at login.microsoftonline.com, and the status read goes through OBO, Exchange and Graph.
 */
let stack: RunningStack;
let http: HttpClient;
let dataDir: string;
const logs: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "ja-public-"));
  stack = await startStack({
    dataDir,
    ports: { emulator: 0, backend: 0 },
    latency: "none",
    pane: false,
    publicHosts: true,
    backend: { log: createLogger("debug", (line) => logs.push(line)), retryPolicy: FAST_RETRIES },
  });
  http = createHttpClient({ extraCaPem: stack.emulator.caPem, connectTo: publicHostsConnectTo(stack.emulator) });
});

afterAll(async () => {
  await stack.close();
  http.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test("the backend is configured with Microsoft's URLs and serves a status read end to end", async () => {
  expect(stack.backendConfig).toMatchObject({
    authorityHost: "https://login.microsoftonline.com",
    graphUrl: "https://graph.microsoft.com",
    exchangeUrl: "https://outlook.office365.com",
    knownAuthorities: [],
  });
  const config = stack.emulator.config;
  const admin = config.users.find((u) => u.upn === "exchange.admin@contoso.com")!;
  const res = await http.send({
    method: "POST",
    url: `https://login.microsoftonline.com/contoso.com/oauth2/v2.0/token`,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "password",
      client_id: config.apps.pane.clientId,
      username: admin.upn,
      password: admin.password,
      scope: `${config.apps.api.scope} openid profile`,
    }).toString(),
  });
  expect(res.status).toBe(200);
  const token = (JSON.parse(res.text) as { access_token: string }).access_token;

  const status = await callApi(http, stack.backend.url, "GET", "/api/status", token);
  expect(status.status).toBe(200);
  expect(Array.isArray(status.json.resources)).toBe(true);
  expect(status.json.messageTrace).toBeDefined();
  // The observed tenant: Exchange reads (Get-*) with the OBO token for outlook.office365.com.
  const state = await callApi(http, stack.backend.url, "GET", "/api/tenant/state", token);
  expect(state.status).toBe(200);
  expect(state.json["Get-TransportConfig"]).toMatchObject({ Identity: "Transport Settings" });
});
