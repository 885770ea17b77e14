import catalogJson from "./cmdlets.json";

/**
 * The one definition of Exchange cmdlets and their parameters (vendored from the cmdlet help,
 * see `_source` in cmdlets.json). The planner's builders, the PowerShell renderer, the emulator's
 * parameter binding and the conformance test all read it.
 */
export interface ParameterSpec {
  readonly type: string;
  readonly allowedValues?: readonly string[];
  readonly acceptsNull?: boolean;
  readonly maxLength?: number;
  readonly aliases?: readonly string[];
}

export interface ParameterSetSpec {
  readonly name: string;
  readonly mandatory: readonly string[];
  readonly optional: readonly string[];
  readonly positional?: Readonly<Record<string, number>>;
}

export interface CmdletSpec {
  readonly parameterSets: readonly ParameterSetSpec[];
  readonly parameters: Readonly<Record<string, ParameterSpec>>;
  readonly outputProperties?: { readonly names: readonly string[] };
  readonly notes?: string;
}

interface CatalogFile {
  readonly commonParameters: readonly string[];
  readonly cmdlets: Readonly<Record<string, CmdletSpec>>;
}

// The JSON import is typed structurally by TypeScript; the interface above is the part we rely on.
const catalog = catalogJson as unknown as CatalogFile;

export type ParamValue = string | number | boolean | null | readonly string[];
export type Parameters = Readonly<Record<string, ParamValue>>;

export function getCmdletSpec(cmdlet: string): CmdletSpec | undefined {
  return Object.prototype.hasOwnProperty.call(catalog.cmdlets, cmdlet) ? catalog.cmdlets[cmdlet] : undefined;
}

export function cmdletNames(): string[] {
  return Object.keys(catalog.cmdlets);
}

export const commonParameters: readonly string[] = catalog.commonParameters;

const BOOLEAN_TYPES = new Set(["Boolean", "System.Boolean"]);
const SWITCH_TYPES = new Set(["SwitchParameter"]);
const ARRAY_TYPES = new Set(["MultiValuedProperty", "String[]"]);
const INTEGER_TYPES = new Set(["Int32", "System.Int32"]);

export function isSwitch(spec: ParameterSpec): boolean {
  return SWITCH_TYPES.has(spec.type);
}

/** Finds a parameter by name or alias, case-insensitively, as PowerShell binds them. */
export function resolveParameter(
  cmdlet: CmdletSpec,
  name: string,
): { readonly name: string; readonly spec: ParameterSpec } | undefined {
  const lower = name.toLowerCase();
  for (const [paramName, spec] of Object.entries(cmdlet.parameters)) {
    if (paramName.toLowerCase() === lower) return { name: paramName, spec };
    if (spec.aliases?.some((a) => a.toLowerCase() === lower)) return { name: paramName, spec };
  }
  return undefined;
}

export type CallIssue =
  | { readonly kind: "unknownCmdlet"; readonly cmdlet: string }
  | { readonly kind: "unknownParameter"; readonly parameter: string }
  | {
      readonly kind: "wrongType";
      readonly parameter: string;
      readonly expected: string;
      readonly value: unknown;
    }
  | {
      readonly kind: "badEnum";
      readonly parameter: string;
      readonly type: string;
      readonly value: string;
      readonly allowed: readonly string[];
    }
  | { readonly kind: "tooLong"; readonly parameter: string; readonly max: number }
  | { readonly kind: "nullNotAllowed"; readonly parameter: string }
  | { readonly kind: "missingMandatory"; readonly parameters: readonly string[] };

function checkValue(name: string, spec: ParameterSpec, value: unknown): CallIssue | undefined {
  if (value === null) {
    // $null is how Exchange clears a setting; binding null to a switch or boolean fails.
    if (BOOLEAN_TYPES.has(spec.type) || SWITCH_TYPES.has(spec.type)) return { kind: "nullNotAllowed", parameter: name };
    return undefined;
  }
  if (BOOLEAN_TYPES.has(spec.type) || SWITCH_TYPES.has(spec.type)) {
    return typeof value === "boolean" ? undefined : { kind: "wrongType", parameter: name, expected: spec.type, value };
  }
  if (INTEGER_TYPES.has(spec.type)) {
    return typeof value === "number" && Number.isInteger(value)
      ? undefined
      : { kind: "wrongType", parameter: name, expected: spec.type, value };
  }
  if (spec.type === "Unlimited") {
    return (typeof value === "number" && Number.isInteger(value) && value > 0) || value === "Unlimited"
      ? undefined
      : { kind: "wrongType", parameter: name, expected: spec.type, value };
  }
  const values: unknown[] = Array.isArray(value) ? value : [value];
  if (Array.isArray(value) && !ARRAY_TYPES.has(spec.type) && !spec.allowedValues) {
    return { kind: "wrongType", parameter: name, expected: spec.type, value };
  }
  for (const v of values) {
    if (typeof v !== "string") return { kind: "wrongType", parameter: name, expected: spec.type, value };
    if (spec.allowedValues && !spec.allowedValues.some((a) => a.toLowerCase() === v.toLowerCase())) {
      return { kind: "badEnum", parameter: name, type: spec.type, value: v, allowed: spec.allowedValues };
    }
    if (spec.maxLength !== undefined && v.length > spec.maxLength) {
      return { kind: "tooLong", parameter: name, max: spec.maxLength };
    }
  }
  return undefined;
}

/**
 * Binds a call's parameters the way PowerShell would for Exchange Online: unknown names,
 * types, enum values, lengths, and the mandatory parameters of the best-matching parameter set.
 */
export function checkCall(cmdlet: string, parameters: Readonly<Record<string, unknown>>): CallIssue[] {
  const spec = getCmdletSpec(cmdlet);
  if (!spec) return [{ kind: "unknownCmdlet", cmdlet }];
  const issues: CallIssue[] = [];
  const bound = new Set<string>();
  for (const [name, value] of Object.entries(parameters)) {
    if (commonParameters.some((c) => c.toLowerCase() === name.toLowerCase())) continue;
    const resolved = resolveParameter(spec, name);
    if (!resolved) {
      issues.push({ kind: "unknownParameter", parameter: name });
      continue;
    }
    bound.add(resolved.name);
    const issue = checkValue(resolved.name, resolved.spec, value);
    if (issue) issues.push(issue);
  }
  if (issues.length > 0) return issues;
  const sets = spec.parameterSets.filter((s) =>
    [...bound].every((b) => s.mandatory.includes(b) || s.optional.includes(b)),
  );
  const candidates = sets.length > 0 ? sets : spec.parameterSets;
  const missing = candidates
    .map((s) => s.mandatory.filter((m) => !bound.has(m)))
    .sort((a, b) => a.length - b.length)[0];
  if (missing && missing.length > 0) issues.push({ kind: "missingMandatory", parameters: missing });
  return issues;
}
