import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { X509Certificate } from "node:crypto";
import { parseEmulatorArgs, runEmulatorCommand } from "../../../src/cli/emulator";
import { createSeedState } from "../../../src/emulator/state";
import { postForm, request, startTestEmulator, type TokenBody } from "./helpers";

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), "emu-platform-"));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test("certificates and the signing key are made once and reused; the server certificate names localhost and 127.0.0.1", async () => {
  const first = await startTestEmulator({ dataDir });
  const contoso = first.emu.config.tenants[0]!.id;
  const d = first.emu.config.apps.daemon;
  const token = (
    await postForm(first.emu, contoso, {
      grant_type: "client_credentials",
      client_id: d.clientId,
      client_secret: d.secret,
      scope: "https://outlook.office365.com/.default",
    })
  ).json<TokenBody>().access_token;
  const caPem = first.emu.caPem;
  const kid = first.emu.tokens.jwks.keys[0]!.kid;
  await first.stop();

  const second = await startTestEmulator({ dataDir });
  try {
    expect(second.emu.caPem).toBe(caPem);
    expect(second.emu.caPath).toBe(join(dataDir, "ca.pem"));
    const server = new X509Certificate(readFileSync(join(dataDir, "server.pem")));
    expect(server.subjectAltName).toContain("DNS:localhost");
    expect(server.subjectAltName).toContain("IP Address:127.0.0.1");
    expect(server.verify(new X509Certificate(caPem).publicKey)).toBe(true);
    // Same signing key (a backend's cached JWKS stays valid); the server answers on 127.0.0.1 too.
    expect(second.emu.tokens.jwks.keys[0]!.kid).toBe(kid);
    expect(token.split(".")[0]).toBeTruthy();
    const port = new URL(second.emu.origin).port;
    const res = await request(`https://127.0.0.1:${port}/_emulator/config`, caPem);
    expect(res.status).toBe(200);
  } finally {
    await second.stop();
  }
});

test("admin endpoints: config, Exchange settings get/put with validation, reset, unknown tenant", async () => {
  const { emu, stop } = await startTestEmulator({ dataDir });
  try {
    const config = (await request(`${emu.origin}/_emulator/config`, emu.caPem)).json<{
      origin: string;
      users: { upn: string; password: string; roles: string[] }[];
    }>();
    expect(config.origin).toBe(emu.origin);
    expect(config.users).toContainEqual({
      upn: "admin@contoso.com",
      password: "admin-Pass1!",
      roles: ["Global Administrator"],
      tenant: "contoso.onmicrosoft.com",
    });
    expect(config.users.some((u) => u.upn === "journal-ndr@contoso.com")).toBe(false);

    const url = `${emu.origin}/_emulator/tenants/contoso.onmicrosoft.com/exchange/settings`;
    const before = (await request(url, emu.caPem)).json<{ latency: string; replicationDelaySeconds: number }>();
    expect(before.latency).toBe("none");
    const put = await request(url, emu.caPem, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ replicationDelaySeconds: 5 }),
    });
    expect(put.status).toBe(200);
    expect(put.json()).toMatchObject({ replicationDelaySeconds: 5 });
    const bad = await request(url, emu.caPem, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ latency: "slow" }),
    });
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ code: "invalid_settings" });
    const unknown = await request(`${emu.origin}/_emulator/tenants/nowhere.com/exchange/settings`, emu.caPem);
    expect(unknown.status).toBe(404);

    const reset = await request(`${emu.origin}/_emulator/reset`, emu.caPem, { method: "POST" });
    expect(reset.status).toBe(200);
    expect((await request(url, emu.caPem)).json()).toMatchObject({ replicationDelaySeconds: 0, latency: "none" });
  } finally {
    await stop();
  }
});

test("--state: changes are saved (debounced and on close) and loaded on the next start", async () => {
  const stateFile = join(dataDir, "state.json");
  const first = await startTestEmulator({ dataDir, stateFile });
  const url = `${first.emu.origin}/_emulator/tenants/contoso.com/exchange/settings`;
  await request(url, first.emu.caPem, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ maxJournalRules: 7 }),
  });
  await first.stop();
  expect(existsSync(stateFile)).toBe(true);
  const saved = JSON.parse(readFileSync(stateFile, "utf8")) as {
    version: number;
    tenants: { exchange: { settings: { maxJournalRules: number } } }[];
  };
  expect(saved.version).toBe(1);
  expect(saved.tenants[0]!.exchange.settings.maxJournalRules).toBe(7);

  const second = await startTestEmulator({ dataDir, stateFile });
  try {
    const again = (
      await request(`${second.emu.origin}/_emulator/tenants/contoso.com/exchange/settings`, second.emu.caPem)
    ).json();
    expect(again).toMatchObject({ maxJournalRules: 7 });
  } finally {
    await second.stop();
  }
});

