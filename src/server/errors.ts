import type { ApiErrorBody, ApiErrorCode, ApiErrorExtra } from "../core/contract";
import type { FieldError } from "../core/errors";

/**
 * An error the API answers with: HTTP status + stable code + a message safe to show, as the
 * contract's ApiErrorBody. Anything else that escapes a handler becomes 500 "internal_error"
 * without details.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly extra: ApiErrorExtra = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  toBody(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, ...this.extra } };
  }
}

export function invalidRequest(fieldErrors: readonly FieldError[]): ApiError {
  return new ApiError(400, "invalid_request", "The request body is not valid.", { fieldErrors });
}

export function notFound(what: string): ApiError {
  return new ApiError(404, "not_found", `${what} was not found.`);
}
