import { OboError } from "../auth/obo";
import { ApiError } from "../errors";
import { ExchangeError } from "../exchange/errors";
import { ObservedStateError } from "../tenant/observe";

/**
 * Errors from Fastify (the body) and from the layers below, in words the pane can show; anything
 * else is an internal error (undefined here; the pipeline answers 500 without details).
 */
export function toApiError(err: unknown, maxBodyBytes: number): ApiError | undefined {
  if (err instanceof ApiError) return err;
  const body = bodyError(err, maxBodyBytes);
  if (body) return body;
  if (err instanceof ExchangeError) {
    if (err.code === "access_denied") {
      return new ApiError(403, "exchange_access_denied", `Exchange refused: ${err.message}`);
    }
    if (err.code === "throttled") {
      const seconds = Math.ceil((err.details.retryAfterMs ?? 30_000) / 1000);
      return new ApiError(
        503,
        "exchange_throttled",
        "Exchange is throttling this tenant; try again shortly.",
        {},
        { "retry-after": String(seconds) },
      );
    }
    return new ApiError(502, `exchange_${err.code}`, `Exchange answered with an error: ${err.message}`);
  }
  if (err instanceof OboError) {
    return err.consentOrInteraction
      ? new ApiError(
          401,
          "interaction_required",
          "Sign in again to let the assistant reach Exchange for you.",
          {},
          {
            "www-authenticate": 'Bearer realm="journaling-assistant", error="insufficient_claims"',
          },
        )
      : new ApiError(
          502,
          "token_exchange_failed",
          "The assistant could not get an Exchange token for you; try again shortly.",
        );
  }
  if (err instanceof ObservedStateError) return new ApiError(502, err.code, err.message);
  return undefined;
}

/** Fastify's refusals of a request body (its content-type parsers), as the API's codes. */
function bodyError(err: unknown, maxBodyBytes: number): ApiError | undefined {
  if (!(err instanceof Error)) return undefined;
  const { code, statusCode } = err as Error & { code?: unknown; statusCode?: unknown };
  if (code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return unsupportedMediaType();
  if (code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    return new ApiError(
      413,
      "payload_too_large",
      `The request body is larger than ${Math.round(maxBodyBytes / 1024)} KiB.`,
    );
  }
  // A body that ended early, disagrees with its Content-Length, or could not be read at all.
  if ((typeof code === "string" && code.startsWith("FST_ERR_CTP_")) || statusCode === 400) {
    return new ApiError(400, "invalid_json", "The request body could not be read.");
  }
  return undefined;
}

export function unsupportedMediaType(): ApiError {
  return new ApiError(415, "unsupported_media_type", "Send the body as application/json.");
}
