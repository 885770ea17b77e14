import { randomUUID } from "node:crypto";
import { beforeValues, planHash, planSetup, planUndo, type Action, type ObservedState, type Plan } from "../../core";
import type {
  ActionError,
  RunEventData,
  RunEventPayloads,
  RunEventType,
  RunStartedResponse,
} from "../../core/contract";
import type { Parameters, ParamValue } from "../../core/exchange/catalog";
import { exchangeRoleHint } from "../../core/contract/roles";
import { canChange, type Principal } from "../auth/principal";
import { ApiError } from "../errors";
import { ExchangeError } from "../exchange/errors";
import type { ExchangeRunnerFactory } from "../exchange/factory";
import type { AttemptReport, ExchangeRunner } from "../exchange/runner";
import type { Logger } from "../log";
import type { ActionRecord, NewAction, RunRecord, Store, TenantStore } from "../store/tenantStore";
import { RunInProgressError } from "../store/tenantStore";
import { desiredGroupAddresses, readObservedState } from "../tenant/observe";
import type { EventBus } from "./eventBus";
import { alreadyDoneCode, existenceCheck } from "./idempotency";

/**
 * Applies plans. A run's actions execute in dependency order, independent ones in parallel (at
 * most `parallelism` at once); each action's state is committed before and after its cmdlet runs.
 * A run left unfinished by a crash or a shutdown resumes the next time a user who may change the
 * tenant calls the API (the server keeps no tokens across restarts, by design): it re-reads the
 * tenant, re-plans with the stored desired state, and does only what is still missing.
 */
export interface ExecutorDeps {
  readonly store: Store;
  readonly runners: ExchangeRunnerFactory;
  readonly events: EventBus;
  readonly log: Logger;
  readonly parallelism: number;
  readonly now?: () => Date;
}

export class Executor {
  /** Runs executing in this process, by run id. */
  private readonly executing = new Map<string, Promise<void>>();
  private stopping = false;
  private readonly now: () => Date;

