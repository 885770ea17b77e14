import { header } from "../http/router";
import type { EmulatorRequest } from "../http/types";

/**
 * The caller's correlation id, which Entra echoes as `correlation_id` (and in the description's
 * "Correlation ID:" line) of every error. Clients send it as the `client-request-id` header
 * (MSAL.js, ADAL) or as a `client-request-id` query or form parameter: msal-node adds it to the
 * token request body (msal-common RequestParameterBuilder.addCorrelationId) and MSAL.js to the
 * authorize URL. Header first, then query, then body. Without one Entra makes a fresh GUID.
 * Source: https://learn.microsoft.com/entra/identity-platform/reference-error-codes ("correlation_id:
 * A unique identifier for the request that can help in diagnostics across components") and MSAL's
 * request builders.
 */
export function requestCorrelationId(req: EmulatorRequest, form?: URLSearchParams): string | undefined {
  const candidates = [
    header(req, "client-request-id"),
    req.query.get("client-request-id"),
    form?.get("client-request-id"),
  ];
  for (const value of candidates) {
    if (value !== undefined && value !== null && value.trim() !== "") return value.trim();
  }
  return undefined;
}
