import { createInterface } from "node:readline/promises";
import { describeAction, formatFieldErrors, planHash, planSetup, resolveDesiredState, type Plan } from "../core";
import { ApiError } from "../server/errors";
import type { ActionRecord } from "../server/store/tenantStore";
import { desiredGroupAddresses, readObservedState } from "../server/tenant/observe";
import { choiceOption, processIO, runCommand, UsageError, type CliIO } from "./command";
import { formatPlanText, readJson } from "./plan";
import { ProgressPrinter } from "./progress";
import { SignInError } from "./signIn";
import { APPLY_COMMAND } from "./specs";
import { tenantOption, withTenantSession, type TenantSession } from "./tenantSession";

/**
 * `journaling-assistant apply`: read the tenant, show the plan, confirm (a person at a terminal) or
 * --yes (a pipeline), then run it with the backend's executor (same ordering, retries, audit, plan
 * hash and one-run-per-tenant rule as the pane's Apply), and read the tenant again to confirm it
 * matches. Exit 0: the tenant matches; 1: a step failed or the tenant could not be read; 2: invalid input.
 */
export interface ApplyOptions {
  readonly io?: CliIO;
  readonly env?: NodeJS.ProcessEnv;
  /** Whether stdin / stderr are terminals (default: the process's). */
  readonly stdinTty?: boolean;
  readonly stderrTty?: boolean;
  /** Asks the question and resolves to the answer (default: a readline prompt on stderr). */
  readonly ask?: (question: string) => Promise<string>;
}

