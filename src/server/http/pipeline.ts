import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { canChange, canRead, type Principal } from "../auth/principal";
import { CHANGE_ROLE_NAMES, READ_ROLES, REQUIRED_ROLES_TEXT } from "../auth/roles";
import { bearerToken, TokenRejected, unauthorized, type TokenValidator } from "../auth/tokens";
import { OboError } from "../auth/obo";
import { ApiError } from "../errors";
import { ExchangeError } from "../exchange/errors";
import { ObservedStateError } from "../tenant/observe";
import type { Logger } from "../log";
import { UpstreamTimer, withUpstreamTimer } from "../net/upstreamTiming";
import { readJsonBody } from "./body";
import type { Access, Reply, Router } from "./router";

/**
 * Every request goes through here: request id, security headers, CORS for the pane's origin
 * only, bearer-token validation, role check, the route, JSON errors without internals, and one
 * structured log line (never with headers or bodies, so never with tokens).
 */
export interface PipelineDeps {
  readonly router: Router;
  readonly validator: TokenValidator;
  readonly log: Logger;
  readonly paneOrigin: string | null;
  readonly maxBodyBytes: number;
  readonly https: boolean;
  /** Called for every authenticated caller (resumes an interrupted run of their tenant). */
  readonly onAuthenticated?: (principal: Principal) => void;
  /** False while shutting down: new requests get 503. */
  readonly accepting: () => boolean;
}

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "cross-origin-resource-policy": "same-site",
  "cache-control": "no-store",
};

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function createPipeline(deps: PipelineDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const timer = new UpstreamTimer();
    void withUpstreamTimer(timer, () => handle(deps, req, res, timer));
  };
}

async function handle(
  deps: PipelineDeps,
  req: IncomingMessage,
  res: ServerResponse,
  timer: UpstreamTimer,
): Promise<void> {
  const started = performance.now();
  const incomingId = req.headers["x-request-id"];
  const requestId = typeof incomingId === "string" && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
  const url = new URL(req.url ?? "/", "http://backend.invalid");
  const method = (req.method ?? "GET").toUpperCase();
  let log = deps.log.child({ requestId });
  let status = 500;
  const headers: Record<string, string> = { ...SECURITY_HEADERS, "x-request-id": requestId };
  if (deps.https) headers["strict-transport-security"] = "max-age=31536000; includeSubDomains";
  const origin = req.headers.origin;
  if (origin !== undefined && deps.paneOrigin !== null && origin === deps.paneOrigin) {
    headers["access-control-allow-origin"] = origin;
    headers["access-control-expose-headers"] = "x-request-id, www-authenticate, retry-after";
    headers.vary = "Origin";
  }
  const send = (reply: Reply): void => {
    status = reply.status;
    const body = reply.body === undefined ? "" : JSON.stringify(reply.body);
    const total = performance.now() - started;
    const up = timer.ms;
    res.writeHead(reply.status, {
      ...headers,
      "server-timing": `upstream;dur=${up.toFixed(1)}, app;dur=${Math.max(0, total - up).toFixed(1)}`,
      ...(reply.body === undefined ? {} : { "content-type": "application/json; charset=utf-8" }),
      ...reply.headers,
    });
    res.end(body);
  };
  try {
    if (!deps.accepting())
      throw new ApiError(503, "shutting_down", "The server is shutting down; try again in a moment.");
    if (method === "OPTIONS") {
      if (headers["access-control-allow-origin"]) {
        headers["access-control-allow-methods"] = "GET, POST, PUT, OPTIONS";
        headers["access-control-allow-headers"] = "authorization, content-type, x-request-id, last-event-id";
        headers["access-control-max-age"] = "600";
      }
      send({ status: 204 });
      return;
    }
    if (!url.pathname.startsWith("/api/")) throw new ApiError(404, "not_found", "There is nothing here.");
    const match = deps.router.match(method, url.pathname);
    if ("miss" in match) {
      if (match.miss === "method_not_allowed") {
        throw new ApiError(
          405,
          "method_not_allowed",
          `Use ${match.allow.join(" or ")} here.`,
          {},
          { allow: match.allow.join(", ") },
        );
      }
      throw new ApiError(404, "not_found", "There is no such API route.");
    }
    const principal = await authenticate(deps.validator, req.headers.authorization, log);
    log = log.child({ tenantId: principal.tenantId, oid: principal.oid });
    authorize(principal, match.route.access);
    deps.onAuthenticated?.(principal);
    const reply = await match.route.handler({
      req,
      res,
      requestId,
      log,
      url,
      params: match.params,
      principal,
      baseHeaders: headers,
      body: () => readJsonBody(req, deps.maxBodyBytes),
    });
    if (reply) send(reply);
    else status = res.statusCode;
  } catch (err) {
    const apiError = toApiError(err);
    if (!apiError)
      log.error("request failed", { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    if (res.headersSent) {
      res.end();
    } else {
      const e =
        apiError ??
        new ApiError(
          500,
          "internal_error",
          "Something went wrong on the server. Quote the request id when you report it.",
          { requestId },
        );
      // After a refused oversized body the connection is not reused: the rest of the body is discarded.
      send({
        status: e.status,
        body: e.toBody(),
        headers: e.status === 413 ? { ...e.headers, connection: "close" } : e.headers,
      });
    }
  } finally {
    const ms = performance.now() - started;
    const upstreamMs = timer.ms;
    log.info("request", {
      method,
      path: url.pathname,
      status,
      ms: Math.round(ms * 10) / 10,
      upstreamMs: Math.round(upstreamMs * 10) / 10,
    });
  }
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

function authorize(principal: Principal, access: Access): void {
  if (access === "change" && !canChange(principal)) {
    throw new ApiError(
      403,
      "forbidden_role",
      `This change needs ${REQUIRED_ROLES_TEXT}. Ask someone with one of these roles.`,
      { requiredRoles: CHANGE_ROLE_NAMES },
    );
  }
  if (access === "read" && !canRead(principal)) {
    throw new ApiError(
      403,
      "forbidden_role",
      `Reading the tenant's Exchange settings needs ${READ_ROLES.map((r) => r.name).join(", ")}; you can see the shared progress.`,
      { requiredRoles: READ_ROLES.map((r) => r.name) },
    );
  }
}

/** Errors from the layers below, in words the pane can show; anything else is an internal error. */
function toApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof ExchangeError) {
    if (err.code === "access_denied") {
      return new ApiError(403, "exchange_access_denied", `Exchange refused: ${err.message}`);
    }
    if (err.code === "throttled") {
      const seconds = Math.ceil((err.details.retryAfterMs ?? 30_000) / 1000);
      return new ApiError(
        503,
        "exchange_throttled",
        "Exchange is throttling this tenant; try again shortly.",
        {},
        { "retry-after": String(seconds) },
      );
    }
    return new ApiError(502, `exchange_${err.code}`, `Exchange answered with an error: ${err.message}`);
  }
  if (err instanceof OboError) {
    return err.consentOrInteraction
      ? new ApiError(
          401,
          "interaction_required",
          "Sign in again to let the assistant reach Exchange for you.",
          {},
          {
            "www-authenticate": 'Bearer realm="journaling-assistant", error="insufficient_claims"',
          },
        )
      : new ApiError(
          502,
          "token_exchange_failed",
          "The assistant could not get an Exchange token for you; try again shortly.",
        );
  }
  if (err instanceof ObservedStateError) return new ApiError(502, err.code, err.message);
  return undefined;
}
