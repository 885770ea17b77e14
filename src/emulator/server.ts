import { createServer, type Server } from "node:https";
import type { TLSSocket } from "node:tls";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { DEFAULT_DATA_DIR, ensureCertificates, ensurePublicHostsCertificate } from "./certs";
import { buildEmulatorConfig, type EmulatorConfig } from "./config";
import type { SeedVariant } from "./directory/seed";
import { APP_REGISTRATIONS, EXCHANGE_APP } from "./directory/apps";
import { GrantStore } from "./entra/grants";
import { ensureAppCertificates } from "./entra/appCertificates";
import { ensureSigningKey } from "./entra/keys";
import { addEntraRoutes, isEntraCorsPath } from "./entra/routes";
import { audiencesOf, bearerToken, TokenService } from "./entra/tokens";
import { ageMailFlow, handleExchangeRequest, journalQueue } from "./exchange";
import { getExchangeSettings, updateExchangeSettings } from "./exchange/settings";
import { addMailRoutes } from "./graph/mail";
import { addMessageTraceRoutes } from "./graph/messageTraces";
import { addGraphRoutes, isGraphPath } from "./graph/routes";
import { addRoleAssignmentRoutes } from "./graph/roleAssignments";
import { addTeamworkRoutes } from "./graph/teamwork";
import { addTeamsAdminRoutes, applyTeamsSeeds, type TeamsSeed } from "./teams/admin";
import { json, Router } from "./http/router";
import type { EmulatorRequest, EmulatorResponse } from "./http/types";
import { newGuid } from "./ids";
import { addMailboxAdminRoutes } from "./mailboxAdmin";
import {
  ALL_PUBLIC_HOSTS,
  askedService,
  PUBLIC_V2_ISSUER_BASE,
  resolveEmulatorPort,
  type PublicService,
} from "./publicHosts";
import { StateStore } from "./state";

/**
 * The emulator: one HTTPS origin serving Entra ID v2, Microsoft Graph v1.0 (subset) and the
 * Exchange Online admin API, plus `/_emulator/...` admin endpoints for tests and demos.
 */

export interface EmulatorOptions {
  /** 0 = a random free port (tests). Default 4443. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1; the origin always says `localhost`. */
  host?: string;
  /** Where certificates and the signing key live. Default `.data/emulator` under the cwd. */
  dataDir?: string;
  /** Load and save the whole state here (JSON). Without it the state lives in memory only. */
  stateFile?: string;
  /** "realistic" (default) delays responses as the services do; "none" for tests. */
  latency?: "realistic" | "none";
  seed?: SeedVariant;
  /** Clock for token lifetimes and code expiry (tests move it forward). Default Date.now. */
  now?: () => number;
  /** Largest accepted request body in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * Answer as Microsoft's own hosts (login.microsoftonline.com, graph.microsoft.com,
   * outlook.office365.com and their aliases; see publicHosts.ts): a certificate with those names,
   * port 443 unless `port` says otherwise, the Host header picks the service, links and v2 issuers
   * name the public hosts. Default false: everything on https://localhost:<port>.
   */
  publicHosts?: boolean;
  /** Teams apps to upload and install (and teams to make) at start and after every reset (teams/admin.ts). */
  teams?: readonly TeamsSeed[];
}

export interface RunningEmulator {
  /** The local origin, https://localhost:<port> (in public-hosts mode too: `/_emulator/` lives there). */
  origin: string;
  /** Whether it answers as Microsoft's hosts (then `config.endpoints` name them). */
  publicHosts: boolean;
  caPath: string;
  caPem: string;
  config: EmulatorConfig;
  state: StateStore;
  tokens: TokenService;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 4443;
const DEFAULT_MAX_BODY = 1024 * 1024;

class BodyTooLarge extends Error {}

/** Reads the body; past the limit it drains the rest (so the client sees the 413) and rejects. */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = Number(req.headers["content-length"] ?? "0") > limit ? limit + 1 : 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on("end", () =>
      size > limit ? reject(new BodyTooLarge()) : resolveBody(Buffer.concat(chunks).toString("utf8")),
    );
    req.on("error", reject);
  });
}

