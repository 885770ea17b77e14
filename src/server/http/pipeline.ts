import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import cors from "@fastify/cors";
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { AccessService } from "../auth/access";
import type { Principal } from "../auth/principal";
import { CHANGE_ROLE_NAMES, REQUIRED_ROLES_TEXT, type CallerAccess } from "../../core/contract/roles";
import { bearerToken, TokenRejected, unauthorized, type TokenValidator } from "../auth/tokens";
import { ApiError } from "../errors";
import type { Logger } from "../log";
import { UpstreamTimer, withUpstreamTimer } from "../net/upstreamTiming";
import { toApiError } from "./errors";
import { jsonDepthExceeds, MAX_JSON_DEPTH } from "./jsonDepth";
import { pathOf } from "./urls";

/**
 * What Fastify leaves to us on every API request: the request id, security headers, CORS for the
 * pane's origin only (@fastify/cors), 503 while shutting down, bearer-token validation and the
 * route's role check (its `access` config) before the body is read, JSON errors without
 * internals, Server-Timing, and one structured log line (never with headers or bodies, so never
 * with tokens). Fastify does the routing and the body limits; the handlers run inside the
 * request's upstream timer.
 */
export interface PipelineOptions {
  readonly validator: TokenValidator;
  /** Entra roles (token or Graph) and, without one, Exchange's verdict on the account. */
  readonly access: AccessService;
  readonly log: Logger;
  readonly paneOrigin: string | null;
  readonly maxBodyBytes: number;
  readonly https: boolean;
  /** Requests reading a tenant's Exchange that may be under way at once; beyond: 503 with Retry-After. */
  readonly exchangeQueuePerTenant: number;
  /** Requests per minute one user, and one tenant, may make (429 with Retry-After beyond). */
  readonly rateLimits: { readonly perUser: number; readonly perTenant: number };
  /** Called for every authenticated caller (resumes an interrupted run of their tenant). */
  readonly onAuthenticated?: (principal: Principal) => void;
  /** False while shutting down: new requests get 503. */
  readonly accepting: () => boolean;
}

/**
 * What a route needs from the caller: any signed-in user of the tenant, a reader, or someone who may
 * change things (an Entra admin role, or Exchange's own role groups: see ../auth/access.ts).
 */
export type Access = "user" | "read" | "change";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Who may call the route; a route without it needs no token (404, 405, CORS preflight). */
    access?: Access;
    /** The route reads the tenant's Exchange on the caller's behalf (bounded per tenant). */
    exchange?: boolean;
  }
  interface FastifyRequest {
    /** Set by the pipeline's first hook on every API request; null elsewhere (the pane's files). */
    api: ApiRequestState | null;
  }
}

export interface ApiRequestState {
  readonly started: number;
  /** Time spent waiting on Entra, Exchange and Graph (src/server/net/upstreamTiming.ts). */
  readonly timer: UpstreamTimer;
  log: Logger;
  /** The caller, once the token is validated (routes with `access`). */
  principal: Principal | null;
  logged: boolean;
}

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "cross-origin-resource-policy": "same-site",
  "cache-control": "no-store",
};
const HSTS = "max-age=31536000; includeSubDomains";

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Fastify's genReqId: the caller's x-request-id when it is a sane token, else a fresh UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers["x-request-id"];
  return typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

function stateOf(request: FastifyRequest): ApiRequestState {
  if (!request.api) throw new Error("the API pipeline did not run for this request");
  return request.api;
}

/** The authenticated caller of a route that declares `access`. */
export function principalOf(request: FastifyRequest): Principal {
  const principal = stateOf(request).principal;
  if (!principal) throw new Error("the route declares no access, so nobody was authenticated");
  return principal;
}

/** The request's logger (with its request id, and the caller once known). */
export function logOf(request: FastifyRequest): Logger {
  return stateOf(request).log;
}

/** The one log line of a request; a response the handler writes itself (events) logs when its head is sent. */
export function logRequest(request: FastifyRequest, status: number): void {
  const state = stateOf(request);
  if (state.logged) return;
  state.logged = true;
  state.log.info("request", {
    method: request.method,
    path: pathOf(request.originalUrl),
    status,
    ms: Math.round((performance.now() - state.started) * 10) / 10,
    upstreamMs: Math.round(state.timer.ms * 10) / 10,
  });
}

/**
 * Installs the pipeline on an encapsulated scope: its routes (registered afterwards), its 404
 * handler (answering `notFoundMessage`) and its errors. The backend uses it for /api, and for the
 * rest of the origin when no pane is served there.
 */
