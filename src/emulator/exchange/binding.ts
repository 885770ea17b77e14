import { checkCall, getCmdletSpec, resolveParameter, type CallIssue } from "../../core/exchange/catalog";
import { CmdletError, EXCEPTION } from "./errors";

/**
 * Parameter binding for the emulator: the catalog's checkCall (the one definition of cmdlet
 * parameters) decides what is wrong; this module words it as PowerShell/Exchange do and returns
 * the parameters under their canonical names.
 */
export type BoundParameters = Readonly<Record<string, unknown>>;

/** .NET type names Exchange shows in conversion errors, by the catalog's short type name. */
const DOTNET_TYPES: Record<string, string> = {
  JournalRuleScope: "Microsoft.Exchange.MessagingPolicies.Journaling.JournalRuleScope",
  TlsAuthLevel: "Microsoft.Exchange.Data.TlsAuthLevel",
  TenantConnectorType: "Microsoft.Exchange.Data.TenantConnectorType",
  TenantConnectorSource: "Microsoft.Exchange.Data.TenantConnectorSource",
  MtaStsMode: "Microsoft.Exchange.Data.MtaStsMode",
  SmtpDaneMode: "Microsoft.Exchange.Data.SmtpDaneMode",
  GroupType: "Microsoft.Exchange.Management.RecipientTasks.GroupType",
  MemberUpdateType: "Microsoft.Exchange.Data.Directory.Recipient.MemberUpdateType",
  Boolean: "System.Boolean",
  "System.Boolean": "System.Boolean",
  Int32: "System.Int32",
  "System.Int32": "System.Int32",
  SwitchParameter: "System.Management.Automation.SwitchParameter",
  String: "System.String",
  SmtpAddress: "Microsoft.Exchange.Data.SmtpAddress",
  SmtpDomainWithSubdomains: "Microsoft.Exchange.Data.SmtpDomainWithSubdomains",
  DateTime: "System.DateTime",
  "System.DateTime": "System.DateTime",
  Guid: "System.Guid",
  "System.Guid": "System.Guid",
  Unlimited: "Microsoft.Exchange.Data.Unlimited`1[System.UInt32]",
  MultiValuedProperty: "Microsoft.Exchange.Data.MultiValuedProperty`1[System.String]",
  "String[]": "System.String[]",
};

export function dotnetType(shortType: string): string {
  return DOTNET_TYPES[shortType] ?? `Microsoft.Exchange.Data.${shortType.replace(/\[\]$/, "")}`;
}

function jsonTypeName(value: unknown): string {
  if (Array.isArray(value)) return "System.Object[]";
  if (typeof value === "number") return Number.isInteger(value) ? "System.Int32" : "System.Double";
  if (typeof value === "boolean") return "System.Boolean";
  if (typeof value === "object" && value !== null) return "System.Collections.Hashtable";
  return "System.String";
}

