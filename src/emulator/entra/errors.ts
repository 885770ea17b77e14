import { newGuid } from "../ids";
import { json, type EmulatorResponse } from "../http/router";

/**
 * Entra ID's error response: `error` (OAuth code), `error_description` beginning with
 * "AADSTS<n>: " and ending with Trace ID / Correlation ID / Timestamp lines, `error_codes`,
 * `timestamp`, `trace_id`, `correlation_id`, `error_uri`.
 */
export interface EntraError {
  /** HTTP status: 400 for invalid_request / invalid_grant / invalid_scope, 401 for invalid_client. */
  status: number;
  error: string;
  code: number;
  message: string;
  suberror?: string;
  claims?: string;
}

export function entraError(
  code: number,
  error: string,
  message: string,
  status = 400,
  extra: Partial<EntraError> = {},
): EntraError {
  return { status, error, code, message, ...extra };
}

export interface EntraErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
  suberror?: string;
  claims?: string;
}

export function entraErrorBody(err: EntraError, now: Date, correlationId: string = newGuid()): EntraErrorBody {
  const traceId = newGuid();
  // Entra's timestamp: "2026-01-05 09:00:00Z" in the body, the same instant in the description.
  const timestamp = now
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d{3}Z$/, "Z");
  const body: EntraErrorBody = {
    error: err.error,
    error_description: `AADSTS${err.code}: ${err.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [err.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${err.code}`,
  };
  if (err.suberror !== undefined) body.suberror = err.suberror;
  if (err.claims !== undefined) body.claims = err.claims;
  return body;
}

export function entraErrorResponse(
  err: EntraError,
  now: Date,
  correlationId?: string,
  headers: Record<string, string> = {},
): EmulatorResponse {
  return json(err.status, entraErrorBody(err, now, correlationId), {
    "cache-control": "no-store, no-cache",
    pragma: "no-cache",
    ...headers,
  });
}

