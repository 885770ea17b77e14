import { readFileSync } from "node:fs";
import {
  emptyTenant,
  formatFieldErrors,
  parseObservedState,
  planSetup,
  renderScript,
  type ObservedState,
  type Plan,
} from "../core";
import { choiceOption, runCommand, UsageError, type CliIO } from "./command";
import { PLAN_COMMAND } from "./specs";

export function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read ${what} file ${path}${code === "ENOENT" ? ": no such file" : code ? ` (${code})` : ""}`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(`${what} file ${path} is not valid JSON: ${(err as Error).message}`);
  }
}

export function formatPlanText(plan: Plan): string {
  const lines: string[] = [];
  if (plan.warnings.length) {
    lines.push("Warnings:");
    for (const w of plan.warnings) lines.push(`  ! ${w.message}`);
    lines.push("");
  }
  if (plan.actions.length === 0) {
    lines.push("Nothing to do: the tenant already matches the setup.");
    return lines.join("\n") + "\n";
  }
  lines.push(`Plan: ${plan.actions.length} step${plan.actions.length === 1 ? "" : "s"}`);
  plan.actions.forEach((a, i) => {
    lines.push(`${String(i + 1).padStart(3)}. ${a.cmdlet}  [${a.id}]`);
    lines.push(`     why: ${a.reason}`);
    for (const [k, v] of Object.entries(a.parameters)) lines.push(`     -${k} ${JSON.stringify(v)}`);
    if (a.dependsOn.length) lines.push(`     after: ${a.dependsOn.join(", ")}`);
  });
  return lines.join("\n") + "\n";
}

/** `journaling-assistant plan`: exit 0 with the plan on stdout; 2 with the reason on stderr. */
export function runPlanCommand(argv: readonly string[], io: CliIO): Promise<number> {
  return runCommand(PLAN_COMMAND, argv, io, (values) => {
    if (!values.desired) throw new UsageError("--desired FILE is required");
    const format = choiceOption("format", values.format, ["text", "json", "powershell"] as const) ?? "text";
    const desired = readJson(values.desired, "desired-state");
    let observed: ObservedState = emptyTenant();
    if (values.observed) {
      const parsed = parseObservedState(readJson(values.observed, "observed-state"));
      if (!parsed.ok) {
        io.stderr(`The observed state in ${values.observed} is invalid:\n${formatFieldErrors(parsed.errors)}\n`);
        return 2;
      }
      observed = parsed.value;
    }
    return printPlan(desired, observed, format, io);
  });
}

function printPlan(
  desired: unknown,
  observed: ObservedState,
  format: "text" | "json" | "powershell",
  io: CliIO,
): number {
  const result = planSetup(desired, observed);
  if (!result.ok) {
    io.stderr(`The desired state is invalid:\n${formatFieldErrors(result.errors)}\n`);
    return 2;
  }
  const { plan, setup } = result;
  if (format === "json") {
    const out = {
      actions: plan.actions.map((a) => ({
        id: a.id,
        cmdlet: a.cmdlet,
        parameters: a.parameters,
        dependsOn: a.dependsOn,
        reason: a.reason,
      })),
      warnings: plan.warnings,
    };
    io.stdout(JSON.stringify(out, null, 2) + "\n");
  } else if (format === "powershell") {
    io.stdout(renderScript(plan, { title: `Journaling to ${setup.profile.product} for ${setup.customer}` }));
  } else {
    io.stdout(formatPlanText(plan));
  }
  return 0;
}
