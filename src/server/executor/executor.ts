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
import type { RunEventRelay } from "./eventRelay";
import { unreviewedWork } from "./reviewedPlan";
import { alreadyDoneCode, existenceCheck } from "./idempotency";

/**
 * Applies plans. A run's actions execute in dependency order, independent ones in parallel (at
 * most `parallelism` at once); each action's state is committed before and after its cmdlet runs.
 * A run left unfinished by a crash or a shutdown resumes the next time a user who may change the
 * tenant calls the API (the server keeps no tokens across restarts, by design): it re-reads the
 * tenant, re-plans with the stored desired state, and does only what is still missing.
 *
 * Several instances on one database (PostgreSQL): a run is executed by the instance that holds its
 * lease (runs.lease_owner/lease_until_ms), renewed every third of its length while the run executes.
 * An instance that dies stops renewing; once the lease has run out, the next admin call on any
 * instance claims the run (one UPDATE: only one claim wins) and resumes it as above. An instance
 * that shuts down gives its leases back, so another takes over at once.
 */
export interface ExecutorDeps {
  readonly store: Store;
  readonly runners: ExchangeRunnerFactory;
  readonly events: EventBus;
  readonly log: Logger;
  readonly parallelism: number;
  readonly now?: () => Date;
  /** Tells the other instances about each event (PostgreSQL LISTEN/NOTIFY); none on SQLite. */
  readonly relay?: RunEventRelay;
  /** Run leases, when other instances share the database: this instance's id and the lease's length. */
  readonly lease?: { readonly owner: string; readonly ms: number };
}

/** The backend's own app-only identity, for runs taken over without an admin (see startTakeover). */
export interface AppOnlyTakeover {
  /** The app's principal in the tenant when its identity is ready there (consent and Exchange role). */
  principalFor(tenantId: string): Promise<Principal | undefined>;
  readonly runners: ExchangeRunnerFactory;
}

export class Executor {
  /** Runs executing in this process, by run id. */
  private readonly executing = new Map<string, Promise<void>>();
  /** Tenants whose unfinished run is being looked up by resumeIfNeeded. */
  private readonly lookingForRun = new Set<string>();
  private stopping = false;
  private takeoverTimer: NodeJS.Timeout | undefined;
  /** isExecutingAnywhere's recent answers, by run id. */
  private readonly leaseSeen = new Map<string, { at: number; live: boolean }>();
  private readonly now: () => Date;