/** The AADSTS errors the emulator produces, with Entra's wording. */
export const AADSTS = {
  unknownTenant: (tenant: string): EntraError =>
    entraError(
      90002,
      "invalid_request",
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  noTenantInfo: (): EntraError =>
    entraError(
      50059,
      "invalid_request",
      "No tenant-identifying information found in either the request or implied by any provided credentials.",
    ),
  missingParameter: (name: string): EntraError =>
    entraError(900144, "invalid_request", `The request body must contain the following parameter: '${name}'.`),
  unsupportedGrant: (grant: string): EntraError =>
    entraError(70003, "unsupported_grant_type", `The app requested an unsupported grant type '${grant}'.`),
  unknownApp: (appId: string, tenantName: string): EntraError =>
    entraError(
      700016,
      "unauthorized_client",
      `Application with identifier '${appId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  missingSecret: (): EntraError =>
    entraError(
      7000218,
      "invalid_client",
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      401,
    ),
  badSecret: (appId: string): EntraError =>
    entraError(
      7000215,
      "invalid_client",
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${appId}'.`,
      401,
    ),
  publicClientNotAllowed: (): EntraError =>
    entraError(
      700025,
      "invalid_client",
      "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
      401,
    ),
  redirectMismatch: (redirectUri: string, appId: string): EntraError =>
    entraError(
      50011,
      "invalid_request",
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${appId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`,
    ),
  invalidScope: (scope: string): EntraError =>
    entraError(
      70011,
      "invalid_scope",
      `The provided value for the input parameter 'scope' is not valid. The scope '${scope}' does not exist.`,
    ),
  scopeMultipleResources: (): EntraError =>
    entraError(
      28000,
      "invalid_scope",
      "Provided value for the input parameter scope is not valid because it contains more than one resource. Scope <scopes> is not valid.",
    ),
  clientCredentialsScope: (scope: string): EntraError =>
    entraError(
      1002012,
      "invalid_scope",
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  unknownResource: (resource: string, tenantName: string): EntraError =>
    entraError(
      500011,
      "invalid_resource",
      `The resource principal named ${resource} was not found in the tenant named ${tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    ),
  consentRequired: (appId: string, appName: string): EntraError =>
    entraError(
      65001,
      "invalid_grant",
      `The user or administrator has not consented to use the application with ID '${appId}' named '${appName}'. Send an interactive authorization request for this user and resource.`,
      400,
      { suberror: "consent_required" },
    ),
  badPassword: (): EntraError =>
    entraError(50126, "invalid_grant", "Error validating credentials due to invalid username or password."),
  userNotInTenant: (upn: string, tenantName: string): EntraError =>
    entraError(
      50034,
      "invalid_grant",
      `The user account {EUII Hidden} does not exist in the ${tenantName} directory. To sign into this application, the account must be added to the directory.`,
    ),
  userDisabled: (): EntraError =>
    entraError(
      50057,
      "invalid_grant",
      "The user account is disabled. The user object in Active Directory backing this account has been disabled. An admin can re-enable this account through PowerShell",
    ),
  codeExpired: (): EntraError =>
    entraError(
      70008,
      "invalid_grant",
      "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
    ),
  codeRedeemed: (): EntraError =>
    entraError(
      54005,
      "invalid_grant",
      "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
    ),
  badCode: (): EntraError => entraError(9002313, "invalid_grant", "Invalid request. Request is malformed or invalid."),
  codeClientMismatch: (): EntraError => entraError(70000, "invalid_grant", "Provided grant is invalid or malformed."),
  pkceMismatch: (): EntraError =>
    entraError(
      501481,
      "invalid_grant",
      "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
    ),
  pkceMissing: (): EntraError =>
    entraError(
      9002325,
      "invalid_request",
      "Proof Key for Code Exchange is required for cross-origin authorization code redemption.",
    ),
  badRefreshToken: (): EntraError =>
    entraError(9002313, "invalid_grant", "Invalid request. Request is malformed or invalid."),
  refreshTokenOtherClient: (): EntraError =>
    entraError(70000, "invalid_grant", "Provided grant is invalid or malformed."),
  badAssertion: (detail: string): EntraError =>
    entraError(50013, "invalid_grant", `Assertion failed signature validation. [Reason - ${detail}]`),
  assertionAudience: (audience: string, clientId: string): EntraError =>
    entraError(
      50013,
      "invalid_grant",
      `Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '${audience}' and the expected audience is '${clientId}' or one of the Application Id URIs of this application.`,
    ),
  assertionTenant: (): EntraError =>
    entraError(
      50013,
      "invalid_grant",
      "Assertion failed signature validation. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: 'unknown'.] The assertion was issued by another tenant.",
    ),
  assertionExpired: (): EntraError =>
    entraError(
      500133,
      "invalid_grant",
      "Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token.",
    ),
  oboRequiresUser: (): EntraError =>
    entraError(50013, "invalid_grant", "Assertion contains no user: on-behalf-of needs a delegated (user) token."),
  loginRequired: (): EntraError =>
    entraError(50058, "login_required", "A silent sign-in request was sent but no user is signed in."),
  invalidRequest: (message: string): EntraError => entraError(900144, "invalid_request", message),
  responseTypeUnsupported: (rt: string): EntraError =>
    entraError(700054, "unsupported_response_type", `response_type '${rt}' is not enabled for the application.`),
  pkceMethod: (): EntraError =>
    entraError(
      501491,
      "invalid_request",
      "Invalid size of Code_Challenge parameter, or code_challenge_method is not 'S256'.",
    ),

  // ---- Device authorization grant ----
  // Error names: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code ("Expected
  // errors": authorization_pending, authorization_declined, bad_verification_code, expired_token).
  /** Wording as Entra answered a poll in 2022 (learn.microsoft.com/answers/questions/981553). */
  deviceAuthorizationPending: (): EntraError =>
    entraError(
      70016,
      "authorization_pending",
      "The provided request has not yet been authorized by the user. The user must input their code.",
    ),
  /**
   * [emulator] the documented error name; the code is Entra's UserDeclinedConsent (AADSTS65004,
   * reference-error-codes: "User declined to consent to access the app") as no observed response was found.
   */
  deviceAuthorizationDeclined: (): EntraError =>
    entraError(65004, "authorization_declined", "User declined to consent to access the app."),
  /**
   * [emulator] the documented error name with AADSTS70018 BadVerificationCode (reference-error-codes);
   * the sentence follows the observed AADSTS70020 wording for the same parameter.
   */
  badDeviceCode: (): EntraError =>
    entraError(
      70018,
      "bad_verification_code",
      "The provided value for the input parameter 'device_code' is not valid.",
    ),
  /** Observed text (Azure/azure-cli#22251, ramosbugs/oauth2-rs#193): expired_token with AADSTS70020. */
  deviceCodeExpired: (): EntraError =>
    entraError(
      70020,
      "expired_token",
      "The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
    ),

  // ---- Certificate client assertions (private_key_jwt) ----
  // https://learn.microsoft.com/entra/identity-platform/certificate-credentials : a JWT signed with a
  // certificate registered on the app, header `x5t` (SHA-1) or `x5t#S256`, claims aud = the token
  // endpoint, iss = sub = client id, exp, nbf, jti.
  assertionTypeMissing: (): EntraError =>
    entraError(
      900144,
      "invalid_request",
      "The request body must contain the following parameter: 'client_assertion_type'.",
    ),
  /** [emulator] wording not observed; the code is Entra's "invalid JWT" family (AADSTS50027). */
  assertionTypeInvalid: (): EntraError =>
    entraError(
      50027,
      "invalid_request",
      "The client_assertion_type must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.",
    ),
  // Observed responses kept as MSAL.NET's test fixtures (AzureAD/microsoft-authentication-library-for-dotnet,
  // tests/.../MockHelpers.cs, captured 2023-12-11): AADSTS5002723, 5002738, 50027, 90014, 700021, 700024.
  assertionNoThumbprint: (): EntraError =>
    entraError(
      5002723,
      "invalid_client",
      "Invalid JWT token. No certificate SHA-1 thumbprint, certificate SHA-256 thumbprint, nor keyId specified in token header.",
      401,
    ),
  /** [emulator] the observed list names RS256-RS512; PS256 (what MSAL sends with x5t#S256) is accepted too. */
  assertionAlgorithm: (alg: string): EntraError =>
    entraError(
      5002738,
      "invalid_client",
      `Invalid JWT token. '${alg}' is not a supported signature algorithm. Supported signing algorithms are: 'RS256,RS384,RS512'`,
      401,
    ),
  assertionMalformed: (): EntraError => entraError(50027, "invalid_request", "JWT token is invalid or malformed."),
  assertionMissingField: (field: string): EntraError =>
    entraError(
      90014,
      "invalid_request",
      `The required field '${field}' is missing from the credential. Ensure that you have all the necessary parameters for the login request.`,
    ),
  assertionIssuer: (): EntraError =>
    entraError(
      700021,
      "invalid_client",
      "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .",
      401,
    ),
  /** [emulator] [unverified wording] AADSTS700023: the assertion's `aud` is not this tenant's token endpoint. */
  assertionAudienceRealm: (): EntraError =>
    entraError(
      700023,
      "invalid_client",
      "Client assertion audience claim does not match Realm issuer. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .",
      401,
    ),
  /**
   * Observed text, current form (AzureAD/microsoft-authentication-library-for-js#8339, 2026; and
   * Azure/azure-sdk-for-net#29007): the thumbprint names no certificate of the app.
   */
  assertionKeyNotFound: (thumbprint: string, appId: string): EntraError =>
    entraError(
      700027,
      "invalid_client",
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', ${GRAPH_KEYS_HINT(appId)}]. Alternatively, SNI may be configured on the app. Please ensure that client assertion is being sent with the x5c claim in the JWT header using MSAL's WithSendX5C() method so that Azure Active Directory can validate the certificate being used.`,
      401,
    ),
  /** Observed text (microsoftgraph/msgraph-sdk-php#1585): the key exists but the signature does not verify. */
  assertionBadSignature: (thumbprint: string, found: string, appId: string): EntraError =>
    entraError(
      700027,
      "invalid_client",
      `Client assertion contains an invalid signature. [Reason - Key was found, but use of the key to verify the signature failed., Thumbprint of key used by client: '${thumbprint}', Found key '${found}', ${GRAPH_KEYS_HINT(appId)}].`,
      401,
    ),
  /**
   * Observed text (AzureAD/microsoft-authentication-library-for-java#984, 2025): times in .NET
   * round-trip format; a missing `nbf` reads as 1970-01-01.
   */
  assertionTimeRange: (now: string, validFrom: string, expiry: string): EntraError =>
    entraError(
      700024,
      "invalid_client",
      `Client assertion is not within its valid time range. Current time: ${now}, assertion valid from ${validFrom}, expiry time of assertion ${expiry}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
      401,
    ),
} as const;

function GRAPH_KEYS_HINT(appId: string): string {
  return `Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${appId}'. Review the documentation at https://docs.microsoft.com/en-us/graph/deployments to determine the corresponding service endpoint and https://docs.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http to build a query request URL, such as 'https://graph.microsoft.com/beta/applications/${appId}'`;
}
