import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseContentSecurityPolicy } from "../../../src/server/pane/csp";
import { ICONS_DIR } from "../../../manifest/lib/paths";
import { runServeCommand } from "../../../src/cli/serve";
import { startEmulator, type RunningEmulator } from "../../../src/emulator/server";
import { createHttpClient } from "../../../src/server/net/httpClient";
import { DEFAULT_DIST_DIR, ensurePaneBuilt, PANE_PAGES } from "../../../src/stack/paneBuild";
import { passwordToken } from "./harness";
import { DOCUMENTED_FRAME_ANCESTORS } from "../../fixtures/documentedFrameAncestors";

/**
 * `journaling-assistant serve` with a pane build, as an operator runs it in production: one
 * process, one origin for the pane, its /config.json, the icons and the API; real HTTP(S).
 */

// Production frames the pane only from Microsoft's documented hosts, never 'self' (nothing of ours frames it there).

const PUBLIC_ORIGIN = "https://journaling.contoso.example";

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A raw request: the path goes on the wire exactly as written (no client-side normalisation). */
function fetchRaw(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; ca?: string } = {},
): Promise<Answer> {
  const url = new URL(base);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      {
        hostname: url.hostname,
        port: url.port,
        path,
        method: options.method ?? "GET",
        headers: options.headers ?? {},
        ...(options.ca !== undefined ? { ca: options.ca } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

interface Serving {
  readonly url: string;
  readonly logs: string[];
  stop(): Promise<number>;
}

/** Runs the real `serve` command until stop(); resolves once it prints its URL. */
async function serve(argv: string[], env: NodeJS.ProcessEnv): Promise<Serving> {
  let stopNow = (): void => undefined;
  const until = new Promise<void>((resolve) => (stopNow = resolve));
  const logs: string[] = [];
  let stderr = "";
  let announced = (_url: string): void => undefined;
  const url = new Promise<string>((resolve) => (announced = resolve));
  const exit = runServeCommand(argv, {
    env,
    until,
    logSink: (line) => logs.push(line),
    io: {
      stdout: () => undefined,
      stderr: (text) => {
        stderr += text;
        const m = /backend: (\S+)/.exec(stderr);
        if (m?.[1]) announced(m[1]);
      },
    },
  });
  const first = await Promise.race([url, exit.then((code) => ({ code }))]);
  if (typeof first !== "string") throw new Error(`serve exited with ${first.code}: ${stderr}`);
  return {
    url: first,
    logs,
    stop: async () => {
      stopNow();
      return exit;
    },
  };
}

/** The serve command's answer to a bad configuration: exit code and what it printed. */
async function serveFails(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  let stderr = "";
  const code = await runServeCommand(argv, {
    env,
    until: Promise.resolve(),
    logSink: () => undefined,
    io: { stdout: () => undefined, stderr: (t) => void (stderr += t) },
  });
  return { code, stderr };
}

let workDir: string;
let paneDist: string;

/** index.html's first-render script, e.g. pane.3f294663.js. */
function entryScript(distDir: string): string | undefined {
  return /src="?\/(pane\.[0-9a-f]{8}\.js)/.exec(readFileSync(join(distDir, "index.html"), "utf8"))?.[1];
}

/** Every page, and the script index.html loads: a copy taken while another worker rebuilt would miss some. */
function isCompleteBuild(distDir: string): boolean {
  if (!PANE_PAGES.every((page) => existsSync(join(distDir, page)))) return false;
  const script = entryScript(distDir);
  return script !== undefined && existsSync(join(distDir, script));
}

beforeAll(async () => {
  // A built pane is an input here, not the subject: build it only when there is none.
  if (!isCompleteBuild(DEFAULT_DIST_DIR)) await ensurePaneBuilt(DEFAULT_DIST_DIR);
  workDir = mkdtempSync(join(tmpdir(), "ja-pane-serving-"));
  // A private copy: browser tests in another worker may rebuild dist/pane while this file runs.
  paneDist = join(workDir, "pane");
  for (let attempt = 0; ; attempt++) {
    rmSync(paneDist, { recursive: true, force: true });
    cpSync(DEFAULT_DIST_DIR, paneDist, { recursive: true });
    if (isCompleteBuild(paneDist)) break;
    if (attempt === 30) throw new Error(`no complete pane build in ${DEFAULT_DIST_DIR}`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}, 180_000);

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

describe("serve --pane-dist over https, against the emulator's tenant", () => {
  let emulator: RunningEmulator;
  let server: Serving;
  let ca: string;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, latency: "none", dataDir: join(workDir, "emulator") });
    ca = emulator.caPem;
    const certDir = dirname(emulator.config.caPath);
    const { api, pane } = emulator.config.apps;
    server = await serve(["--pane-dist", paneDist, "--port", "0"], {
      JA_CLIENT_ID: api.clientId,
      JA_CLIENT_SECRET: api.secret,
      JA_API_AUDIENCE: api.identifierUri,
      JA_AUTHORITY_HOST: emulator.origin,
      JA_GRAPH_URL: emulator.origin,
      JA_EXCHANGE_URL: emulator.origin,
      JA_CA_FILE: emulator.config.caPath,
      JA_DATA_DIR: join(workDir, "backend"),
      JA_ALLOWED_TENANTS: emulator.config.tenants.map((t) => t.id).join(","),
      JA_PANE_CLIENT_ID: pane.clientId,
      JA_PANE_ORIGIN: PUBLIC_ORIGIN,
      JA_TLS_CERT_FILE: join(certDir, "server.pem"),
      JA_TLS_KEY_FILE: join(certDir, "server-key.pem"),
    });
  });

  afterAll(async () => {
    await server?.stop();
    await emulator?.close();
  });

  it("GET / is the pane's index.html with the production CSP: exactly Microsoft's hosts may frame it", async () => {
    const res = await fetchRaw(server.url, "/", { ca });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.body.toString()).toEqual(readFileSync(join(paneDist, "index.html"), "utf8"));
    const csp = parseContentSecurityPolicy(String(res.headers["content-security-policy"]));
    expect(csp.get("frame-ancestors")).toEqual(DOCUMENTED_FRAME_ANCESTORS);
    expect(csp.get("frame-ancestors")).not.toContain("'self'");
    expect(csp.get("connect-src")).toEqual(["'self'", emulator.origin, PUBLIC_ORIGIN]);
    expect(csp.get("script-src")).toEqual(["'self'"]);
    expect(res.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
    expect(res.headers["x-frame-options"]).toBeUndefined();
  });

  it("every page the manifest names is served; only the Outlook task pane and its sign-in dialog may load office.js", async () => {
    for (const page of PANE_PAGES) {
      const res = await fetchRaw(server.url, `/${page}`, { ca });
      expect(res.status).toBe(200);
      const csp = parseContentSecurityPolicy(String(res.headers["content-security-policy"]));
      expect(csp.get("frame-ancestors")).toEqual(DOCUMENTED_FRAME_ANCESTORS);
      // The Office dialog page calls Office.context.ui.messageParent, so it loads office.js too.
      expect(csp.get("script-src")?.includes("https://appsforoffice.microsoft.com")).toBe(
        page === "taskpane.html" || page === "auth-dialog.html",
      );
    }
  });

  it("the bundle's hashed scripts are cacheable for good", async () => {
    const script = entryScript(paneDist);
    expect(script).toBeDefined();
    const res = await fetchRaw(server.url, `/${script}`, { ca, headers: { "accept-encoding": "gzip" } });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
  });

  it("GET /config.json has the configured values: the pane's client, the tenant's authority, the API on the public origin", async () => {
    const res = await fetchRaw(server.url, "/config.json", { ca });
    expect(res.status).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(JSON.parse(res.body.toString())).toEqual({
      authority: `${emulator.origin}/organizations`,
      clientId: emulator.config.apps.pane.clientId,
      knownAuthorities: [new URL(emulator.origin).host],
      graphBaseUrl: emulator.origin,
      backendUrl: PUBLIC_ORIGIN,
      apiScope: emulator.config.apps.api.scope,
    });
  });

  it("serves the Outlook ribbon icons the manifest points at", async () => {
    for (const icon of ["icon-16.png", "icon-32.png", "icon-80.png"]) {
      const res = await fetchRaw(server.url, `/icons/${icon}`, { ca });
      expect(res.status).toBe(200);
      expect(res.headers["content-type"]).toBe("image/png");
      expect(res.body.equals(readFileSync(join(ICONS_DIR, icon)))).toBe(true);
    }
    expect((await fetchRaw(server.url, "/icons/nope.png", { ca })).status).toBe(404);
  });

  it("/api is the backend on the same origin: 401 without a token, the user with one", async () => {
    const anonymous = await fetchRaw(server.url, "/api/me", { ca });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers["www-authenticate"]).toMatch(/^Bearer /);
    expect(JSON.parse(anonymous.body.toString())).toMatchObject({ error: { code: "unauthorized" } });

    const http = createHttpClient({ extraCaPem: ca });
    try {
      const token = await passwordToken(http, emulator.config, "exchange.admin@contoso.com");
      const me = await fetchRaw(server.url, "/api/me", { ca, headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
      expect(JSON.parse(me.body.toString())).toMatchObject({
        user: { upn: "exchange.admin@contoso.com" },
        canChange: true,
      });
    } finally {
      http.close();
    }
    expect((await fetchRaw(server.url, "/api/nothing", { ca })).status).toBe(404);
  });

  it("an unknown path is 404, not the app", async () => {
    for (const path of ["/nothing-here", "/nothing.js", "/.env", "/_devhost/"]) {
      const res = await fetchRaw(server.url, path, { ca });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    expect((await fetchRaw(server.url, "/", { ca, method: "POST" })).status).toBe(405);
  });

  it("path traversal never leaves the pane's folder", async () => {
    for (const path of [
      "/..%2f..%2fetc/passwd",
      "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
      "/../../etc/passwd",
      "/icons/..%2f..%2fpackage.json",
      "/%E0%A4%A",
    ]) {
      const res = await fetchRaw(server.url, path, { ca });
      expect({ path, status: [400, 404].includes(res.status) }).toEqual({ path, status: true });
      expect(res.body.toString()).not.toMatch(/root:|"name"/);
    }
  });
});

describe("serve --pane-dist without TLS settings", () => {
  const clientId = "11111111-2222-3333-4444-555555555555";
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    JA_CLIENT_ID: clientId,
    JA_CLIENT_SECRET: "s3cret",
    JA_PORT: "0",
    JA_DATA_DIR: join(workDir, `backend-${Math.random().toString(36).slice(2)}`),
    JA_PANE_ORIGIN: PUBLIC_ORIGIN,
    JA_API_AUDIENCE: `api://journaling.contoso.example/${clientId}`,
    JA_ANY_TENANT: "true",
    ...extra,
  });

  it("serves plain http, says a TLS-terminating proxy is expected, and /config.json has Microsoft's defaults", async () => {
    const server = await serve([], env({ JA_PANE_DIST: paneDist }));
    try {
      expect(server.url).toMatch(/^http:\/\//);
      const warning = server.logs
        .map((l) => JSON.parse(l) as { level: string; msg: string })
        .find((l) => l.level === "warn");
      expect(warning?.msg).toMatch(/TLS-terminating proxy/);
      const page = await fetchRaw(server.url, "/index.html");
      expect(page.status).toBe(200);
      expect(
        parseContentSecurityPolicy(String(page.headers["content-security-policy"])).get("frame-ancestors"),
      ).toEqual(DOCUMENTED_FRAME_ANCESTORS);
      expect(page.headers["strict-transport-security"]).toBeUndefined();
      const config = await fetchRaw(server.url, "/config.json");
      expect(JSON.parse(config.body.toString())).toEqual({
        authority: "https://login.microsoftonline.com/organizations",
        clientId,
        knownAuthorities: [],
        graphBaseUrl: "https://graph.microsoft.com",
        backendUrl: PUBLIC_ORIGIN,
        apiScope: `api://journaling.contoso.example/${clientId}/access_as_user`,
      });
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it("without a pane build the backend alone answers, and the pane's paths are 404", async () => {
    const server = await serve([], env());
    try {
      expect((await fetchRaw(server.url, "/")).status).toBe(404);
      expect((await fetchRaw(server.url, "/config.json")).status).toBe(404);
      expect((await fetchRaw(server.url, "/api/me")).status).toBe(401);
    } finally {
      await server.stop();
    }
  });

  it("configuration errors stop it with exit code 2 and name the variable", async () => {
    const missing = await serveFails(["--pane-dist", join(workDir, "no-such-build")], env());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /paneDist \(JA_PANE_DIST \/ --pane-dist\): .*index\.html does not exist: run `npm run build`/,
    );

    const { JA_PANE_ORIGIN: _origin, ...noOrigin } = env({ JA_PANE_DIST: paneDist });
    const noPublicOrigin = await serveFails([], noOrigin);
    expect(noPublicOrigin.code).toBe(2);
    expect(noPublicOrigin.stderr).toContain("paneOrigin (JA_PANE_ORIGIN): is required when the pane is served");

    const badClient = await serveFails([], env({ JA_PANE_DIST: paneDist, JA_PANE_CLIENT_ID: "the-pane" }));
    expect(badClient.code).toBe(2);
    expect(badClient.stderr).toContain("paneClientId (JA_PANE_CLIENT_ID)");

    // Whom it serves is stated, never implied: a tenant allow-list, or --any-tenant on purpose.
    const { JA_ANY_TENANT: _any, ...unscoped } = env();
    const nobody = await serveFails([], unscoped);
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toContain(
      "allowedTenants (JA_ALLOWED_TENANTS): is required: list the tenant ids this backend serves, or set anyTenant (JA_ANY_TENANT=true, serve --any-tenant) to serve any organisation",
    );
    const personal = await serveFails([], { ...unscoped, JA_ALLOWED_TENANTS: "9188040D-6C67-4C5B-B112-36A304B66DAD" });
    expect(personal.code).toBe(2);
    expect(personal.stderr).toContain("the Microsoft personal-accounts tenant");
    const badCertificate = await serveFails([], env({ JA_CLIENT_CERTIFICATE: join(workDir, "no-such.pem") }));
    expect(badCertificate.code).toBe(2);
    expect(badCertificate.stderr).toContain(
      "clientCertificate (JA_CLIENT_CERTIFICATE): cannot read JA_CLIENT_CERTIFICATE",
    );
    const flag = await serve(["--any-tenant"], unscoped);
    expect((await fetchRaw(flag.url, "/api/me")).status).toBe(401);
    await flag.stop();
  });
});