function display(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** PowerShell's wording for each binding issue. */
export function issueToError(issue: CallIssue, parameters: Readonly<Record<string, unknown>>): CmdletError {
  switch (issue.kind) {
    case "unknownCmdlet":
      return new CmdletError(
        EXCEPTION.commandNotFound,
        `The term '${issue.cmdlet}' is not recognized as a name of a cmdlet, function, script file, or executable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
      );
    case "unknownParameter":
      return new CmdletError(
        EXCEPTION.parameterBinding,
        `A parameter cannot be found that matches parameter name '${issue.parameter}'.`,
      );
    case "missingMandatory":
      return new CmdletError(
        EXCEPTION.parameterBinding,
        `Cannot process command because of one or more missing mandatory parameters: ${issue.parameters.join(" ")}.`,
      );
    case "badEnum":
      return new CmdletError(
        EXCEPTION.argumentTransformation,
        `Cannot process argument transformation on parameter '${issue.parameter}'. Cannot convert value "${issue.value}" to type "${dotnetType(issue.type)}". Error: "Unable to match the identifier name ${issue.value} to a valid enumerator name. Specify one of the following enumerator names and try again: ${issue.allowed.join(", ")}"`,
      );
    case "nullNotAllowed":
      return new CmdletError(
        EXCEPTION.parameterValidation,
        `Cannot bind argument to parameter '${issue.parameter}' because it is null.`,
      );
    case "tooLong": {
      const value = valueOf(parameters, issue.parameter);
      const length = typeof value === "string" ? value.length : 0;
      return new CmdletError(
        EXCEPTION.parameterBinding,
        `Cannot bind parameter '${issue.parameter}' to the target. Exception setting "${issue.parameter}": "The length of the property is too long. The maximum length is ${issue.max} and the length of the value provided is ${length}."`,
      );
    }
    case "wrongType":
      return wrongTypeError(issue.parameter, issue.expected, issue.value);
  }
}

function wrongTypeError(parameter: string, expected: string, value: unknown): CmdletError {
  const target = dotnetType(expected);
  if (expected === "Boolean" || expected === "System.Boolean") {
    return new CmdletError(
      EXCEPTION.argumentTransformation,
      `Cannot process argument transformation on parameter '${parameter}'. Cannot convert value "${jsonTypeName(value)}" to type "System.Boolean". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.`,
    );
  }
  if (expected === "SwitchParameter") {
    return new CmdletError(
      EXCEPTION.parameterBinding,
      `Cannot convert '${jsonTypeName(value)}' to the type 'System.Management.Automation.SwitchParameter' required by parameter '${parameter}'.`,
    );
  }
  if (typeof value === "string" || typeof value === "number") {
    return new CmdletError(
      EXCEPTION.argumentTransformation,
      `Cannot process argument transformation on parameter '${parameter}'. Cannot convert value "${display(value)}" to type "${target}". Error: "Input string was not in a correct format."`,
    );
  }
  return new CmdletError(
    EXCEPTION.parameterBinding,
    `Cannot convert '${jsonTypeName(value)}' to the type '${target}' required by parameter '${parameter}'. Specified method is not supported.`,
  );
}

function valueOf(parameters: Readonly<Record<string, unknown>>, canonical: string): unknown {
  for (const [k, v] of Object.entries(parameters)) if (k.toLowerCase() === canonical.toLowerCase()) return v;
  return undefined;
}

const BOOLEAN_PARAMETER_TYPES = new Set(["Boolean", "System.Boolean"]);
const INT_PARAMETER_TYPES = new Set(["Int32", "System.Int32"]);
/** `Unlimited<UInt32>` (ResultSize): a count or the word Unlimited. */
const UNLIMITED_PARAMETER_TYPES = new Set(["Unlimited"]);
const UINT32_MAX = 4294967295;

/**
 * The conversions PowerShell's binder makes before any type check: a number binds to a Boolean
 * parameter (0 is $false, anything else $true; its own error text says "Boolean parameters accept
 * only Boolean values and numbers"), and a string of digits binds to an Int32 one. A string binds
 * to `Unlimited<UInt32>` (ResultSize) through the type's Parse, which takes "Unlimited" in any case
 * and a number written as text: `-ResultSize unlimited` and `-ResultSize "3"` work in Exchange
 * Online PowerShell (the cmdlet help types ResultSize as `Unlimited`, "a whole number or the value
 * unlimited": https://learn.microsoft.com/powershell/module/exchangepowershell/get-mailbox#-resultsize),
 * and the REST transport sends what the caller typed, often as a JSON string.
 */
function coerceScalars(cmdlet: string, parameters: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const spec = getCmdletSpec(cmdlet);
  const out: Record<string, unknown> = { ...parameters };
  if (!spec) return out;
  for (const [name, value] of Object.entries(parameters)) {
    const type = resolveParameter(spec, name)?.spec.type;
    if (type === undefined) continue;
    if (BOOLEAN_PARAMETER_TYPES.has(type) && typeof value === "number" && Number.isFinite(value))
      out[name] = value !== 0;
    if (INT_PARAMETER_TYPES.has(type) && typeof value === "string" && /^\s*[+-]?\d{1,9}\s*$/.test(value))
      out[name] = Number(value);
    if (UNLIMITED_PARAMETER_TYPES.has(type) && typeof value === "string") {
      if (/^\s*unlimited\s*$/i.test(value)) out[name] = "Unlimited";
      else if (/^\s*\+?\d{1,10}\s*$/.test(value) && Number(value) <= UINT32_MAX) out[name] = Number(value);
    }
  }
  return out;
}

/**
 * Binds the call: the first binding issue becomes the error (PowerShell stops at the first),
 * otherwise the parameters come back under canonical names. PowerShell accepts one string for
 * a multi-valued parameter; it is normalised to an array here.
 */
export function bindParameters(cmdlet: string, given: Readonly<Record<string, unknown>>): BoundParameters {
  const parameters = coerceScalars(cmdlet, given);
  const issues = checkCall(cmdlet, parameters);
  const first = issues[0];
  if (first) throw issueToError(first, parameters);
  const spec = getCmdletSpec(cmdlet);
  if (!spec) throw issueToError({ kind: "unknownCmdlet", cmdlet }, parameters);
  const bound: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parameters)) {
    const resolved = resolveParameter(spec, name);
    if (!resolved) continue; // a common parameter (Verbose, ErrorAction, ...)
    const multi = resolved.spec.type === "MultiValuedProperty" || resolved.spec.type.endsWith("[]");
    bound[resolved.name] = multi && typeof value === "string" ? [value] : value;
  }
  return bound;
}

// ---- value conversions Exchange does after binding (SmtpAddress, domains, dates) ----

const SMTP_RE =
  /^[A-Za-z0-9!#$%&'+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export function isSmtpAddress(value: string): boolean {
  return SMTP_RE.test(value) && !value.includes("..");
}

/** Converts a string to an SmtpAddress or fails with Exchange's conversion message. */
export function toSmtpAddress(parameter: string, value: string): string {
  if (!isSmtpAddress(value)) {
    throw new CmdletError(
      EXCEPTION.argumentTransformation,
      `Cannot process argument transformation on parameter '${parameter}'. Cannot convert value "${value}" to type "Microsoft.Exchange.Data.SmtpAddress". Error: "The email address "${value}" isn't correct. Please use this format: user name, the @ sign, followed by the domain name. For example, tonysmith@contoso.com or tony.smith@contoso.com."`,
    );
  }
  return value;
}

const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const DOMAIN_RE = new RegExp(`^${LABEL}(?:\\.${LABEL})+$`);

/**
 * SmtpDomainWithSubdomains: "*" (every domain), "*.contoso.com" (and subdomains) or a plain
 * domain. A wildcard anywhere else ("a.*.b", "*contoso.com") is refused.
 */
export function toDomainWithSubdomains(parameter: string, value: string): string {
  const body = value.startsWith("*.") ? value.slice(2) : value;
  if (value === "*" || DOMAIN_RE.test(body)) return value.toLowerCase();
  throw new CmdletError(
    EXCEPTION.argumentTransformation,
    `Cannot process argument transformation on parameter '${parameter}'. Cannot convert value "${value}" to type "Microsoft.Exchange.Data.SmtpDomainWithSubdomains". Error: "The domain name "${value}" isn't valid."`,
  );
}

/** A smart host: FQDN, IPv4 address or IPv4 CIDR range. */
export function toSmartHost(parameter: string, value: string): string {
  const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(\/\d{1,2})?$/.exec(value);
  if (ipv4 && ipv4.slice(1, 5).every((o) => Number(o) <= 255)) return value;
  if (!ipv4 && DOMAIN_RE.test(value)) return value.toLowerCase();
  throw new CmdletError(
    EXCEPTION.argumentTransformation,
    `Cannot process argument transformation on parameter '${parameter}'. Cannot convert value "${value}" to type "Microsoft.Exchange.Data.SmartHost". Error: "Invalid smarthost '${value}'."`,
  );
}

export function toDate(parameter: string, value: unknown): Date {
  const date = typeof value === "string" ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) {
    throw new CmdletError(
      EXCEPTION.argumentTransformation,
      `Cannot process argument transformation on parameter '${parameter}'. Cannot convert value "${display(value)}" to type "System.DateTime". Error: "String '${display(value)}' was not recognized as a valid DateTime."`,
    );
  }
  return date;
}

/** PowerShell's ValidateRange wording. */
export function checkRange(parameter: string, value: number, min: number, max: number): void {
  if (value > max) {
    throw new CmdletError(
      EXCEPTION.parameterValidation,
      `Cannot validate argument on parameter '${parameter}'. The ${value} argument is greater than the maximum allowed range of ${max}. Supply an argument that is less than or equal to ${max} and then try the command again.`,
    );
  }
  if (value < min) {
    throw new CmdletError(
      EXCEPTION.parameterValidation,
      `Cannot validate argument on parameter '${parameter}'. The ${value} argument is less than the minimum allowed range of ${min}. Supply an argument that is greater than or equal to ${min} and then try the command again.`,
    );
  }
}

export function str(params: BoundParameters, name: string): string | undefined {
  const v = params[name];
  return typeof v === "string" ? v : undefined;
}

export function strList(params: BoundParameters, name: string): string[] | undefined {
  const v = params[name];
  if (v === null) return [];
  if (typeof v === "string") return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined;
}

export function bool(params: BoundParameters, name: string): boolean | undefined {
  const v = params[name];
  return typeof v === "boolean" ? v : undefined;
}

export function has(params: BoundParameters, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(params, name);
}

/** How many rows a Get- cmdlet returns, and whether the caller chose it (the truncation warning differs). */
export interface ResultSize {
  size: number;
  explicit: boolean;
}

/** Exchange's Get- cmdlets return 1000 rows unless -ResultSize says otherwise. */
export const DEFAULT_RESULT_SIZE = 1000;

/** ResultSize: a positive integer or "Unlimited" (bound by coerceScalars); default 1000 as Exchange's Get- cmdlets. */
export function resultSize(params: BoundParameters): ResultSize {
  const v = params.ResultSize;
  if (v === "Unlimited" || (typeof v === "string" && v.toLowerCase() === "unlimited")) {
    return { size: Number.POSITIVE_INFINITY, explicit: true };
  }
  return typeof v === "number" ? { size: v, explicit: true } : { size: DEFAULT_RESULT_SIZE, explicit: false };
}