export async function usePipeline(
  scope: FastifyInstance,
  options: PipelineOptions,
  notFoundMessage: string,
): Promise<void> {
  scope.decorateRequest("api", null);

  scope.addHook("onRequest", (request, reply, done) => {
    request.api = {
      started: performance.now(),
      timer: new UpstreamTimer(),
      log: options.log.child({ requestId: request.id }),
      principal: null,
      logged: false,
    };
    reply.headers({ ...SECURITY_HEADERS, "x-request-id": request.id });
    if (options.https) reply.header("strict-transport-security", HSTS);
    done();
  });

  // Preflights are answered here, before any token check; other answers get the CORS headers.
  const paneCors = {
    methods: ["GET", "POST", "PUT", "OPTIONS"],
    allowedHeaders: ["authorization", "content-type", "x-request-id", "last-event-id"],
    exposedHeaders: ["x-request-id", "www-authenticate", "retry-after"],
    maxAge: 600,
    strictPreflight: false,
  };
  await scope.register(cors, {
    delegator: (request, callback) => {
      const fromPane = options.paneOrigin !== null && request.headers.origin === options.paneOrigin;
      callback(null, fromPane ? { ...paneCors, origin: options.paneOrigin ?? false } : { origin: false });
    },
  });

  scope.addHook("onRequest", async (request) => {
    if (!options.accepting()) {
      throw new ApiError(503, "shutting_down", "The server is shutting down; try again in a moment.");
    }
    const access = request.routeOptions.config.access;
    if (access === undefined) return;
    const state = stateOf(request);
    const principal = await withUpstreamTimer(state.timer, () =>
      authenticate(options.validator, request.headers.authorization, state.log),
    );
    state.log = state.log.child({ tenantId: principal.tenantId, oid: principal.oid });
    // Roles from Graph when the token has none, then Exchange's verdict where no Entra role decides.
    const caller = await withUpstreamTimer(state.timer, () => options.access.complete(principal));
    if (access !== "user") {
      authorize(await withUpstreamTimer(state.timer, () => options.access.decide(caller, true)), access);
    }
    state.principal = { ...caller, clientAddress: request.ip };
    options.onAuthenticated?.(caller);
  });

  // Per user and per tenant, once the caller is known (@fastify/rate-limit's limiters, in memory): no
  // one caller and no one organisation can spend the server, or its share of Exchange, on the others.
  await scope.register(rateLimit, { global: false });
  const perUser = scope.createRateLimit({
    timeWindow: 60_000,
    max: options.rateLimits.perUser,
    keyGenerator: (request) => `user:${request.api?.principal?.tenantId}/${request.api?.principal?.oid}`,
  });
  const perTenant = scope.createRateLimit({
    timeWindow: 60_000,
    max: options.rateLimits.perTenant,
    keyGenerator: (request) => `tenant:${request.api?.principal?.tenantId}`,
  });
  scope.addHook("preHandler", async (request) => {
    // Routes without a caller (404s, preflights) are not counted.
    if (!request.api?.principal) return;
    for (const [limiter, whose] of [
      [perUser, "from you"],
      [perTenant, "from your organisation"],
    ] as const) {
      const verdict = await limiter(request);
      if (verdict.isAllowed || !verdict.isExceeded) continue;
      throw new ApiError(
        429,
        "too_many_requests",
        `Too many requests ${whose}: at most ${verdict.max} a minute. Try again in ${verdict.ttlInSeconds} s.`,
        {},
        { "retry-after": String(verdict.ttlInSeconds) },
      );
    }
  });

  // A bounded queue per tenant in front of Exchange: past it, callers are told to come back rather
  // than pile up behind the tenant's Exchange limit (and its throttling budget).
  const exchangeQueue = new Map<string, number>();
  const queuedTenant = new WeakMap<FastifyRequest, string>();
  const leaveQueue = (request: FastifyRequest): void => {
    const tenantId = queuedTenant.get(request);
    if (tenantId === undefined) return;
    queuedTenant.delete(request);
    const n = (exchangeQueue.get(tenantId) ?? 1) - 1;
    if (n <= 0) exchangeQueue.delete(tenantId);
    else exchangeQueue.set(tenantId, n);
  };
  scope.addHook("preHandler", (request, _reply, done) => {
    const tenantId = request.api?.principal?.tenantId;
    if (tenantId === undefined || request.routeOptions.config.exchange !== true) return done();
    const n = exchangeQueue.get(tenantId) ?? 0;
    if (n >= options.exchangeQueuePerTenant) {
      return done(
        new ApiError(
          503,
          "exchange_busy",
          `Your organisation already has ${n} requests waiting on Exchange Online; try again in a few seconds.`,
          {},
          { "retry-after": "5" },
        ),
      );
    }
    exchangeQueue.set(tenantId, n + 1);
    queuedTenant.set(request, tenantId);
    done();
  });
  scope.addHook("onResponse", (request, _reply, done) => {
    leaveQueue(request);
    done();
  });
  scope.addHook("onRequestAbort", (request, done) => {
    leaveQueue(request);
    done();
  });

  // Every handler runs inside its request's upstream timer (AsyncLocalStorage), for Server-Timing.
  scope.addHook("onRoute", (route) => {
    const handler = route.handler;
    route.handler = function timed(this: FastifyInstance, request, reply) {
      return withUpstreamTimer(stateOf(request).timer, () => handler.call(this, request, reply));
    };
  });

  // The answer is final here (also when the caller has gone away meanwhile): time it and log it.
  scope.addHook("onSend", (request, reply, payload, done) => {
    const state = stateOf(request);
    const total = performance.now() - state.started;
    const up = state.timer.ms;
    reply.header("server-timing", `upstream;dur=${up.toFixed(1)}, app;dur=${Math.max(0, total - up).toFixed(1)}`);
    logRequest(request, reply.statusCode);
    done(null, payload);
  });

  // JSON only (Fastify's parser, which also refuses __proto__ keys); an empty body is "no body"
  // (POST /api/connector/validate may send none).
  const parseJson = scope.getDefaultJsonParser("error", "error");
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser("application/json", { parseAs: "string" }, (request, raw, done) => {
    const body = String(raw);
    if (body.trim() === "") {
      done(null, undefined);
      return;
    }
    if (jsonDepthExceeds(body)) {
      done(
        new ApiError(400, "invalid_json", `The request body is nested deeper than ${MAX_JSON_DEPTH} levels.`),
        undefined,
      );
      return;
    }
    void parseJson(request, body, (err, value) => {
      if (err) done(new ApiError(400, "invalid_json", "The request body is not valid JSON."), undefined);
      else done(null, value);
    });
  });

  scope.setErrorHandler((err, request, reply) => {
    const apiError = toApiError(err, options.maxBodyBytes);
    if (!apiError) {
      logOf(request).error("request failed", {
        error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      });
    }
    const e =
      apiError ??
      new ApiError(
        500,
        "internal_error",
        "Something went wrong on the server. Quote the request id when you report it.",
        {
          requestId: request.id,
        },
      );
    reply.code(e.status).headers(e.headers);
    // After a refused oversized body the connection is not reused: the rest of the body is never read.
    if (e.status === 413) reply.header("connection", "close");
    return reply.send(e.toBody());
  });

  // Every path of the scope that no route answers is its 404, also when a pane's catch-all route
  // shares the server: these routes are more specific than the pane's "/*".
  const notFound = (): never => {
    throw new ApiError(404, "not_found", notFoundMessage);
  };
  const methods = scope.supportedMethods.filter((m) => m !== "OPTIONS");
  scope.route({ method: methods, url: "/", handler: notFound });
  scope.route({ method: methods, url: "/*", handler: notFound });
  scope.setNotFoundHandler((request, reply) => {
    // OPTIONS anywhere is answered (a preflight from the pane's origin already was, by @fastify/cors).
    if (request.method === "OPTIONS") return reply.code(204).send();
    return reply.code(404).send(new ApiError(404, "not_found", notFoundMessage).toBody());
  });
}

