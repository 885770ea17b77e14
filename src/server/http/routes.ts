import type { ServerResponse } from "node:http";
import { z } from "zod";
import { planHash, planSetup, renderScript } from "../../core";
import { canChange } from "../auth/principal";
import { CHANGE_ROLE_NAMES, roleNames } from "../auth/roles";
import type { ConnectorValidator } from "../connector/validation";
import { ApiError, notFound } from "../errors";
import { invalidDesired, type Executor } from "../executor/executor";
import type { EventBus } from "../executor/eventBus";
import type { StatusService } from "../status/status";
import type { EventRecord, RunRecord, Store, TenantStore } from "../store/tenantStore";
import { desiredGroupAddresses } from "../tenant/observe";
import type { GraphRelay } from "../tenant/graphRelay";
import type { TenantDirectoryInfo } from "../tenant/tenantInfo";
import { validateBody } from "./body";
import { Router, type RequestContext } from "./router";

/** The HTTP API (see the contract in the README): handlers only translate; the services do the work. */
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
}

const desiredField = z
  .unknown()
  .refine((v) => v !== undefined && v !== null, { error: "is required: the desired state" });
const planBody = z.strictObject({ desired: desiredField });
const runBody = z.strictObject({
  desired: desiredField,
  planHash: z.string({ error: "is required: the planHash of the plan you reviewed" }).regex(/^[0-9a-f]{16}$/, {
    error: "must be the 16-hex-digit planHash returned by POST /api/plan",
  }),
});
const validateBodySchema = z.strictObject({ host: z.string().min(1).max(253).optional() }).optional();
const progressBody = z.strictObject({
  draft: z.unknown().optional(),
  steps: z.record(
    z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_.-]+$/, { error: "step names are letters, digits, _ . -" }),
    z.enum(["todo", "done"], { error: "must be todo or done" }),
  ),
  version: z.number({ error: "is required: the version you read" }).int().min(0),
});

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function buildRouter(deps: RouteDeps): Router {
  const tenantOf = (ctx: RequestContext): TenantStore => deps.store.forTenant(ctx.principal.tenantId);
  const router = new Router();

  router.add("GET", "/api/me", "user", async (ctx) => {
    const p = ctx.principal;
    const tenantName = await deps.tenantInfo.displayName(p);
    return {
      status: 200,
      body: {
        user: { oid: p.oid, upn: p.upn, name: p.name },
        tenant: { id: p.tenantId, name: tenantName },
        roles: roleNames(p.wids),
        canChange: canChange(p),
        requiredRoles: CHANGE_ROLE_NAMES,
      },
    };
  });

  router.add("GET", "/api/tenant/state", "read", async (ctx) => {
    const tenant = tenantOf(ctx);
    const draft = tenant.getProgress().draft;
    const groups = [...desiredGroupAddresses(draft), ...desiredGroupAddresses(tenant.lastSucceededRun()?.desired)];
    const read = await deps.status.readTenant(ctx.principal, groups);
    return { status: 200, body: { ...read.observed, readAt: read.readAt } };
  });

  router.add("POST", "/api/plan", "read", async (ctx) => {
    const { desired } = validateBody(planBody, await ctx.body());
    const read = await deps.status.readTenant(ctx.principal, desiredGroupAddresses(desired));
    const result = planSetup(desired, read.observed);
    if (!result.ok) throw invalidDesired(result.errors);
    return {
      status: 200,
      body: {
        plan: result.plan,
        planHash: planHash(result.plan),
        status: result.status,
        script: renderScript(result.plan, {
          title: `Journaling to ${result.setup.profile.product} for ${result.setup.customer}`,
        }),
        readAt: read.readAt,
      },
    };
  });

  router.add("POST", "/api/runs", "change", async (ctx) => {
    const body = validateBody(runBody, await ctx.body());
    const { runId } = await deps.executor.start(ctx.principal, body.desired, body.planHash);
    return { status: 202, body: { runId }, headers: { location: `/api/runs/${runId}` } };
  });

  router.add("GET", "/api/runs/active", "user", (ctx) => {
    const run = tenantOf(ctx).activeRun();
    if (!run) throw new ApiError(404, "no_active_run", "No run is in progress for this tenant.");
    return Promise.resolve({ status: 200, body: presentRun(tenantOf(ctx), run) });
  });

  router.add("GET", "/api/runs/:id", "user", (ctx) => {
    const tenant = tenantOf(ctx);
    const run = GUID.test(ctx.params.id ?? "") ? tenant.getRun(ctx.params.id ?? "") : undefined;
    if (!run) throw notFound("The run");
    return Promise.resolve({ status: 200, body: presentRun(tenant, run) });
  });

  router.add("GET", "/api/runs/:id/events", "user", (ctx) => {
    const tenant = tenantOf(ctx);
    const run = GUID.test(ctx.params.id ?? "") ? tenant.getRun(ctx.params.id ?? "") : undefined;
    if (!run) throw notFound("The run");
    streamEvents(ctx, deps, tenant, run);
    return Promise.resolve(undefined);
  });

  router.add("POST", "/api/connector/validate", "change", async (ctx) => {
    const body = validateBody(validateBodySchema, await ctx.body());
    const { validationId } = deps.validator.start(ctx.principal, body?.host);
    return { status: 202, body: { validationId }, headers: { location: `/api/connector/validations/${validationId}` } };
  });

  router.add("GET", "/api/connector/validations/:id", "user", (ctx) => {
    const v = GUID.test(ctx.params.id ?? "") ? tenantOf(ctx).getValidation(ctx.params.id ?? "") : undefined;
    if (!v) throw notFound("The validation");
    return Promise.resolve({ status: 200, body: v });
  });

  for (const collection of ["users", "groups"] as const) {
    router.add("GET", `/api/graph/v1.0/${collection}`, "user", async (ctx) => {
      const reply = await deps.graphRelay.get(ctx.principal, collection, ctx.url.searchParams);
      return {
        status: reply.status,
        body: reply.body,
        ...(reply.retryAfter ? { headers: { "retry-after": reply.retryAfter } } : {}),
      };
    });
  }

  router.add("GET", "/api/status", "read", async (ctx) => {
    const report = await deps.status.status(ctx.principal);
    return { status: 200, body: report };
  });

  router.add("GET", "/api/progress", "user", (ctx) =>
    Promise.resolve({ status: 200, body: tenantOf(ctx).getProgress() }),
  );

  router.add("PUT", "/api/progress", "change", async (ctx) => {
    const body = validateBody(progressBody, await ctx.body());
    const tenant = tenantOf(ctx);
    const before = tenant.getProgress();
    const draft = body.draft === undefined ? before.draft : body.draft;
    const saved = tenant.putProgress(body.version, {
      draft,
      steps: body.steps,
      by: ctx.principal.upn,
      at: new Date().toISOString(),
      what: describeChange(before.draft, draft, before.steps, body.steps),
    });
    if (!saved) {
      const current = tenant.getProgress();
      throw new ApiError(
        409,
        "version_conflict",
        `${current.updatedBy ?? "Someone"} changed the progress in the meantime; reload it and try again.`,
        {
          current,
        },
      );
    }
    return { status: 200, body: saved };
  });

  router.add("GET", "/api/audit", "user", (ctx) => {
    const limit = Math.min(1000, Math.max(1, Number(ctx.url.searchParams.get("limit") ?? "500") || 500));
    const runId = ctx.url.searchParams.get("runId") ?? undefined;
    return Promise.resolve({ status: 200, body: { entries: tenantOf(ctx).audit(limit, runId) } });
  });

  return router;
}

