import {
  formatFieldErrors,
  pauseFromAudit,
  planSetup,
  resolveDesiredState,
  type PauseRecord,
  type ResourceStatus,
} from "../core";
import type { DeliveryFinding, MessageTraceSummary } from "../core/contract";
import { snapshotAgeLine } from "../core/monitor/age";
import { lastCheckLines } from "./lastCheckLines";
import { deliveryFindings, describeFinding } from "../core/status/deliveryFindings";
import { MessageTraceCache } from "../server/status/messageTrace";
import { MonitorTenantStore } from "../server/store/monitorStore";
import { desiredGroupAddresses, readObservedState } from "../server/tenant/observe";
import { choiceOption, processIO, runCommand, UsageError, type CliIO } from "./command";
import { readJson } from "./plan";
import { STATUS_COMMAND } from "./specs";
import { tenantOption, withTenantSession, type TenantSession } from "./tenantSession";

/**
 * `journaling-assistant status`: the tenant against the desired setup, per resource (OK, DRIFTED
 * with the property and expected vs actual, MISSING, UNWANTED), and journal-report delivery over the
 * last 24 hours from the message trace (the backend's status code path). Exit 0 healthy; 3 drifted,
 * missing or failing delivery, so a scheduled pipeline can alert; 1 the tenant could not be read;
 * 2 invalid input.
 */
export interface StatusOptions {
  readonly io?: CliIO;
  readonly env?: NodeJS.ProcessEnv;
}

/** Exit code when the tenant is not as desired or reports are not arriving. */
export const EXIT_UNHEALTHY = 3;

export function runStatusCommand(argv: readonly string[], options: StatusOptions = {}): Promise<number> {
  const io = options.io ?? processIO;
  const env = options.env ?? process.env;
  return runCommand(STATUS_COMMAND, argv, io, async (values) => {
    if (!values.desired) throw new UsageError("--desired FILE is required");
    const tenantArg = tenantOption(values.tenant);
    const format = choiceOption("format", values.format, ["text", "json"] as const) ?? "text";
    const desired = readJson(values.desired, "desired-state");
    const check = resolveDesiredState(desired);
    if (!check.ok) {
      io.stderr(`The desired state is invalid:\n${formatFieldErrors(check.errors)}\n`);
      return 2;
    }
    return withTenantSession("status", { env, tenant: tenantArg, dataDir: values["data-dir"], io }, (session) =>
      statusWith(session, desired, format, io),
    );
  });
}

interface StatusReport {
  readonly tenantId: string;
  readonly checkedAt: string;
  readonly healthy: boolean;
  readonly resources: readonly ResourceStatus[];
  readonly messageTrace: MessageTraceSummary;
  readonly findings: readonly DeliveryFinding[];
  readonly setupState: "active" | "paused" | "removed";
  /** A paused setup: when and by whom, from the audit of the store given (--data-dir), as the pane shows it. */
  readonly paused?: PauseRecord;
}