/** 405 with Allow for every other method on a path whose routes are `methods`. */
export function methodNotAllowed(scope: FastifyInstance, path: string, methods: readonly string[]): void {
  const others = scope.supportedMethods.filter((m) => !methods.includes(m) && m !== "OPTIONS");
  const allow = methods.join(", ");
  const message = `Use ${methods.join(" or ")} here.`;
  scope.route({
    method: others,
    url: path,
    handler: () => {
      throw new ApiError(405, "method_not_allowed", message, {}, { allow });
    },
  });
}

async function authenticate(validator: TokenValidator, header: string | undefined, log: Logger): Promise<Principal> {
  const token = bearerToken(header);
  if (token === undefined) throw unauthorized(header !== undefined);
  try {
    return await validator.validate(token);
  } catch (err) {
    if (err instanceof TokenRejected) {
      log.info("token rejected", { reason: err.reason });
      throw unauthorized(true);
    }
    log.warn("token validation unavailable", { error: err instanceof Error ? err.message : String(err) });
    throw new ApiError(503, "auth_unavailable", "Sign-in keys could not be fetched; try again shortly.");
  }
}

/**
 * Readers and admins read; admins and accounts Exchange accepts change (Exchange then checks every
 * cmdlet itself). Readers by Entra role stay read-only; accounts Exchange refused, and callers whose
 * roles could not be read, get the reason.
 */
function authorize(decided: CallerAccess, access: Access): void {
  if (decided.kind === "none" || (decided.kind === "rolesUnknown" && access === "change")) {
    throw new ApiError(403, "forbidden_role", decided.text, { requiredRoles: CHANGE_ROLE_NAMES });
  }
  if (access === "change" && decided.kind === "entraReader") {
    throw new ApiError(
      403,
      "forbidden_role",
      `This change needs ${REQUIRED_ROLES_TEXT}. Ask someone with one of these roles.`,
      { requiredRoles: CHANGE_ROLE_NAMES },
    );
  }
}