async function askOnTerminal(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

export function runApplyCommand(argv: readonly string[], options: ApplyOptions = {}): Promise<number> {
  const io = options.io ?? processIO;
  const env = options.env ?? process.env;
  const stdinTty = options.stdinTty ?? process.stdin.isTTY === true;
  const stderrTty = options.stderrTty ?? process.stderr.isTTY === true;
  return runCommand(APPLY_COMMAND, argv, io, async (values) => {
    if (!values.desired) throw new UsageError("--desired FILE is required");
    const tenantArg = tenantOption(values.tenant);
    const format = choiceOption("format", values.format, ["text", "json"] as const) ?? "text";
    const desired = readJson(values.desired, "desired-state");
    // Fail before anyone signs in: a pipeline without --yes would otherwise wait for an answer nobody gives.
    if (values.yes !== true && !stdinTty) {
      io.stderr(
        "apply: refusing to change the tenant without confirmation: stdin is not a terminal. Review the plan (journaling-assistant plan) and pass --yes to apply it unattended.\n",
      );
      return 2;
    }
    const check = resolveDesiredState(desired);
    if (!check.ok) {
      io.stderr(`The desired state is invalid:\n${formatFieldErrors(check.errors)}\n`);
      return 2;
    }
    return withTenantSession("apply", { env, tenant: tenantArg, dataDir: values["data-dir"], io }, (session) =>
      applyWith(session, desired, {
        io,
        format,
        yes: values.yes === true,
        tty: stderrTty,
        ask: options.ask ?? askOnTerminal,
        tenantName: tenantArg,
      }),
    );
  });
}

interface ApplyRun {
  readonly io: CliIO;
  readonly format: "text" | "json";
  readonly yes: boolean;
  readonly tty: boolean;
  readonly ask: (question: string) => Promise<string>;
  readonly tenantName: string;
}

async function readPlan(session: TenantSession, desired: unknown): Promise<Plan> {
  const { observed } = await readObservedState(session.runner, desiredGroupAddresses(desired));
  const result = planSetup(desired, observed);
  // The desired state was checked before sign-in; against the tenant it can still fail (e.g. rule limits).
  if (!result.ok) throw new UsageError(`the desired state is invalid:\n${formatFieldErrors(result.errors)}`);
  return result.plan;
}

/**
 * A run left "running" in the store by a process that stopped (a pipeline cancelled, a killed
 * terminal) would hold the tenant's one-run slot for ever: finish it first, as the backend does on
 * an admin's next call. The executor re-reads the tenant and only does what is still missing.
 */
async function finishUnfinishedRun(session: TenantSession, io: CliIO): Promise<boolean> {
  const active = await session.tenant.activeRun();
  if (!active) return true;
  io.stderr(
    `Run ${active.id} (started by ${active.startedBy} at ${active.startedAt}) did not finish: its process stopped. Finishing it first.\n`,
  );
  await session.executor.resumeIfNeeded(session.principal);
  await session.executor.idle();
  const after = await session.tenant.getRun(active.id);
  if (after?.state !== "succeeded") {
    io.stderr(`Run ${active.id} could not be finished (state ${after?.state ?? "unknown"}); see its failed step.\n`);
    return false;
  }
  io.stderr(`Run ${active.id} finished.\n`);
  return true;
}

async function applyWith(session: TenantSession, desired: unknown, run: ApplyRun): Promise<number> {
  const { io } = run;
  const who = `${session.principal.upn} in ${run.tenantName}`;
  if (!(await finishUnfinishedRun(session, io))) return 1;
  let plan: Plan;
  try {
    plan = await readPlan(session, desired);
  } catch (err) {
    if (err instanceof UsageError || err instanceof SignInError) throw err;
    io.stderr(`apply: could not read the tenant as ${who}: ${errorMessage(err)}\n`);
    return 1;
  }
  const json = (out: object): void => io.stdout(JSON.stringify(out, null, 2) + "\n");
  const planJson = {
    actions: plan.actions.map((a) => ({
      id: a.id,
      cmdlet: a.cmdlet,
      parameters: a.parameters,
      dependsOn: a.dependsOn,
      reason: a.reason,
    })),
    warnings: plan.warnings,
  };
  if (plan.actions.length === 0) {
    if (run.format === "json") json({ tenantId: session.principal.tenantId, plan: planJson, run: null, matches: true });
    else io.stdout(formatPlanText(plan));
    io.stderr("Nothing applied: the tenant already matches the setup.\n");
    return 0;
  }
  if (run.format === "text") io.stdout(formatPlanText(plan));
  if (!run.yes) {
    const answer = await run.ask(
      `Apply these ${plan.actions.length} step${plan.actions.length === 1 ? "" : "s"} to ${run.tenantName} as ${session.principal.upn}? [y/N] `,
    );
    if (!/^y(es)?$/i.test(answer.trim())) {
      io.stderr("Nothing was changed.\n");
      return 1;
    }
  }
  const labels = new Map(
    plan.actions.map((a, i) => [a.id, { index: i + 1, label: `${a.cmdlet}: ${describeAction(a, "planned")}` }]),
  );
  const progress = new ProgressPrinter({ write: io.stderr, tty: run.tty, total: plan.actions.length, labels });
  let runId: string;
  let unsubscribe = (): void => undefined;
  try {
    ({ runId } = await session.executor.start(session.principal, desired, planHash(plan)));
    unsubscribe = session.events.subscribe(session.principal.tenantId, runId, (e) => progress.onEvent(e));
    // Steps that started before the subscription: their events are in the store already.
    for (const e of await session.tenant.events(runId)) progress.onEvent(e);
  } catch (err) {
    io.stderr(`apply: ${errorMessage(err)}\n`);
    return err instanceof ApiError && err.status === 400 ? 2 : 1;
  }
  await session.executor.idle();
  unsubscribe();
  for (const e of await session.tenant.events(runId)) progress.onEvent(e);
  progress.finish();
  const record = await session.tenant.getRun(runId);
  const actions = await session.tenant.actions(runId);
  const failed = actions.filter((a) => a.state === "failed" || (a.state === "skipped" && a.error !== null));
  let remaining: Plan | undefined;
  if (record?.state === "succeeded") {
    try {
      remaining = await readPlan(session, desired);
    } catch (err) {
      io.stderr(`apply: the run finished but the tenant could not be read again: ${errorMessage(err)}\n`);
    }
  }
  const matches = record?.state === "succeeded" && remaining?.actions.length === 0;
  if (run.format === "json") {
    json({
      tenantId: session.principal.tenantId,
      plan: planJson,
      run: { id: runId, state: record?.state ?? "failed", actions: actions.map(presentOutcome) },
      matches,
    });
  }
  if (failed.length > 0) {
    io.stderr(`Run ${runId} failed: ${failed.length} of ${actions.length} steps did not complete.\n`);
    for (const a of failed) io.stderr(`  ${a.cmdlet} (${a.id}): ${a.error?.message ?? a.state}\n`);
    return 1;
  }
  if (!matches) {
    io.stderr(
      remaining
        ? `Run ${runId} finished, but the tenant still differs: ${remaining.actions.length} step(s) remain (someone else may be changing it). Run apply again.\n`
        : `Run ${runId} did not finish (state ${record?.state ?? "unknown"}).\n`,
    );
    return 1;
  }
  io.stderr(
    `Applied ${actions.length} step${actions.length === 1 ? "" : "s"} (run ${runId}); the tenant matches the setup.\n`,
  );
  return 0;
}

function presentOutcome(a: ActionRecord): object {
  return {
    id: a.id,
    cmdlet: a.cmdlet,
    state: a.state,
    attempts: a.attempts,
    ...(a.error ? { error: a.error } : {}),
  };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
