import type { ServerResponse } from "node:http";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import { planSetup } from "../../core";
import {
  connectorValidateRequestSchema,
  planRequestSchema,
  progressRequestSchema,
  runRequestSchema,
  undoRunRequestSchema,
} from "../../core/contract/requests";
import type { AppliedSetupResponse } from "../../core/contract/runs";
import { formatPath } from "../../core/errors";
import type { AccessService } from "../auth/access";
import { presentMe } from "../auth/me";
import type { ConnectorValidator } from "../connector/validation";
import { ApiError, invalidRequest, notFound } from "../errors";
import type { EventBus } from "../executor/eventBus";
import { invalidDesired, type Executor } from "../executor/executor";
import { presentRun } from "../executor/present";
import type { StatusService } from "../status/status";
import type { EventRecord, RunRecord, Store, TenantStore } from "../store/tenantStore";
import { desiredGroupAddresses } from "../tenant/observe";
import type { GraphRelay } from "../tenant/graphRelay";
import { presentPlan, presentTenantState, presentUndoPlan } from "../tenant/present";
import { describeProgressChange } from "../tenant/progressChange";
import type { TenantDirectoryInfo } from "../tenant/tenantInfo";
import { registerMonitorRoutes, type MonitorRouteDeps } from "./monitorRoutes";
import { registerMailflowRoutes, type MailflowRouteDeps } from "./mailflowRoutes";
import { unsupportedMediaType } from "./errors";
import { redactAudit, redactRun, seesParameters } from "./redact";
import type { StreamLimits } from "./streamLimits";
import { logOf, logRequest, methodNotAllowed, principalOf, type Access } from "./pipeline";