test("--state: a file written before a setting existed loads with that setting's default and stays changeable", async () => {
  const stateFile = join(dataDir, "older-state.json");
  // As an earlier version wrote it: no validateOutboundConnectorOutput (added with issue 11).
  const older = createSeedState("default", "none");
  for (const t of older.tenants) {
    delete (t.exchange.settings as Partial<typeof t.exchange.settings>).validateOutboundConnectorOutput;
  }
  writeFileSync(stateFile, JSON.stringify(older));

  const second = await startTestEmulator({ dataDir, stateFile });
  try {
    const url = `${second.emu.origin}/_emulator/tenants/contoso.com/exchange/settings`;
    expect((await request(url, second.emu.caPem)).json()).toMatchObject({
      validateOutboundConnectorOutput: "taskRows",
    });
    // What `npm start` does at every start: it failed on such a file before.
    const put = await request(url, second.emu.caPem, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ mailFlow: { ratePerHour: 60 } }),
    });
    expect(put.status).toBe(200);
  } finally {
    await second.stop();
  }
});

test("request limits and unknown paths", async () => {
  const { emu, stop } = await startTestEmulator({ dataDir, maxBodyBytes: 1024 });
  try {
    const big = await postForm(emu, "common", { grant_type: "password", filler: "x".repeat(2048) });
    expect(big.status).toBe(413);
    const missing = await request(`${emu.origin}/nothing/here`, emu.caPem);
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: "NotFound" } });
    const wrongMethod = await request(`${emu.origin}/common/oauth2/v2.0/token`, emu.caPem);
    expect(wrongMethod.status).toBe(405);
  } finally {
    await stop();
  }
});

test("the Exchange admin API is mounted: the daemon runs a cmdlet; a contoso token is refused on fabrikam", async () => {
  const { emu, stop } = await startTestEmulator({ dataDir, seed: "gateway" });
  try {
    const contoso = emu.config.tenants.find((t) => t.name === "contoso.onmicrosoft.com")!.id;
    const d = emu.config.apps.daemon;
    const token = (
      await postForm(emu, contoso, {
        grant_type: "client_credentials",
        client_id: d.clientId,
        client_secret: d.secret,
        scope: "https://outlook.office365.com/.default",
      })
    ).json<TokenBody>().access_token;
    const invoke = (tenant: string) =>
      request(`${emu.origin}/adminapi/beta/${tenant}/InvokeCommand`, emu.caPem, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ CmdletInput: { CmdletName: "Get-OutboundConnector", Parameters: {} } }),
      });
    const ok = await invoke(contoso);
    expect(ok.status).toBe(200);
    expect(
      ok.json<{ value: { SmartHosts: string[]; RecipientDomains: string[] }[] }>().value[0]?.RecipientDomains,
    ).toEqual(["*"]);
    const other = await invoke("fabrikam.onmicrosoft.com");
    expect(other.status).toBe(401);
  } finally {
    await stop();
  }
});

describe("CLI", () => {
  test("parses options and refuses bad values", () => {
    expect(parseEmulatorArgs(["--port", "0", "--latency=none", "--seed", "gateway", "--state", "s.json"])).toEqual({
      ok: true,
      options: { port: 0, latency: "none", seed: "gateway", stateFile: "s.json" },
      printConfig: false,
      help: false,
    });
    expect(parseEmulatorArgs(["--latency", "slow"])).toMatchObject({
      ok: false,
      message: expect.stringContaining("realistic or none") as unknown,
    });
    expect(parseEmulatorArgs(["--port", "x"])).toMatchObject({ ok: false });
    expect(parseEmulatorArgs(["--bogus"])).toMatchObject({ ok: false, message: "unknown option '--bogus'" });
  });

  test("--print-config prints origin, tenants, apps and users as JSON", async () => {
    const lines: string[] = [];
    const io = { stdout: (t: string) => void lines.push(t), stderr: (t: string) => void lines.push(t) };
    expect(await runEmulatorCommand(["--print-config", "--port", "4999", "--data", dataDir], io)).toBe(0);
    const config = JSON.parse(lines.join("\n")) as {
      origin: string;
      tenants: { name: string }[];
      apps: { api: { secret: string; scope: string } };
    };
    expect(config.origin).toBe("https://localhost:4999");
    expect(config.tenants.map((t) => t.name)).toEqual(["contoso.onmicrosoft.com", "fabrikam.onmicrosoft.com"]);
    expect(config.apps.api.scope).toMatch(/^api:\/\/localhost\/[0-9a-f-]{36}\/access_as_user$/);
  });
});