function presentRun(tenant: TenantStore, run: RunRecord): Record<string, unknown> {
  return {
    id: run.id,
    state: run.state,
    startedBy: run.startedBy,
    startedAt: run.startedAt,
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
    planHash: run.planHash,
    resumes: run.resumes,
    actions: tenant.actions(run.id).map((a) => ({
      id: a.id,
      cmdlet: a.cmdlet,
      parameters: a.parameters,
      reason: a.reason,
      dependsOn: a.dependsOn,
      state: a.state,
      attempts: a.attempts,
      ...(a.error ? { error: a.error } : {}),
      ...(a.startedAt ? { startedAt: a.startedAt } : {}),
      ...(a.finishedAt ? { finishedAt: a.finishedAt } : {}),
    })),
  };
}

function describeChange(
  beforeDraft: unknown,
  afterDraft: unknown,
  beforeSteps: Record<string, string>,
  afterSteps: Record<string, string>,
): string {
  const parts: string[] = [];
  if (JSON.stringify(beforeDraft) !== JSON.stringify(afterDraft)) parts.push("changed the draft");
  for (const [step, state] of Object.entries(afterSteps)) {
    if (beforeSteps[step] !== state) parts.push(`marked ${step} ${state}`);
  }
  for (const step of Object.keys(beforeSteps)) if (!(step in afterSteps)) parts.push(`removed step ${step}`);
  return parts.length ? parts.join(", ") : "saved without changes";
}

/** Server-sent events: replays what happened so far (after Last-Event-ID), then streams live until the run finishes. */
function streamEvents(ctx: RequestContext, deps: RouteDeps, tenant: TenantStore, run: RunRecord): void {
  const { res, req } = ctx;
  const lastId = Number(req.headers["last-event-id"] ?? "0");
  let lastSent = Number.isInteger(lastId) && lastId > 0 ? lastId : 0;
  const buffered: EventRecord[] = [];
  let replaying = true;
  let closed = false;
  const write = (e: EventRecord): void => {
    if (closed || e.seq <= lastSent) return;
    lastSent = e.seq;
    res.write(`id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);
    if (e.type === "run-finished") close();
  };
  const unsubscribe = deps.events.subscribe(tenant.tenantId, run.id, (e) => (replaying ? buffered.push(e) : write(e)));
  const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
  heartbeat.unref();
  const close = (): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(heartbeat);
    deps.streams.delete(res);
    res.end();
  };
  res.writeHead(200, {
    ...ctx.baseHeaders,
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    "x-accel-buffering": "no",
    connection: "keep-alive",
  });
  deps.streams.add(res);
  req.on("close", close);
  for (const e of tenant.events(run.id, lastSent)) write(e);
  replaying = false;
  for (const e of buffered) write(e);
  // A finished run whose run-finished event was already sent (or lost) closes at once.
  if (!closed && tenant.getRun(run.id)?.state !== "running" && !deps.executor.isExecuting(run.id)) close();
}