/** The HTTP API (see the contract in src/core/contract): handlers only translate; the services do the work. */
export interface RouteDeps {
  readonly store: Store;
  readonly executor: Executor;
  readonly events: EventBus;
  readonly status: StatusService;
  readonly validator: ConnectorValidator;
  readonly tenantInfo: TenantDirectoryInfo;
  /** The pane's directory reads on behalf of the user (Teams SSO has no Graph token of its own). */
  readonly graphRelay: GraphRelay;
  /** Open event streams, closed on shutdown. */
  readonly streams: Set<ServerResponse>;
  /** Caps on open event streams per user, per tenant and in all, and their lifetime. */
  readonly streamLimits: StreamLimits;
  /** What the caller may do (Entra roles, else Exchange's verdict), for /me. */
  readonly access: AccessService;
  /** Issue 14: status snapshot, monitor settings, alerts (./monitorRoutes). */
  readonly monitor?: MonitorRouteDeps;
  /** Issue 15: "was this message journaled?" and the mail-flow test (./mailflowRoutes). */
  readonly mailflow?: MailflowRouteDeps;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ById {
  Params: { id: string };
}

/**
 * Registers the API's routes on the pipeline's scope (prefix /api), each with the access it
 * needs, and 405 with Allow for the other methods on their paths.
 */
export function registerRoutes(api: FastifyInstance, deps: RouteDeps): void {
  const tenantOf = (request: FastifyRequest): TenantStore => deps.store.forTenant(principalOf(request).tenantId);
  const methods = new Map<string, string[]>();
  const needs = (access: Access) => ({ config: { access } });
  // Routes that read the tenant's Exchange on the caller's behalf: they queue on its per-tenant limit.
  const readsExchange = (access: Access) => ({ config: { access, exchange: true } });
  api.addHook("onRoute", (r) => {
    if (r.config?.access === undefined) return;
    const list = methods.get(r.routePath) ?? [];
    list.push(...[r.method].flat());
    methods.set(r.routePath, list);
  });

  api.get("/me", needs("user"), async (request) => {
    const principal = principalOf(request);
    const [name, access] = await Promise.all([
      deps.tenantInfo.displayName(principal),
      // Exchange's verdict when no Entra role decides; if Exchange can't be asked right now, say
      // "Exchange decides" (it still checks every step) rather than fail the whole pane.
      deps.access.decide(principal, true).catch((err: unknown) => {
        logOf(request).warn("exchange verdict unavailable", {
          error: err instanceof Error ? err.message : String(err),
        });
        return deps.access.decide(principal, false);
      }),
    ]);
    return presentMe(principal, name, access);
  });

  api.get("/tenant/state", readsExchange("read"), async (request) => {
    const tenant = tenantOf(request);
    const draft = (await tenant.getProgress()).draft;
    const groups = [
      ...desiredGroupAddresses(draft),
      ...desiredGroupAddresses((await tenant.lastSucceededRun())?.desired),
    ];
    return presentTenantState(await deps.status.readTenant(principalOf(request), groups));
  });

  api.post("/plan", readsExchange("read"), async (request) => {
    const { desired } = bodyOf(request, planRequestSchema);
    const read = await deps.status.readTenant(principalOf(request), desiredGroupAddresses(desired));
    const result = planSetup(desired, read.observed);
    if (!result.ok) throw invalidDesired(result.errors);
    return presentPlan(result, read.readAt);
  });

  api.post("/runs", readsExchange("change"), async (request, reply) => {
    const started = isUndoRequest(request.body)
      ? await startUndo(request)
      : await (async () => {
          const body = bodyOf(request, runRequestSchema);
          return deps.executor.start(principalOf(request), body.desired, body.planHash);
        })();
    return reply.code(202).header("location", `/api/runs/${started.runId}`).send(started);
  });

  api.get("/runs/active", needs("user"), async (request) => {
    const tenant = tenantOf(request);
    const run = await tenant.activeRun();
    if (!run) throw new ApiError(404, "no_active_run", "No run is in progress for this tenant.");
    const shown = await presentRun(tenant, run);
    return (await mayReadParameters(request)) ? shown : redactRun(shown);
  });

  api.get<ById>("/runs/:id", needs("user"), async (request) => {
    const tenant = tenantOf(request);
    const run = GUID.test(request.params.id) ? await tenant.getRun(request.params.id) : undefined;
    if (!run) throw notFound("The run");
    const shown = await presentRun(tenant, run);
    return (await mayReadParameters(request)) ? shown : redactRun(shown);
  });

  // Undo: the plan that restores what a finished run changed, for review (POST /api/runs {undoOf} applies it).
  api.get<ById>("/runs/:id/undo", readsExchange("read"), async (request) => {
    if (!GUID.test(request.params.id) || !(await tenantOf(request).getRun(request.params.id)))
      throw notFound("The run");
    return presentUndoPlan(
      await deps.executor.undoPlan(principalOf(request), request.params.id),
      new Date().toISOString(),
    );
  });

  api.get<ById>("/runs/:id/events", needs("user"), async (request, reply) => {
    const tenant = tenantOf(request);
    const run = GUID.test(request.params.id) ? await tenant.getRun(request.params.id) : undefined;
    if (!run) throw notFound("The run");
    await streamEvents(request, reply, deps, tenant, run);
  });

  api.post("/connector/validate", needs("change"), async (request, reply) => {
    const body = bodyOf(request, connectorValidateRequestSchema);
    const started = await deps.validator.start(principalOf(request), body?.host);
    return reply
      .code(202)
      .header("location", `/api/connector/validations/${started.validationId}`)
      .send({ validationId: started.validationId });
  });

  api.get<ById>("/connector/validations/:id", needs("user"), async (request) => {
    const v = GUID.test(request.params.id) ? await tenantOf(request).getValidation(request.params.id) : undefined;
    if (!v) throw notFound("The validation");
    return v;
  });

  for (const collection of ["users", "groups"] as const) {
    api.get(`/graph/v1.0/${collection}`, needs("user"), async (request, reply) => {
      const answer = await deps.graphRelay.get(principalOf(request), collection, searchParamsOf(request));
      if (answer.retryAfter) reply.header("retry-after", answer.retryAfter);
      return reply.code(answer.status).send(answer.body);
    });
  }

  api.get("/setup/applied", needs("read"), async (request): Promise<AppliedSetupResponse> => {
    const run = await tenantOf(request).lastSucceededRun();
    return run
      ? { desired: run.desired, runId: run.id, appliedAt: run.finishedAt, appliedBy: run.startedBy }
      : { desired: null, runId: null, appliedAt: null, appliedBy: null };
  });

  api.get("/status", readsExchange("read"), async (request) => {
    const status = await deps.status.status(principalOf(request));
    // Every live status is kept as the tenant's snapshot (GET /api/status/snapshot shows it at once).
    await deps.monitor?.service.saveSnapshot(principalOf(request).tenantId, status, "pane");
    return status;
  });

  api.get("/progress", needs("user"), (request) => tenantOf(request).getProgress());

  api.put("/progress", needs("change"), async (request) => {
    const body = bodyOf(request, progressRequestSchema);
    const tenant = tenantOf(request);
    const before = await tenant.getProgress();
    const draft = body.draft === undefined ? before.draft : body.draft;
    const saved = await tenant.putProgress(body.version, {
      draft,
      steps: body.steps,
      by: principalOf(request).upn,
      at: new Date().toISOString(),
      what: describeProgressChange(before.draft, draft, before.steps, body.steps),
    });
    if (!saved) {
      const current = await tenant.getProgress();
      throw new ApiError(
        409,
        "version_conflict",
        `${current.updatedBy ?? "Someone"} changed the progress in the meantime; reload it and try again.`,
        { current },
      );
    }
    return saved;
  });

  api.get("/audit", needs("user"), async (request) => {
    const query = searchParamsOf(request);
    const limit = Math.min(1000, Math.max(1, Number(query.get("limit") ?? "500") || 500));
    const runId = query.get("runId") ?? undefined;
    const entries = await tenantOf(request).audit(limit, runId);
    return { entries: (await mayReadParameters(request)) ? entries : redactAudit(entries) };
  });

  if (deps.monitor) registerMonitorRoutes(api, { ...deps.monitor, directory: deps.graphRelay });
  if (deps.mailflow) registerMailflowRoutes(api, deps.mailflow, needs);

  for (const [path, allowed] of methods) methodNotAllowed(api, path, allowed);

  /** Readers and admins see cmdlet parameters; Exchange's verdict (cached 5 minutes) decides for the others. */
  async function mayReadParameters(request: FastifyRequest): Promise<boolean> {
    const principal = principalOf(request);
    // Fails closed: when Exchange can't be asked, a caller without an Entra role sees the redacted view.
    const access = await deps.access.decide(principal, true).catch(() => null);
    return access !== null && seesParameters(access);
  }

  async function startUndo(request: FastifyRequest): Promise<{ runId: string }> {
    const body = bodyOf(request, undoRunRequestSchema);
    if (!(await tenantOf(request).getRun(body.undoOf))) throw notFound("The run");
    return deps.executor.startUndo(principalOf(request), body.undoOf, body.planHash);
  }
}

/** A POST /api/runs body that asks for an undo (it names `undoOf`). */
function isUndoRequest(body: unknown): boolean {
  return typeof body === "object" && body !== null && "undoOf" in body;
}

/** The query string as sent (repeated keys and all), as the services take it. */
function searchParamsOf(request: FastifyRequest): URLSearchParams {
  const query = request.url.indexOf("?");
  return new URLSearchParams(query === -1 ? "" : request.url.slice(query + 1));
}

/**
 * The JSON body (Fastify has parsed it: 413 over the limit, 400 when malformed, 415 for another
 * type), validated against the route's schema: 400 invalid_request with field errors otherwise.
 * A request without a body must still say it is JSON (415), as one with a body must.
 */
function bodyOf<S extends z.ZodType>(request: FastifyRequest, schema: S): z.output<S> {
  if (!/^application\/json\b/i.test(request.headers["content-type"] ?? "")) throw unsupportedMediaType();
  const parsed = schema.safeParse(request.body);
  if (!parsed.success) {
    throw invalidRequest(parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
  }
  return parsed.data;
}

/** Server-sent events: replays what happened so far (after Last-Event-ID), then streams live until the run finishes. */
async function streamEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: RouteDeps,
  tenant: TenantStore,
  run: RunRecord,
): Promise<void> {
  const principal = principalOf(request);
  // Over a cap: 429 before anything is written (the client retries after Retry-After).
  const release = deps.streamLimits.acquire(principal.tenantId, principal.oid);
  const lastId = Number(request.headers["last-event-id"] ?? "0");
  let lastSent = Number.isInteger(lastId) && lastId > 0 ? lastId : 0;
  const buffered: EventRecord[] = [];
  let replaying = true;
  let closed = false;
  // The response is written here, unbuffered; Fastify leaves it alone from now on.
  reply.hijack();
  const res = reply.raw;
  const write = (e: EventRecord): void => {
    if (closed || e.seq <= lastSent) return;
    lastSent = e.seq;
    res.write(`id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);
    if (e.type === "run-finished") close();
  };
  // Events are numbered as they are stored, but parallel steps (and other instances' relays) may hand
  // them over out of order: after a gap, read what is missing from the store, in order, first.
  let catchingUp: Promise<void> = Promise.resolve();
  const deliver = (e: EventRecord): void => {
    if (closed || e.seq <= lastSent) return;
    if (e.seq === lastSent + 1) return write(e);
    catchingUp = catchingUp
      .then(async () => {
        if (closed || e.seq <= lastSent) return;
        for (const missing of await tenant.events(run.id, lastSent)) write(missing);
      })
      .catch(() => close());
  };
  const unsubscribe = deps.events.subscribe(tenant.tenantId, run.id, (e) =>
    replaying ? buffered.push(e) : deliver(e),
  );
  const heartbeat = setInterval(() => {
    // A run that no longer executes anywhere (its process died mid-run: no instance holds its lease)
    // sends nothing more: close, and the client's reconnect finds it resumed or finished.
    deps.executor
      .isExecutingAnywhere(tenant.tenantId, run.id)
      .then((live) => (live ? res.write(": keep-alive\n\n") : close()))
      .catch(() => close());
  }, 15_000);
  heartbeat.unref();
  // Streams do not live for ever: the client resumes with Last-Event-ID and misses nothing.
  const lifetime = setTimeout(() => close(), deps.streamLimits.settings.maxSeconds * 1000);
  lifetime.unref();
  const close = (): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(heartbeat);
    clearTimeout(lifetime);
    release();
    deps.streams.delete(res);
    res.end();
  };
  // The pipeline's headers (request id, security, CORS) with the stream's own.
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) res.setHeader(name, value);
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    "x-accel-buffering": "no",
    connection: "keep-alive",
  });
  logRequest(request, 200);
  deps.streams.add(res);
  // The client went away (a closed tab), or the stream ended.
  res.on("close", close);
  try {
    for (const e of await tenant.events(run.id, lastSent)) write(e);
    replaying = false;
    for (const e of buffered) deliver(e);
    // A finished run whose run-finished event was already sent (or lost) closes at once.
    if (!closed && (await tenant.getRun(run.id))?.state !== "running" && !deps.executor.isExecuting(run.id)) close();
  } catch (err) {
    // The headers are out: the client's reconnect (Last-Event-ID) picks up where this stopped.
    logOf(request).error("event stream replay failed", {
      runId: run.id,
      error: err instanceof Error ? err.message : String(err),
    });
    close();
  }
}