  constructor(private readonly deps: ExecutorDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  isExecuting(runId: string): boolean {
    return this.executing.has(runId);
  }

  /**
   * Starts a run of `desired` if the tenant still plans to what the user reviewed (`reviewedHash`).
   * Throws ApiError 409 (a run is active), 412 (the plan changed), 400 (invalid desired state).
   */
  async start(principal: Principal, desired: unknown, reviewedHash: string): Promise<RunStartedResponse> {
    if (this.stopping) throw new ApiError(503, "shutting_down", "The server is shutting down; try again in a moment.");
    const tenant = this.deps.store.forTenant(principal.tenantId);
    const active = tenant.activeRun();
    if (active) {
      this.resumeIfNeeded(principal, canChange(principal));
      throw runInProgress(active);
    }
    const runner = this.deps.runners.forPrincipal(principal);
    const { observed } = await readObservedState(runner, desiredGroupAddresses(desired));
    const result = planSetup(desired, observed);
    if (!result.ok) throw invalidDesired(result.errors);
    return this.begin(principal, tenant, runner, { plan: result.plan, observed, desired, reviewedHash });
  }

  /**
   * The undo plan of a finished run of this tenant (see src/core/plan/undo.ts), against the tenant
   * as it is now. 404 for an unknown run, 409 while it is still running.
   */
  async undoPlan(
    principal: Principal,
    runId: string,
  ): Promise<{ plan: Plan; observed: ObservedState; undone: RunRecord }> {
    const tenant = this.deps.store.forTenant(principal.tenantId);
    const undone = tenant.getRun(runId);
    if (!undone) throw new ApiError(404, "not_found", "The run was not found.");
    if (undone.state === "running") {
      throw new ApiError(
        409,
        "run_in_progress",
        "The run is still in progress; it can be undone once it has finished.",
      );
    }
    const runner = this.deps.runners.forPrincipal(principal);
    const { plan, observed } = await this.computeUndo(tenant, undone, runner);
    return { plan, observed, undone };
  }

  /** Starts the undo of a finished run if it still plans to what the user reviewed (same checks as start). */
  async startUndo(principal: Principal, undoOf: string, reviewedHash: string): Promise<RunStartedResponse> {
    if (this.stopping) throw new ApiError(503, "shutting_down", "The server is shutting down; try again in a moment.");
    const tenant = this.deps.store.forTenant(principal.tenantId);
    const active = tenant.activeRun();
    if (active) {
      this.resumeIfNeeded(principal, canChange(principal));
      throw runInProgress(active);
    }
    const { plan, observed, undone } = await this.undoPlan(principal, undoOf);
    const runner = this.deps.runners.forPrincipal(principal);
    // The undo run keeps the undone run's desired state for the record; undoOf marks it as an undo.
    return this.begin(principal, tenant, runner, {
      plan,
      observed,
      desired: undone.desired,
      reviewedHash,
      undoOf: undone.id,
    });
  }

  private async computeUndo(
    tenant: TenantStore,
    undone: RunRecord,
    runner: ExchangeRunner,
  ): Promise<{ plan: Plan; observed: ObservedState }> {
    const actions = tenant.actions(undone.id);
    // Member changes are undone per list: read those lists' members (and the desired state's lists).
    const groups = [
      ...desiredGroupAddresses(undone.desired),
      ...actions.filter((a) => a.cmdlet.endsWith("-DistributionGroupMember")).map((a) => String(a.parameters.Identity)),
    ];
    const { observed } = await readObservedState(runner, groups);
    const plan = planUndo(
      actions.map((a) => ({ ...a, before: a.before as Record<string, ParamValue> | null })),
      observed,
    );
    return { plan, observed };
  }

  private begin(
    principal: Principal,
    tenant: TenantStore,
    runner: ExchangeRunner,
    what: { plan: Plan; observed: ObservedState; desired: unknown; reviewedHash: string; undoOf?: string },
  ): RunStartedResponse {
    const hash = planHash(what.plan);
    if (hash !== what.reviewedHash) {
      throw new ApiError(
        412,
        "plan_changed",
        "The tenant changed since this plan was shown. Review the new plan and apply again.",
        {
          planHash: hash,
        },
      );
    }
    const runId = randomUUID();
    try {
      tenant.createRun(
        {
          id: runId,
          startedBy: principal.upn,
          startedByOid: principal.oid,
          startedAt: this.now().toISOString(),
          desired: what.desired,
          planHash: hash,
          undoOf: what.undoOf ?? null,
        },
        what.plan.actions.map((a) => toNewAction(a, what.observed)),
      );
    } catch (err) {
      if (err instanceof RunInProgressError) {
        const other = tenant.activeRun();
        throw other
          ? runInProgress(other)
          : new ApiError(409, "run_in_progress", "Another run started at the same moment.");
      }
      throw err;
    }
    this.deps.log.info("run started", {
      tenantId: principal.tenantId,
      runId,
      actions: what.plan.actions.length,
      ...(what.undoOf ? { undoOf: what.undoOf } : {}),
    });
    this.launch(principal, tenant, runId, runner, new Set());
    return { runId };
  }

  /** Resumes the tenant's unfinished run, if any, as this caller (when they may change things). */
  resumeIfNeeded(principal: Principal, canChange = true): void {
    if (this.stopping || !canChange) return;
    const tenant = this.deps.store.forTenant(principal.tenantId);
    const run = tenant.activeRun();
    if (!run || this.executing.has(run.id)) return;
    const runner = this.deps.runners.forPrincipal(principal);
    const work = this.resume(principal, tenant, run, runner).catch((err: unknown) => {
      this.deps.log.error("resume failed", { tenantId: principal.tenantId, runId: run.id, error: errorText(err) });
    });
    this.track(run.id, work);
  }

  /** Stops launching actions, lets the ones in flight finish and record their state. */
  async shutdown(timeoutMs: number): Promise<void> {
    this.stopping = true;
    const all = Promise.allSettled([...this.executing.values()]);
    await Promise.race([all, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }

  /** Resolves when every run executing now has stopped (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.executing.size > 0) await Promise.allSettled([...this.executing.values()]);
  }

  private track(runId: string, work: Promise<void>): void {
    const tracked = work.finally(() => this.executing.delete(runId));
    this.executing.set(runId, tracked);
  }

  private launch(
    principal: Principal,
    tenant: TenantStore,
    runId: string,
    runner: ExchangeRunner,
    unknownOutcome: Set<string>,
  ): void {
    const work = this.execute(principal, tenant, runId, runner, unknownOutcome).catch((err: unknown) => {
      this.deps.log.error("run crashed", { tenantId: tenant.tenantId, runId, error: errorText(err) });
    });
    this.track(runId, work);
  }

  private async resume(
    principal: Principal,
    tenant: TenantStore,
    run: RunRecord,
    runner: ExchangeRunner,
  ): Promise<void> {
    tenant.markResumed(run.id);
    this.deps.log.info("run resuming", { tenantId: tenant.tenantId, runId: run.id });
    // An undo run re-computes the undo of the run it undoes; a desired-state run re-plans its desired state.
    const undone = run.undoOf ? tenant.getRun(run.undoOf) : undefined;
    let result: ReturnType<typeof planSetup> | { ok: true; plan: Plan };
    let observed: ObservedState;
    if (run.undoOf && !undone) {
      tenant.finishRun(run.id, "failed", this.now().toISOString());
      this.emit(tenant, run.id, "run-finished", {
        state: "failed",
        error: { code: "invalid_desired_state", message: "The run this run undoes is no longer recorded." },
      });
      return;
    }
    if (undone) {
      ({ plan: result, observed } = await this.computeUndo(tenant, undone, runner).then(({ plan, observed }) => ({
        plan: { ok: true as const, plan },
        observed,
      })));
    } else {
      ({ observed } = await readObservedState(runner, desiredGroupAddresses(run.desired)));
      result = planSetup(run.desired, observed);
    }
    const at = this.now().toISOString();
    if (!result.ok) {
      tenant.finishRun(run.id, "failed", at);
      this.emit(tenant, run.id, "run-finished", {
        state: "failed",
        error: { code: "invalid_desired_state", message: result.errors[0]?.message ?? "" },
      });
      return;
    }
    const planned = new Map(result.plan.actions.map((a) => [a.id, a]));
    const existing = tenant.actions(run.id);
    const unknownOutcome = new Set<string>();
    for (const a of existing) {
      if (a.state !== "pending" && a.state !== "running") continue;
      const still = planned.get(a.id);
      if (still) {
        if (a.state === "running") unknownOutcome.add(a.id);
        tenant.updateAction(run.id, a.id, {
          state: "pending",
          parameters: { ...still.parameters },
          dependsOn: still.dependsOn,
          // A step that was running may have changed the tenant already: keep what it found before.
          ...(a.state === "pending" ? { before: beforeValues(still, observed) ?? null } : {}),
        });
      } else {
        // The re-read shows this change in place: done before the interruption, or by someone else.
        tenant.updateAction(run.id, a.id, { state: a.state === "running" ? "succeeded" : "skipped", finishedAt: at });
      }
    }
    const known = new Set(existing.map((a) => a.id));
    const added = result.plan.actions.filter((a) => !known.has(a.id));
    if (added.length)
      tenant.addActions(
        run.id,
        added.map((a) => toNewAction(a, observed)),
      );
    await this.execute(principal, tenant, run.id, runner, unknownOutcome);
  }

  private async execute(
    principal: Principal,
    tenant: TenantStore,
    runId: string,
    runner: ExchangeRunner,
    unknownOutcome: Set<string>,
  ): Promise<void> {
    const states = new Map(tenant.actions(runId).map((a) => [a.id, a]));
    const inFlight = new Map<string, Promise<void>>();
    // Exchange refused a step for this account (its roles don't include the cmdlet): start nothing
    // more, let the steps in flight finish, and leave the rest undone with the reason.
    let refused: ActionRecord | undefined;
    for (;;) {
      // Actions whose dependency failed can never run.
      let changed = true;
      while (changed) {
        changed = false;
        for (const a of states.values()) {
          if (a.state !== "pending") continue;
          const blocked = a.dependsOn.find((d) => {
            const s = states.get(d)?.state;
            return s === "failed" || (s === "skipped" && states.get(d)?.error !== null);
          });
          if (blocked) {
            const error: ActionError = { code: "dependency_failed", message: `not run because ${blocked} failed` };
            tenant.updateAction(runId, a.id, { state: "skipped", error, finishedAt: this.now().toISOString() });
            states.set(a.id, { ...a, state: "skipped", error });
            changed = true;
          }
        }
      }
      if (!this.stopping && refused === undefined) {
        const ready = [...states.values()].filter(
          (a) => a.state === "pending" && !inFlight.has(a.id) && a.dependsOn.every((d) => isDone(states.get(d))),
        );
        for (const a of ready.slice(0, Math.max(0, this.deps.parallelism - inFlight.size))) {
          const p = this.runAction(principal, tenant, runId, runner, a, unknownOutcome.has(a.id)).then((done) => {
            states.set(a.id, done);
            inFlight.delete(a.id);
            if (done.state === "failed" && done.error?.code === "access_denied") refused ??= done;
          });
          inFlight.set(a.id, p);
        }
      }
      if (inFlight.size === 0) break;
      await Promise.race(inFlight.values());
    }
    if (this.stopping && [...states.values()].some((a) => a.state === "pending")) {
      this.deps.log.info("run paused for shutdown", { tenantId: tenant.tenantId, runId });
      return;
    }
    // Defensive: a step that never became ready must not let the run report success.
    for (const a of states.values()) {
      if (a.state !== "pending") continue;
      const error: ActionError = refused
        ? {
            code: "dependency_failed",
            message: `not run: the run stopped because Exchange refused ${refused.cmdlet} for this account`,
          }
        : { code: "dependency_failed", message: "not run because a step it depends on did not finish" };
      tenant.updateAction(runId, a.id, { state: "skipped", error, finishedAt: this.now().toISOString() });
      states.set(a.id, { ...a, state: "skipped", error });
    }
    const failed = [...states.values()].some(
      (a) => a.state === "failed" || (a.state === "skipped" && a.error !== null),
    );
    const state = failed ? "failed" : "succeeded";
    tenant.finishRun(runId, state, this.now().toISOString());
    this.emit(tenant, runId, "run-finished", { state });
    this.deps.log.info("run finished", { tenantId: tenant.tenantId, runId, state });
  }

  private async runAction(
    principal: Principal,
    tenant: TenantStore,
    runId: string,
    runner: ExchangeRunner,
    action: ActionRecord,
    outcomeUnknown: boolean,
  ): Promise<ActionRecord> {
    const startedAt = this.now().toISOString();
    let attempts = action.attempts;
    tenant.updateAction(runId, action.id, { state: "running", startedAt, attempts: attempts + 1, error: null });
    this.emit(tenant, runId, "action-started", { actionId: action.id, cmdlet: action.cmdlet, attempt: attempts + 1 });
    const parameters = action.parameters as Parameters;
    const audit = (r: AttemptReport, outcome: string): void =>
      tenant.addAudit({
        at: this.now().toISOString(),
        by: principal.upn,
        byOid: principal.oid,
        ...(principal.clientAddress !== undefined ? { clientAddress: principal.clientAddress } : {}),
        cmdlet: action.cmdlet,
        parameters: action.parameters,
        outcome,
        runId,
        attempt: attempts,
        ...(r.outcome !== "succeeded" ? { error: { code: r.errorCode, message: r.message } } : {}),
      });
    const onAttempt = (r: AttemptReport): void => {
      attempts++;
      if (r.outcome === "retrying") {
        tenant.updateAction(runId, action.id, { state: "running", attempts: attempts + 1 });
        audit(r, "retried");
        this.emit(tenant, runId, "action-retried", {
          actionId: action.id,
          cmdlet: action.cmdlet,
          attempt: attempts,
          error: { code: r.errorCode, message: r.message },
          delayMs: r.delayMs,
        });
      } else {
        audit(r, r.outcome === "succeeded" ? (r.message ? "succeeded (already done)" : "succeeded") : "failed");
      }
    };
    const doneCode = alreadyDoneCode(action.cmdlet);
    // Waiting out replication helps a step that needs an object this run created; for a Remove-,
    // "not found" means the object is already gone, which is what the step wanted.
    const dependsOnThisRun = action.dependsOn.length > 0 && doneCode !== "not_found";
    const beforeRetry = existenceCheck(runner, action.cmdlet, parameters);
    try {
      await runner.run(action.cmdlet, parameters, {
        retryNotFound: dependsOnThisRun,
        outcomeUnknown,
        ...(doneCode ? { alreadyDoneWhen: doneCode } : {}),
        ...(beforeRetry ? { beforeRetry } : {}),
        onAttempt,
      });
      const finishedAt = this.now().toISOString();
      tenant.updateAction(runId, action.id, { state: "succeeded", attempts, finishedAt });
      this.emit(tenant, runId, "action-succeeded", { actionId: action.id, cmdlet: action.cmdlet, attempt: attempts });
      return { ...action, state: "succeeded", attempts, startedAt, finishedAt, error: null };
    } catch (err) {
      const error: ActionError =
        err instanceof ExchangeError
          ? {
              code: err.code,
              // A refusal names what would be allowed: the Exchange role, its role groups, the Entra roles.
              message:
                err.code === "access_denied"
                  ? `Exchange refused ${action.cmdlet} for ${principal.upn}: ${err.message.replace(/\.$/, "")}. ${exchangeRoleHint(action.cmdlet)}`
                  : err.message,
            }
          : { code: "internal_error", message: "The server failed while running this step; see the server log." };
      if (!(err instanceof ExchangeError)) {
        this.deps.log.error("action crashed", {
          tenantId: tenant.tenantId,
          runId,
          actionId: action.id,
          error: errorText(err),
        });
      }
      const finishedAt = this.now().toISOString();
      tenant.updateAction(runId, action.id, { state: "failed", attempts: Math.max(attempts, 1), error, finishedAt });
      this.emit(tenant, runId, "action-failed", {
        actionId: action.id,
        cmdlet: action.cmdlet,
        attempt: attempts,
        error,
      });
      return { ...action, state: "failed", attempts, startedAt, finishedAt, error };
    }
  }

  private emit<T extends RunEventType>(
    tenant: TenantStore,
    runId: string,
    type: T,
    payload: RunEventPayloads[T],
  ): void {
    // The spread of a generic payload is RunEventData<T> (TypeScript cannot see it through the generic).
    const data = { runId, ...payload, at: this.now().toISOString() } as RunEventData<T>;
    const event = tenant.appendEvent(runId, type, data);
    this.deps.events.publish(tenant.tenantId, runId, event);
  }
}

/** A dependency is done when it succeeded, or was skipped without error (the re-read found it in place). */
function isDone(action: ActionRecord | undefined): boolean {
  if (!action) return true;
  return action.state === "succeeded" || (action.state === "skipped" && action.error === null);
}

/** A planned action as stored, with the values it finds in the tenant the plan was made from (for undo). */
function toNewAction(a: Action, observed: ObservedState): NewAction {
  return {
    id: a.id,
    cmdlet: a.cmdlet,
    parameters: { ...a.parameters },
    dependsOn: [...a.dependsOn],
    reason: a.reason,
    before: beforeValues(a, observed) ?? null,
  };
}

function runInProgress(run: RunRecord): ApiError {
  return new ApiError(
    409,
    "run_in_progress",
    `${run.startedBy} started a run at ${run.startedAt} that is still in progress.`,
    {
      startedBy: run.startedBy,
      runId: run.id,
    },
  );
}

export function invalidDesired(errors: readonly { path: string; message: string }[]): ApiError {
  return new ApiError(400, "invalid_desired_state", "The desired state is not valid for this tenant.", {
    fieldErrors: errors.map((e) => ({ path: e.path, message: e.message })),
  });
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