function corsHeaders(req: IncomingMessage): Record<string, string> {
  return {
    "access-control-allow-origin": req.headers.origin ?? "*",
    "access-control-allow-credentials": "true",
    "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
    "access-control-allow-headers":
      req.headers["access-control-request-headers"] ??
      "authorization, content-type, consistencylevel, client-request-id",
    "access-control-expose-headers":
      "request-id, client-request-id, x-ms-request-id, www-authenticate, retry-after, location",
    "access-control-max-age": "86400",
    vary: "Origin",
  };
}

/**
 * Simulated latency. Unref'd: while the emulator listens its server keeps the process alive; once it is
 * closed, a request still "waiting on Exchange" must not hold the process (or a jest worker) open.
 */
function delay(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((r) => setTimeout(r, ms).unref());
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

function parseJsonBody(raw: string): unknown {
  if (raw.trim() === "") return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const certs = ensureCertificates(dataDir);
  const signingKey = ensureSigningKey(dataDir);
  // The app registrations' certificate credentials (keyCredentials), for client assertions.
  const appCertificates = ensureAppCertificates(dataDir, APP_REGISTRATIONS);
  const latency = options.latency ?? "realistic";
  const seed = options.seed ?? "default";
  const now = options.now ?? ((): number => Date.now());
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const state = new StateStore({
    seed,
    latency,
    ...(options.stateFile === undefined ? {} : { stateFile: resolve(options.stateFile) }),
  });
  const grants = new GrantStore();
  const applyLatency = (): void => {
    if (options.latency === undefined) return;
    for (const t of state.tenants) updateExchangeSettings(t.exchange, { latency: options.latency });
  };
  // An explicit latency wins over what a loaded state file says.
  if (options.latency !== undefined) applyLatency();
  const seedTeams = (): void => applyTeamsSeeds(state, options.teams ?? []);
  seedTeams();

  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503).end();
  };
  const publicHosts = options.publicHosts === true;
  const tls = publicHosts
    ? ensurePublicHostsCertificate(dataDir, ALL_PUBLIC_HOSTS)
    : { keyPem: certs.serverKeyPem, certPem: certs.serverCertPem };
  const server: Server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => handler(req, res));
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(resolveEmulatorPort(options, DEFAULT_PORT), options.host ?? "127.0.0.1", () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  // URL's own form: no ":443" (the default port) in links.
  const origin = new URL(`https://localhost:${port}`).origin;
  // v2 issuers name the login host: Microsoft's in public-hosts mode, the local origin otherwise.
  const tokens = new TokenService({ key: signingKey, origin: publicHosts ? PUBLIC_V2_ISSUER_BASE : origin, now });
  const config = (): EmulatorConfig =>
    buildEmulatorConfig(origin, certs.caPath, state.tenants, appCertificates, publicHosts ? { port } : undefined);

  const router = new Router();
  addEntraRoutes(router, { state, grants, tokens, now, certificates: appCertificates });
  // Before the Graph routes: their catch-all answers every other /v1.0 segment.
  addMessageTraceRoutes(router, { state, tokens, now });
  addMailRoutes(router, { state, tokens, now });
  addTeamworkRoutes(router, { state, tokens, now });
  addRoleAssignmentRoutes(router, { state, tokens, now });
  addGraphRoutes(router, { state, tokens, now });
  // After a reset the Teams seeds are applied again (the reset calls applyLatency last).
  addAdminRoutes(router, { state, grants, config, seed, applyLatency: () => (applyLatency(), seedTeams()), now });
  addTeamsAdminRoutes(router, state);
  addMailboxAdminRoutes(router, { state, now });

  const exchange = async (req: EmulatorRequest): Promise<EmulatorResponse> => {
    const result = await handleExchangeRequest(
      {
        method: req.method,
        path: req.path,
        query: req.query,
        headers: flattenHeaders(req.headers),
        body: parseJsonBody(req.rawBody),
      },
      {
        getTenant: (idOrName: string) => state.getTenant(idOrName),
        verifyToken: (authHeader: string | undefined) => {
          const result = tokens.verifyAccessToken(bearerToken(authHeader), { audience: audiencesOf(EXCHANGE_APP) });
          return Promise.resolve(
            result.ok
              ? { ok: true as const, claims: result.claims as unknown as Record<string, unknown> }
              : { ok: false as const, reason: result.message },
          );
        },
        now: () => new Date(now()),
        sleep: delay,
      },
    );
    state.changed();
    return result;
  };

  const dispatch = async (req: EmulatorRequest, service: PublicService | "local"): Promise<EmulatorResponse> => {
    const served = answers(service, req.path);
    if (served && /^\/adminapi(\/|$)/i.test(req.path)) return exchange(req);
    const match = served ? router.match(req.method, req.path) : ({ miss: "not_found" } as const);
    if ("miss" in match) {
      return json(match.miss === "not_found" ? 404 : 405, {
        error: {
          code: match.miss === "not_found" ? "NotFound" : "MethodNotAllowed",
          message: `No ${req.method} ${req.path} on this emulator.`,
        },
      });
    }
    const isAdmin = req.path.startsWith("/_emulator/");
    if (latency === "realistic" && !isAdmin) await delay(20 + Math.floor(Math.random() * 130));
    return match.handler({ ...req, params: match.params });
  };

  handler = (req, res) => {
    void (async (): Promise<void> => {
      // Public-hosts mode: the asked host picks the service and the origin links name.
      const asked = askedService(
        publicHosts,
        origin,
        req.headers.host,
        (req.socket as TLSSocket).servername || undefined,
      );
      const url = new URL(req.url ?? "/", asked.origin);
      const cors = isEntraCorsPath(url.pathname) || isGraphPath(url.pathname) ? corsHeaders(req) : {};
      let response: EmulatorResponse;
      try {
        if (req.method === "OPTIONS" && Object.keys(cors).length > 0) {
          response = { status: 204, headers: {}, body: "" };
        } else {
          const rawBody = await readBody(req, maxBody);
          response = await dispatch(
            {
              method: (req.method ?? "GET").toUpperCase(),
              path: url.pathname,
              query: url.searchParams,
              headers: req.headers,
              rawBody,
              params: {},
              origin: asked.origin,
            },
            asked.service,
          );
        }
      } catch (e) {
        response =
          e instanceof BodyTooLarge
            ? json(
                413,
                {
                  error: {
                    code: "RequestEntityTooLarge",
                    message: `The request body is larger than ${maxBody} bytes.`,
                  },
                },
                { connection: "close" },
              )
            : json(500, {
                error: {
                  code: "InternalServerError",
                  message: e instanceof Error ? e.message : String(e),
                  requestId: newGuid(),
                },
              });
      }
      if (res.headersSent) return;
      res.writeHead(response.status, { ...cors, ...response.headers });
      res.end(req.method === "HEAD" ? undefined : response.body);
    })();
  };

  return {
    origin,
    publicHosts,
    caPath: certs.caPath,
    caPem: certs.caPem,
    get config(): EmulatorConfig {
      return config();
    },
    state,
    tokens,
    close: async (): Promise<void> => {
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      await state.flush();
    },
  };
}