  constructor(private readonly deps: ExecutorDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  isExecuting(runId: string): boolean {
    return this.executing.has(runId);
  }

  /** Whether the run executes here or (leases) on another instance whose lease has not run out. */
  async isExecutingAnywhere(tenantId: string, runId: string): Promise<boolean> {
    if (this.executing.has(runId)) return true;
    if (!this.deps.lease) return false;
    // Every open stream asks every 15 s: one read per run and few seconds serves them all.
    const nowMs = this.now().getTime();
    const known = this.leaseSeen.get(runId);
    if (known && nowMs - known.at < 5000) return known.live;
    const run = await this.deps.store.forTenant(tenantId).getRun(runId);
    const live = run?.state === "running" && (run.leaseUntilMs ?? 0) > nowMs;
    if (this.leaseSeen.size > 10_000) this.leaseSeen.clear();
    this.leaseSeen.set(runId, { at: nowMs, live });
    return live;
  }

  /** The lease a run gets from now (undefined without leases). */
  private leaseFromNow(): { owner: string; untilMs: number } | undefined {
    const lease = this.deps.lease;
    return lease ? { owner: lease.owner, untilMs: this.now().getTime() + lease.ms } : undefined;
  }

  /**
   * Starts a run of `desired` if the tenant still plans to what the user reviewed (`reviewedHash`).
   * Throws ApiError 409 (a run is active), 412 (the plan changed), 400 (invalid desired state).
   */
  async start(principal: Principal, desired: unknown, reviewedHash: string): Promise<RunStartedResponse> {
    if (this.stopping) throw new ApiError(503, "shutting_down", "The server is shutting down; try again in a moment.");
    const tenant = this.deps.store.forTenant(principal.tenantId);
    const active = await tenant.activeRun();
    if (active) {
      await this.resumeIfNeeded(principal, canChange(principal));
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
    const undone = await tenant.getRun(runId);
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
    const active = await tenant.activeRun();
    if (active) {
      await this.resumeIfNeeded(principal, canChange(principal));
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
    const actions = await tenant.actions(undone.id);
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

  private async begin(
    principal: Principal,
    tenant: TenantStore,
    runner: ExchangeRunner,
    what: { plan: Plan; observed: ObservedState; desired: unknown; reviewedHash: string; undoOf?: string },
  ): Promise<RunStartedResponse> {
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
    const lease = this.leaseFromNow();
    try {
      await tenant.createRun(
        {
          id: runId,
          startedBy: principal.upn,
          startedByOid: principal.oid,
          startedAt: this.now().toISOString(),
          desired: what.desired,
          planHash: hash,
          undoOf: what.undoOf ?? null,
          ...(lease ? { lease } : {}),
        },
        what.plan.actions.map((a) => toNewAction(a, what.observed)),
      );
    } catch (err) {
      if (err instanceof RunInProgressError) {
        const other = await tenant.activeRun();
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
  async resumeIfNeeded(principal: Principal, canChange = true): Promise<void> {
    if (this.stopping || !canChange) return;
    // Concurrent requests of one tenant all get here: one looks, so none resumes the run twice.
    if (this.lookingForRun.has(principal.tenantId)) return;
    this.lookingForRun.add(principal.tenantId);
    try {
      const tenant = this.deps.store.forTenant(principal.tenantId);
      const run = await tenant.activeRun();
      if (!run || this.executing.has(run.id) || this.stopping) return;
      // Another instance executes it (its lease holds), or claimed it a moment ago.
      const lease = this.leaseFromNow();
      if (lease && !(await tenant.claimRun(run.id, lease.owner, lease.untilMs, this.now().getTime()))) return;
      if (this.executing.has(run.id)) return;
      const runner = this.deps.runners.forPrincipal(principal);
      const work = this.resume(principal, tenant, run, runner).catch((err: unknown) => {
        this.deps.log.error("resume failed", { tenantId: principal.tenantId, runId: run.id, error: errorText(err) });
      });
      this.track(run.id, work);
    } finally {
      this.lookingForRun.delete(principal.tenantId);
    }
  }

  /**
   * Leases only: every `everyMs`, claims runs whose lease ran out (their instance died) in tenants
   * where the backend's own app-only identity is ready, and resumes them as the app, so a run does
   * not wait for an admin to come back. Runs of other tenants resume on the next admin call.
   */
  startTakeover(appOnly: AppOnlyTakeover, everyMs: number): void {
    const lease = this.deps.lease;
    if (!lease || this.takeoverTimer) return;
    let sweeping = false;
    this.takeoverTimer = setInterval(() => {
      if (sweeping || this.stopping) return;
      sweeping = true;
      this.takeOver(appOnly, lease)
        .catch((err: unknown) => this.deps.log.warn("run takeover sweep failed", { error: errorText(err) }))
        .finally(() => (sweeping = false));
    }, everyMs);
    this.takeoverTimer.unref();
  }

  private async takeOver(appOnly: AppOnlyTakeover, lease: { owner: string; ms: number }): Promise<void> {
    const nowMs = this.now().getTime();
    for (const { tenantId, runId } of await this.deps.store.expiredRunningRuns(nowMs, 10)) {
      if (this.stopping || this.executing.has(runId) || this.lookingForRun.has(tenantId)) continue;
      const principal = await appOnly.principalFor(tenantId);
      if (!principal || this.stopping) continue;
      const tenant = this.deps.store.forTenant(tenantId);
      this.lookingForRun.add(tenantId);
      try {
        if (!(await tenant.claimRun(runId, lease.owner, this.now().getTime() + lease.ms, this.now().getTime())))
          continue;
        const run = await tenant.getRun(runId);
        if (!run || run.state !== "running" || this.executing.has(runId)) continue;
        this.deps.log.info("run taken over with the app-only identity", { tenantId, runId });
        const work = this.resume(principal, tenant, run, appOnly.runners.forPrincipal(principal)).catch(
          (err: unknown) => {
            this.deps.log.error("resume failed", { tenantId, runId, error: errorText(err) });
          },
        );
        this.track(runId, work);
      } finally {
        this.lookingForRun.delete(tenantId);
      }
    }
  }

  /** Stops launching actions, lets the ones in flight finish and record their state. */
  async shutdown(timeoutMs: number): Promise<void> {
    this.stopping = true;
    if (this.takeoverTimer) clearInterval(this.takeoverTimer);
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
    await tenant.markResumed(run.id);
    this.deps.log.info("run resuming", { tenantId: tenant.tenantId, runId: run.id });
    // An undo run re-computes the undo of the run it undoes; a desired-state run re-plans its desired state.
    const undone = run.undoOf ? await tenant.getRun(run.undoOf) : undefined;
    let result: ReturnType<typeof planSetup> | { ok: true; plan: Plan };
    let observed: ObservedState;
    if (run.undoOf && !undone) {
      await tenant.finishRun(run.id, "failed", this.now().toISOString());
      await this.emit(tenant, run.id, "run-finished", {
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
      await tenant.finishRun(run.id, "failed", at);
      await this.emit(tenant, run.id, "run-finished", {
        state: "failed",
        error: { code: "invalid_desired_state", message: result.errors[0]?.message ?? "" },
      });
      return;
    }
    const planned = new Map(result.plan.actions.map((a) => [a.id, a]));
    const existing = await tenant.actions(run.id);
    // Nobody reviews a resume (any request of an admin starts it, a GET too): it may only finish the
    // steps that were reviewed. Stored steps that no longer hash to the reviewed plan, or a re-plan
    // that needs a step or a value nobody saw, end the run for a new review instead.
    const unreviewed = unreviewedWork(run, existing, result.plan.actions);
    if (unreviewed) {
      const error = { code: "plan_changed" as const, message: unreviewed };
      for (const a of existing) {
        if (a.state === "pending") await tenant.updateAction(run.id, a.id, { state: "skipped", error, finishedAt: at });
      }
      await tenant.finishRun(run.id, "failed", at);
      await this.emit(tenant, run.id, "run-finished", { state: "failed", error });
      this.deps.log.warn("resume refused: the plan changed", {
        tenantId: tenant.tenantId,
        runId: run.id,
        why: unreviewed,
      });
      return;
    }
    const unknownOutcome = new Set<string>();
    for (const a of existing) {
      if (a.state !== "pending" && a.state !== "running") continue;
      const still = planned.get(a.id);
      if (still) {
        if (a.state === "running") unknownOutcome.add(a.id);
        await tenant.updateAction(run.id, a.id, {
          state: "pending",
          parameters: { ...still.parameters },
          dependsOn: still.dependsOn,
          // A step that was running may have changed the tenant already: keep what it found before.
          ...(a.state === "pending" ? { before: beforeValues(still, observed) ?? null } : {}),
        });
      } else {
        // The re-read shows this change in place: done before the interruption, or by someone else.
        await tenant.updateAction(run.id, a.id, {
          state: a.state === "running" ? "succeeded" : "skipped",
          finishedAt: at,
        });
      }
    }
    await this.execute(principal, tenant, run.id, runner, unknownOutcome);
  }

  private async execute(
    principal: Principal,
    tenant: TenantStore,
    runId: string,
    runner: ExchangeRunner,
    unknownOutcome: Set<string>,
  ): Promise<void> {
    const states = new Map((await tenant.actions(runId)).map((a) => [a.id, a]));
    const inFlight = new Map<string, Promise<void>>();
    const lease = this.holdLease(tenant, runId);
    try {
      await this.executeHeld(principal, tenant, runId, runner, unknownOutcome, states, inFlight, lease);
    } finally {
      lease.stop();
    }
  }

  /**
   * Renews the run's lease while it executes here. `lost` turns true when another instance holds it
   * now (this one was too slow to renew): start nothing more, the new owner finishes the run.
   */
  private holdLease(tenant: TenantStore, runId: string): { readonly lost: boolean; stop(): void } {
    const lease = this.deps.lease;
    let lost = false;
    if (!lease) return { lost, stop: () => undefined };
    const timer = setInterval(
      () => {
        tenant
          .renewRunLease(runId, lease.owner, this.now().getTime() + lease.ms)
          .then((held) => {
            if (!held && !lost) {
              lost = true;
              this.deps.log.warn("run lease lost to another instance; stopping here", {
                tenantId: tenant.tenantId,
                runId,
              });
            }
          })
          .catch((err: unknown) => {
            this.deps.log.warn("could not renew a run lease", {
              tenantId: tenant.tenantId,
              runId,
              error: errorText(err),
            });
          });
      },
      Math.max(250, Math.floor(lease.ms / 3)),
    );
    timer.unref();
    return {
      get lost() {
        return lost;
      },
      stop: () => clearInterval(timer),
    };
  }

  private async executeHeld(
    principal: Principal,
    tenant: TenantStore,
    runId: string,
    runner: ExchangeRunner,
    unknownOutcome: Set<string>,
    states: Map<string, ActionRecord>,
    inFlight: Map<string, Promise<void>>,
    lease: { readonly lost: boolean },
  ): Promise<void> {
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
            await tenant.updateAction(runId, a.id, { state: "skipped", error, finishedAt: this.now().toISOString() });
            states.set(a.id, { ...a, state: "skipped", error });
            changed = true;
          }
        }
      }
      if (!this.stopping && !lease.lost && refused === undefined) {
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
    if (lease.lost) return;
    if (this.stopping && [...states.values()].some((a) => a.state === "pending")) {
      // Handed over: another instance (or this one after its restart) claims it on the next admin call.
      if (this.deps.lease) await tenant.releaseRunLease(runId, this.deps.lease.owner);
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
      await tenant.updateAction(runId, a.id, { state: "skipped", error, finishedAt: this.now().toISOString() });
      states.set(a.id, { ...a, state: "skipped", error });
    }
    const failed = [...states.values()].some(
      (a) => a.state === "failed" || (a.state === "skipped" && a.error !== null),
    );
    const state = failed ? "failed" : "succeeded";
    await tenant.finishRun(runId, state, this.now().toISOString());
    await this.emit(tenant, runId, "run-finished", { state });
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
    await tenant.updateAction(runId, action.id, { state: "running", startedAt, attempts: attempts + 1, error: null });
    await this.emit(tenant, runId, "action-started", {
      actionId: action.id,
      cmdlet: action.cmdlet,
      attempt: attempts + 1,
    });
    const parameters = action.parameters as Parameters;
    const audit = (r: AttemptReport, outcome: string): Promise<void> =>
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
    const onAttempt = async (r: AttemptReport): Promise<void> => {
      attempts++;
      if (r.outcome === "retrying") {
        await tenant.updateAction(runId, action.id, { state: "running", attempts: attempts + 1 });
        await audit(r, "retried");
        await this.emit(tenant, runId, "action-retried", {
          actionId: action.id,
          cmdlet: action.cmdlet,
          attempt: attempts,
          error: { code: r.errorCode, message: r.message },
          delayMs: r.delayMs,
        });
      } else {
        await audit(r, r.outcome === "succeeded" ? (r.message ? "succeeded (already done)" : "succeeded") : "failed");
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
      await tenant.updateAction(runId, action.id, { state: "succeeded", attempts, finishedAt });
      await this.emit(tenant, runId, "action-succeeded", {
        actionId: action.id,
        cmdlet: action.cmdlet,
        attempt: attempts,
      });
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
      await tenant.updateAction(runId, action.id, {
        state: "failed",
        attempts: Math.max(attempts, 1),
        error,
        finishedAt,
      });
      await this.emit(tenant, runId, "action-failed", {
        actionId: action.id,
        cmdlet: action.cmdlet,
        attempt: attempts,
        error,
      });
      return { ...action, state: "failed", attempts, startedAt, finishedAt, error };
    }
  }

  private async emit<T extends RunEventType>(
    tenant: TenantStore,
    runId: string,
    type: T,
    payload: RunEventPayloads[T],
  ): Promise<void> {
    // The spread of a generic payload is RunEventData<T> (TypeScript cannot see it through the generic).
    const data = { runId, ...payload, at: this.now().toISOString() } as RunEventData<T>;
    const event = await tenant.appendEvent(runId, type, data);
    this.deps.events.publish(tenant.tenantId, runId, event);
    this.deps.relay?.announce(tenant.tenantId, runId, event.seq);
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
