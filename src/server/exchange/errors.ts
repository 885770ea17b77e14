import type { ExchangeErrorCode } from "../../core/contract/codes";

export type { ExchangeErrorCode };

/**
 * Every way an Exchange call fails, as one error type with a stable code (the contract's
 * ExchangeErrorCode: the codes reach the pane in run actions, audit entries and validations). The
 * REST transport maps HTTP status, the `X-ExceptionType` header and `details[].message`
 * ("<id>|<ExceptionType>|<text>") onto these; the pwsh transport maps PowerShell's error records
 * onto the same codes.
 */

export class ExchangeError extends Error {
  constructor(
    readonly code: ExchangeErrorCode,
    message: string,
    readonly details: {
      readonly httpStatus?: number;
      readonly exceptionType?: string;
      /** For throttled: how long the service asked us to wait. */
      readonly retryAfterMs?: number;
    } = {},
  ) {
    super(message);
    this.name = "ExchangeError";
  }

  get retryable(): boolean {
    return this.code === "throttled" || this.code === "transient";
  }
}

const NOT_FOUND_TYPES = /NotFoundException|ObjectNotFound|MemberNotFound/i;
// "AlreadyExist" with or without the s: Exchange has both spellings among its exception types.
const ALREADY_EXISTS_TYPES = /AlreadyExist|ProxyAddressExists/i;
const CONCURRENCY_TEXT = /maximum number of concurrent requests/i;

export interface ParsedFailure {
  readonly exceptionType?: string;
  readonly message: string;
}

/**
 * A details[].message that is itself JSON: {"Message":"…","TypeName":"<ExceptionType>",
 * "StackTrace":null,"InnerError":null} (seen in a public Go admin API client's fixture of "a real 400
 * body"; reference §3 documents only the "<id>|<type>|<text>" form).
 */
function parseJsonDetail(text: string): ParsedFailure | undefined {
  if (!text.trimStart().startsWith("{")) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const { Message, TypeName } = parsed as { Message?: unknown; TypeName?: unknown };
  if (typeof Message !== "string") return undefined;
  return { ...(typeof TypeName === "string" && TypeName !== "" ? { exceptionType: TypeName } : {}), message: Message };
}

/**
 * Pulls the exception type and Exchange's own message out of an error body, whatever its shape:
 * JSON with details "<id>|<type>|<text>" or {"Message","TypeName"}, JSON with only error.message,
 * or plain text.
 */
export function parseFailureBody(text: string, headerType: string | undefined): ParsedFailure {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const plain = text.trim().slice(0, 500);
    return { ...(headerType ? { exceptionType: headerType } : {}), message: plain || "no message" };
  }
  const err = (json as { error?: unknown }).error;
  if (typeof err !== "object" || err === null) {
    return { ...(headerType ? { exceptionType: headerType } : {}), message: text.slice(0, 500) };
  }
  const e = err as { message?: unknown; details?: unknown; innererror?: { type?: unknown } };
  const details = Array.isArray(e.details) ? e.details : [];
  for (const d of details) {
    const m = (d as { message?: unknown }).message;
    if (typeof m !== "string") continue;
    const fromJson = parseJsonDetail(m);
    if (fromJson) {
      const type = fromJson.exceptionType ?? headerType;
      return { ...(type ? { exceptionType: type } : {}), message: fromJson.message };
    }
    const parts = m.split("|");
    if (parts.length >= 3) {
      const type = parts[1]?.trim() || headerType;
      return { ...(type ? { exceptionType: type } : {}), message: parts.slice(2).join("|").trim() };
    }
    return { ...(headerType ? { exceptionType: headerType } : {}), message: m };
  }
  const message = typeof e.message === "string" ? e.message : "no message";
  const inner = typeof e.innererror?.type === "string" ? e.innererror.type : undefined;
  const type = headerType ?? inner;
  return { ...(type ? { exceptionType: type } : {}), message };
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Maps one failed HTTP answer from the admin API to an ExchangeError. */
export function classifyHttpFailure(
  cmdlet: string,
  status: number,
  headers: Readonly<Record<string, string>>,
  text: string,
  nowMs: number,
): ExchangeError {
  const parsed = parseFailureBody(text, headers["x-exceptiontype"]);
  const base = { httpStatus: status, ...(parsed.exceptionType ? { exceptionType: parsed.exceptionType } : {}) };
  const retryAfterMs = parseRetryAfter(headers["retry-after"], nowMs);
  if (status === 429 || CONCURRENCY_TEXT.test(parsed.message)) {
    return new ExchangeError("throttled", `${cmdlet} was throttled: ${parsed.message}`, {
      ...base,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  if (status === 408 || status >= 500) {
    // A cmdlet error (400-style body) never arrives with 5xx from the admin API except the
    // generic 500 "Error executing cmdlet" that carries details; classify those by type first.
    if (parsed.exceptionType && status === 500 && !/Transient|Timeout|ServerBusy/i.test(parsed.exceptionType)) {
      const byType = classifyByType(cmdlet, parsed, base);
      if (byType) return byType;
    }
    return new ExchangeError("transient", `${cmdlet} failed temporarily (HTTP ${status}): ${parsed.message}`, {
      ...base,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  if (status === 401 && /not allowed to call/i.test(parsed.message)) {
    return new ExchangeError(
      "access_denied",
      `${parsed.message} (the signed-in user's Exchange roles don't include it)`,
      base,
    );
  }
  if (status === 401) {
    return new ExchangeError("unauthenticated", `Exchange refused the access token: ${parsed.message}`, base);
  }
  if (status === 403) {
    return new ExchangeError("access_denied", `Exchange denied ${cmdlet}: ${parsed.message}`, base);
  }
  const byType = classifyByType(cmdlet, parsed, base);
  if (byType) return byType;
  if (status === 404) return new ExchangeError("not_found", parsed.message, base);
  return new ExchangeError("validation", parsed.message, base);
}

/** Maps a PowerShell exception (pwsh transport) onto the same codes. */
export function classifyException(cmdlet: string, exceptionType: string, message: string): ExchangeError {
  if (CONCURRENCY_TEXT.test(message) || /throttl|micro delay/i.test(message)) {
    return new ExchangeError("throttled", `${cmdlet} was throttled: ${message}`, { exceptionType });
  }
  if (/CommandNotFoundException/.test(exceptionType)) {
    return new ExchangeError("access_denied", `${cmdlet} is not available to the signed-in user (${message})`, {
      exceptionType,
    });
  }
  if (/Timeout|ServerBusy|Transient|HttpRequestException|WebException/i.test(exceptionType)) {
    return new ExchangeError("transient", `${cmdlet} failed temporarily: ${message}`, { exceptionType });
  }
  return (
    classifyByType(cmdlet, { exceptionType, message }, { httpStatus: 0, exceptionType }) ??
    new ExchangeError("validation", message, { exceptionType })
  );
}

function classifyByType(
  _cmdlet: string,
  parsed: ParsedFailure,
  base: { httpStatus: number; exceptionType?: string },
): ExchangeError | undefined {
  const type = parsed.exceptionType ?? "";
  if (NOT_FOUND_TYPES.test(type)) return new ExchangeError("not_found", parsed.message, base);
  if (ALREADY_EXISTS_TYPES.test(type)) return new ExchangeError("already_exists", parsed.message, base);
  if (/AccessDenied|Unauthorized|PermissionDenied/i.test(type))
    return new ExchangeError("access_denied", parsed.message, base);
  if (type !== "") return new ExchangeError("validation", parsed.message, base);
  return undefined;
}
