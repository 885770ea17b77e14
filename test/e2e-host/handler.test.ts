import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureCertificates } from "../../src/emulator/certs";
import { startEmulator, type RunningEmulator } from "../../src/emulator/server";
import { createDevHostHandler } from "../../src/devhost/hostServer";
import { devHostEmulatorOptions } from "../../src/stack/devHostEmulator";

/**
 * devHostHandler mounted on another HTTPS server (as the pane server mounts it in development):
 * it serves only /_devhost/, hands tokens only to same-origin callers, never puts the password
 * in the page, and refuses bad per-page options with a stable code.
 */

let emulator: RunningEmulator;
let server: Server;
let origin: string;
let dataDir: string;

function call(
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    request(`${origin}${path}`, { method: init.method ?? "GET", headers: init.headers, ca: emulator.caPem }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), headers: res.headers }),
      );
    })
      .on("error", reject)
      .end(init.body);
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "devhost-handler-"));
  emulator = await startEmulator({ port: 0, latency: "none", dataDir });
  const certs = ensureCertificates(dataDir);
  const devHost = createDevHostHandler({
    appUrl: "/",
    emulator: devHostEmulatorOptions(emulator),
    user: { upn: "admin@contoso.com", password: "not-the-password" },
  });
  // Stands in for the pane's server: the dev host first, then the pane's own routes.
  server = createServer({ cert: certs.serverCertPem, key: certs.serverKeyPem }, (req, res) => {
    if (devHost(req, res)) return;
    res.writeHead(200, { "content-type": "text/plain" }).end("pane");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  origin = `https://localhost:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await emulator.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test("paths outside /_devhost/ go to the pane; /_devhost redirects to the page", async () => {
  await expect(call("/index.html")).resolves.toEqual(expect.objectContaining({ status: 200, body: "pane" }));
  const redirect = await call("/_devhost?theme=dark");
  expect(redirect.status).toBe(302);
  expect(redirect.headers.location).toBe("/_devhost/?theme=dark");
  await expect(call("/_devhost/nothing")).resolves.toEqual(expect.objectContaining({ status: 404 }));
});

test("the page and its script are served; a failed sign-in is shown, the password is never sent", async () => {
  const page = await call("/_devhost/?hostName=Outlook");
  expect(page.status).toBe(200);
  expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
  expect(page.body).toContain("Outlook (dev host)");
  expect(page.body).toContain("not signed in (invalid_grant");
  expect(page.body).not.toContain("not-the-password");
  const script = await call("/_devhost/host.js");
  expect(script.status).toBe(200);
  expect(script.body).toContain("nestedAppAuth.execute");
});

test("tokens go only to same-origin callers; the emulator's refusal comes back as a result", async () => {
  const body = JSON.stringify({ kind: "sso" });
  const json = { "content-type": "application/json" };
  const cross = await call("/_devhost/token", {
    method: "POST",
    headers: { ...json, origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    body,
  });
  expect(cross.status).toBe(403);
  expect(JSON.parse(cross.body)).toEqual({ error: expect.objectContaining({ code: "devhost_cross_origin" }) });
  const same = await call("/_devhost/token", { method: "POST", headers: { ...json, origin }, body });
  expect(same.status).toBe(200);
  expect(JSON.parse(same.body)).toEqual(expect.objectContaining({ ok: false, error: "invalid_grant" }));
});

test("bad per-page options are refused with invalid_devhost_option", async () => {
  const res = await call("/_devhost/?theme=purple");
  expect(res.status).toBe(400);
  expect(JSON.parse(res.body)).toEqual({
    error: { code: "invalid_devhost_option", message: "theme must be one of default, dark, contrast (got 'purple')." },
  });
});
