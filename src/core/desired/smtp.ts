/**
 * Address rules as Exchange Online applies them to SmtpAddress parameters: an RFC 5321
 * dot-atom local part (no quoted strings, which Exchange refuses for recipients) and a
 * DNS domain with at least two labels.
 */
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
const LOCAL_PART = new RegExp(`^${ATEXT}+(?:\\.${ATEXT}+)*$`);
const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

export const MAX_LOCAL_PART = 64;
export const MAX_ADDRESS = 254;

export function isValidLocalPart(value: string): boolean {
  return value.length > 0 && value.length <= MAX_LOCAL_PART && LOCAL_PART.test(value);
}

export function isValidDomain(value: string): boolean {
  if (value.length === 0 || value.length > 253) return false;
  const labels = value.split(".");
  if (labels.length < 2) return false;
  if (!labels.every((l) => LABEL.test(l))) return false;
  return /[A-Za-z]/.test(labels[labels.length - 1] ?? "");
}

export function isValidSmtpAddress(value: string): boolean {
  if (value.length > MAX_ADDRESS) return false;
  const at = value.lastIndexOf("@");
  if (at <= 0) return false;
  return isValidLocalPart(value.slice(0, at)) && isValidDomain(value.slice(at + 1));
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1).toLowerCase();
}

/** Exchange compares addresses and domains case-insensitively. */
export function sameAddress(a: string | null | undefined, b: string | null | undefined): boolean {
  return (a ?? "").toLowerCase() === (b ?? "").toLowerCase();
}

/** Exchange prints an unset SmtpAddress as "<>". */
export function isUnsetAddress(value: string | null | undefined): boolean {
  return value === null || value === undefined || value === "" || value === "<>";
}