async function statusWith(
  session: TenantSession,
  desired: unknown,
  format: "text" | "json",
  io: CliIO,
): Promise<number> {
  const resolved = resolveDesiredState(desired);
  if (!resolved.ok) return 2;
  const addresses = resolved.value.targets.map((t) => t.journalingAddress);
  const traces = new MessageTraceCache(session.config.messageTraceTtlSeconds * 1000);
  // The backend's store (--data-dir) knows when the tenant was last checked: say so before the live
  // read (stderr for JSON, so stdout stays one document).
  const snapshot = await new MonitorTenantStore(session.store.db, session.principal.tenantId).getSnapshot();
  if (snapshot) {
    const line = `${snapshotAgeLine(snapshot.checkedAt, snapshot.checkedBy, Date.now())}\n${lastCheckLines(snapshot.status.sinceLastCheck)}`;
    if (format === "json") io.stderr(line);
    else io.stdout(line);
  }
  let report: StatusReport;
  try {
    const [read, messageTrace] = await Promise.all([
      readObservedState(session.runner, desiredGroupAddresses(desired)),
      // With the NDR mailbox, as the backend asks: the same cached trace entry serves both.
      traces.summary(session.tenant, addresses, session.runner, undefined, resolved.value.ndrMailbox),
    ]);
    const result = planSetup(desired, read.observed);
    if (!result.ok) {
      io.stderr(`The desired state is invalid for this tenant:\n${formatFieldErrors(result.errors)}\n`);
      return 2;
    }
    const targets = result.setup.targets.map((t) => ({ key: t.region.id, journalingAddress: t.journalingAddress }));
    const findings = deliveryFindings(targets, result.status, messageTrace.perAddress);
    const failing = messageTrace.perAddress.some((a) => a.failed > 0);
    // "Paused since <time> by <who>": known when the store holds the audit of the run that paused it.
    const rules = result.status.flatMap((r) => (r.kind === "journalRule" && r.identity ? [r.identity] : []));
    const paused = result.setup.state === "paused" ? pauseFromAudit(await session.tenant.audit(), rules) : undefined;
    report = {
      tenantId: session.principal.tenantId,
      setupState: result.setup.state,
      ...(paused ? { paused } : {}),
      checkedAt: read.readAt,
      healthy: result.status.every((r) => AS_DESIRED.has(r.state)) && findings.length === 0 && !failing,
      resources: result.status,
      messageTrace,
      findings,
    };
  } catch (err) {
    io.stderr(`status: could not read the tenant as ${session.principal.upn}: ${(err as Error).message}\n`);
    return 1;
  }
  io.stdout(format === "json" ? JSON.stringify(report, null, 2) + "\n" : formatStatusText(report));
  return report.healthy ? 0 : EXIT_UNHEALTHY;
}

const STATE_WORD: Readonly<Record<ResourceStatus["state"], string>> = {
  ok: "OK",
  drifted: "DRIFTED",
  missing: "MISSING",
  unwanted: "UNWANTED",
  paused: "PAUSED",
};

/** A paused setup's disabled journal rule is as desired: it does not make the tenant unhealthy. */
const AS_DESIRED: ReadonlySet<ResourceStatus["state"]> = new Set(["ok", "paused"]);

const value = (v: unknown): string => JSON.stringify(v) ?? "null";

export function formatStatusText(report: StatusReport): string {
  const lines: string[] = [`Tenant ${report.tenantId}, checked at ${report.checkedAt}`];
  if (report.setupState === "paused") {
    lines.push(report.paused ? `Paused since ${report.paused.since} by ${report.paused.by}` : "Paused");
  } else if (report.setupState === "removed") {
    lines.push("Removed: journaling is switched off for this setup");
  }
  lines.push("");
  for (const r of report.resources) {
    lines.push(`  ${STATE_WORD[r.state].padEnd(9)}${r.label}`);
    for (const d of r.drift)
      lines.push(`           ${d.property}: expected ${value(d.desired)}, actual ${value(d.actual)}`);
  }
  const trace = report.messageTrace;
  lines.push("", `Journal reports over the last 24 h (message trace as of ${trace.asOf}):`);
  if (trace.stale) lines.push(`  ! ${trace.stale.message}`);
  for (const a of trace.perAddress) {
    lines.push(
      `  ${a.address}: ${a.delivered} delivered, ${a.failed} failed${a.pending ? `, ${a.pending} queued` : ""}`,
    );
  }
  for (const f of report.findings) {
    const t = describeFinding(f, (iso) => iso);
    lines.push(`  ! ${t.title}: ${t.text}`);
  }
  const counts = (["drifted", "missing", "unwanted"] as const)
    .map((s) => [s, report.resources.filter((r) => r.state === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  lines.push(
    "",
    report.healthy
      ? "Healthy: the tenant matches the setup and no journal report failed in the last 24 h."
      : `Not healthy${counts.length ? `: ${counts.join(", ")}` : ""}${report.findings.length || trace.perAddress.some((a) => a.failed > 0) ? " (journal report delivery needs attention)" : ""}.`,
  );
  return lines.join("\n") + "\n";
}
