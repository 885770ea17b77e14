import { getCmdletSpec, isSwitch, type ParamValue } from "../exchange/catalog";
import type { Action, Plan } from "../plan/types";
import { renderValue } from "./quote";

const SAFE_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/** One cmdlet call as a PowerShell line; names come from the catalog, values are always literals. */
export function renderCall(cmdlet: string, parameters: Readonly<Record<string, ParamValue>>): string {
  const spec = getCmdletSpec(cmdlet);
  if (!spec || !/^[A-Za-z]+-[A-Za-z0-9]+$/.test(cmdlet))
    throw new RangeError(`unknown cmdlet ${JSON.stringify(cmdlet)}`);
  const parts: string[] = [cmdlet];
  const names = Object.keys(parameters).sort((a, b) => (a === "Identity" ? -1 : b === "Identity" ? 1 : 0));
  for (const name of names) {
    const param = spec.parameters[name];
    if (!param || !SAFE_NAME.test(name)) throw new RangeError(`${cmdlet} has no parameter ${JSON.stringify(name)}`);
    const value = parameters[name] as ParamValue;
    if (isSwitch(param)) {
      parts.push(value === true ? `-${name}` : `-${name}:${renderValue(value)}`);
    } else {
      parts.push(`-${name} ${renderValue(value)}`);
    }
  }
  return parts.join(" ");
}

export interface ScriptHeader {
  readonly title: string;
  readonly generatedAt?: string;
}

/** A runnable script: comments say what each line does, one cmdlet a line, in dependency order. */
export function renderScript(plan: Plan, header: ScriptHeader): string {
  const lines: string[] = [
    `# ${header.title.replace(/[\r\n]+/g, " ")}`,
    ...(header.generatedAt ? [`# Generated ${header.generatedAt}`] : []),
    "#",
    "# Run Connect-ExchangeOnline first, signed in as an Exchange Administrator (or Global Administrator):",
    "#   Connect-ExchangeOnline -UserPrincipalName admin@yourdomain.com",
    "# Then run this script. Each line is one step of the plan, in the order the steps depend on each other.",
    "$ErrorActionPreference = 'Stop'",
    "",
  ];
  if (plan.warnings.length > 0) {
    lines.push("# Before you run it:");
    for (const w of plan.warnings) lines.push(`#  - ${w.message.replace(/[\r\n]+/g, " ")}`);
    lines.push("");
  }
  if (plan.actions.length === 0) {
    lines.push("# Nothing to do: the tenant already matches the setup.");
  }
  plan.actions.forEach((action: Action, i) => {
    lines.push(`# ${i + 1}. ${action.reason.replace(/[\r\n]+/g, " ")}`);
    lines.push(renderCall(action.cmdlet, action.parameters));
  });
  return lines.join("\n") + "\n";
}