/** Whether the service a host stands for has this path (a login host has no Graph, no admin API, no /_emulator/). */
function answers(service: PublicService | "local", path: string): boolean {
  const exchangePath = /^\/adminapi(\/|$)/i.test(path);
  switch (service) {
    case "local":
      return true;
    case "exchange":
      return exchangePath;
    case "graph":
      return isGraphPath(path);
    case "login":
      return !exchangePath && !isGraphPath(path) && !path.startsWith("/_emulator/");
  }
}

interface AdminContext {
  state: StateStore;
  grants: GrantStore;
  config: () => EmulatorConfig;
  seed: SeedVariant;
  applyLatency: () => void;
  now: () => number;
}

/** The journal queue as /_emulator/ shows it: what waits, which addresses fail, which rules the service disabled and why. */
function mailFlowView(tenant: NonNullable<ReturnType<StateStore["getTenant"]>>): Record<string, unknown> {
  const q = journalQueue(tenant);
  return {
    queued: q.queue.map((r) => ({ ...r })),
    undeliverable: { ...q.undeliverable },
    autoDisabledRules: q.autoDisabled.map((d) => ({ ...d })),
  };
}

/** `/_emulator/...`: configuration, reset and per-tenant Exchange settings for tests and demos. */
function addAdminRoutes(router: Router, ctx: AdminContext): void {
  const tenantOr404 = (req: EmulatorRequest): ReturnType<StateStore["getTenant"]> | EmulatorResponse => {
    const tenant = ctx.state.getTenant(req.params.tenant ?? "");
    return (
      tenant ??
      json(404, { code: "unknown_tenant", message: `No tenant '${req.params.tenant ?? ""}' in this emulator.` })
    );
  };
  router
    .add("GET", "/_emulator/config", () => json(200, ctx.config()))
    .add("GET", "/_emulator/state", () => json(200, ctx.state.data))
    .add("POST", "/_emulator/reset", (req) => {
      const body = parseJsonBody(req.rawBody) as { seed?: unknown } | undefined;
      const seed = body?.seed === "gateway" || body?.seed === "default" ? body.seed : ctx.seed;
      ctx.state.reset(seed);
      ctx.grants.clear();
      ctx.applyLatency();
      return json(200, { reset: true, seed });
    })
    .add("GET", "/_emulator/tenants/:tenant/exchange/settings", (req) => {
      const tenant = tenantOr404(req);
      if (tenant === undefined || "status" in tenant) return tenant as EmulatorResponse;
      return json(200, getExchangeSettings(tenant.exchange));
    })
    .add("PUT", "/_emulator/tenants/:tenant/exchange/settings", (req) => {
      const tenant = tenantOr404(req);
      if (tenant === undefined || "status" in tenant) return tenant as EmulatorResponse;
      const patch = parseJsonBody(req.rawBody);
      const result = updateExchangeSettings(tenant.exchange, patch);
      if (!result.ok) return json(400, { code: result.code, errors: result.errors });
      ctx.state.changed();
      return json(200, result.settings);
    })
    .add("GET", "/_emulator/tenants/:tenant/exchange/mailflow", (req) => {
      const tenant = tenantOr404(req);
      if (tenant === undefined || "status" in tenant) return tenant as EmulatorResponse;
      return json(200, mailFlowView(tenant));
    })
    // Time compression: the tenant's mail flow lives through `hours` at once (retries, expiry after a
    // day, the service disabling a journal rule two days after contact) without moving any clock.
    .add("POST", "/_emulator/tenants/:tenant/exchange/mailflow/advance", (req) => {
      const tenant = tenantOr404(req);
      if (tenant === undefined || "status" in tenant) return tenant as EmulatorResponse;
      const body = parseJsonBody(req.rawBody) as { hours?: unknown } | undefined;
      const hours = body?.hours;
      if (typeof hours !== "number" || !Number.isFinite(hours) || hours <= 0 || hours > 90 * 24) {
        return json(400, {
          code: "invalid_request",
          errors: [{ path: "hours", message: "expected a number of hours, more than 0 and at most 2160 (90 days)" }],
        });
      }
      const summary = ageMailFlow(tenant, Math.round(hours * 3_600_000), new Date(ctx.now()));
      ctx.state.changed();
      return json(200, { summary, ...mailFlowView(tenant) });
    });
}
