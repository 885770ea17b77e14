/**
 * PowerShell literal quoting. Inside a single-quoted string nothing is expanded ($, backtick,
 * semicolon, newline are plain text); the only way out is a quote character, and PowerShell
 * treats the typographic single quotes U+2018..U+201B as quotes too, so each of them is doubled,
 * exactly as System.Management.Automation.Language.CodeGeneration.EscapeSingleQuotedStringContent does.
 */
const QUOTE_CHARS = /['\u2018\u2019\u201A\u201B]/g;

export function quoteLiteral(value: string): string {
  return `'${value.replace(QUOTE_CHARS, (q) => q + q)}'`;
}

export function renderValue(value: string | number | boolean | null | readonly string[]): string {
  if (value === null) return "$null";
  if (typeof value === "boolean") return value ? "$true" : "$false";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError("cannot render a non-finite number");
    return String(value);
  }
  if (typeof value === "string") return quoteLiteral(value);
  return `@(${value.map(quoteLiteral).join(",")})`;
}
