import { hashString } from "./prng";

/**
 * A cmdlet failure as the admin API reports it. Over REST every cmdlet error has the same body:
 * error.code named after the HTTP status (errorCodeForStatus), error.message "Error executing
 * cmdlet", and the real reason in details[0].message as "<errorId>|<ExceptionType>|<text>" (shape
 * seen in public clients: CIPP, GreyCorbel/ExoHelper, and a captured body with
 * "Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation
 * couldn't be performed because object '…' couldn't be found on '…'.").
 */
export class CmdletError extends Error {
  constructor(
    readonly exceptionType: string,
    message: string,
    readonly errorId: string = errorIdFor(exceptionType),
    /** Not-found errors answer 404 (clients retry them while objects replicate); others 400. */
    readonly httpStatus: number = 400,
  ) {
    super(message);
    this.name = "CmdletError";
  }
}

/** Throttling of a specific cmdlet family (message trace), answered as 429. */
export class ThrottledError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = "ThrottledError";
  }
}

/**
 * The caller's roles don't include the cmdlet. Over REST Exchange answers HTTP 401 with
 * {"error":{"code":"Unauthorized","message":"User is not allowed to call Get-Mailbox",
 * "innererror":{...,"type":"Microsoft.Exchange.Admin.OData.Core.ODataServiceException"}}}
 * (captured in MicrosoftDocs/office-docs-powershell#7970, app-only with too small a role); the
 * PowerShell module shows the same case as "The term '<cmdlet>' is not recognized ...".
 */
export class AccessDeniedError extends Error {
  constructor(readonly cmdlet: string) {
    super(`User is not allowed to call ${cmdlet}`);
    this.name = "AccessDeniedError";
  }
}

/** Known ids from real errors; others get a stable id derived from the exception type. */
const KNOWN_ERROR_IDS: Record<string, string> = {
  "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException": "Ex6F9304",
};

function errorIdFor(exceptionType: string): string {
  return (
    KNOWN_ERROR_IDS[exceptionType] ??
    `Ex${(hashString(exceptionType) & 0xffffff).toString(16).toUpperCase().padStart(6, "0")}`
  );
}

export const EXCEPTION = {
  notFound: "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException",
  ambiguous: "Microsoft.Exchange.Configuration.Tasks.ManagementObjectAmbiguousException",
  alreadyExists: "Microsoft.Exchange.Configuration.Tasks.ManagementObjectAlreadyExistsException",
  adAlreadyExists: "Microsoft.Exchange.Data.Directory.ADObjectAlreadyExistsException",
  invalidOperation: "System.InvalidOperationException",
  argument: "System.ArgumentException",
  parameterBinding: "System.Management.Automation.ParameterBindingException",
  argumentTransformation: "System.Management.Automation.ParameterBindingArgumentTransformationException",
  parameterValidation: "System.Management.Automation.ParameterBindingValidationException",
  commandNotFound: "System.Management.Automation.CommandNotFoundException",
  dataValidation: "Microsoft.Exchange.Data.DataValidationException",
  memberAlreadyExists: "Microsoft.Exchange.Management.Tasks.MemberAlreadyExistsException",
  memberNotFound: "Microsoft.Exchange.Management.Tasks.MemberNotFoundException",
  proxyAddressExists: "Microsoft.Exchange.Data.Directory.ProxyAddressExistsException",
  operationRequiresGroupManager: "Microsoft.Exchange.Configuration.Tasks.OperationRequiresGroupManagerException",
} as const;

export function objectNotFound(identity: string, domainController: string): CmdletError {
  return new CmdletError(
    EXCEPTION.notFound,
    `The operation couldn't be performed because object '${identity}' couldn't be found on '${domainController}'.`,
    undefined,
    404,
  );
}

/** How a RecipientIdParameter that names nothing fails (e.g. -Member, -Members, -Recipient). */
export function recipientNotFound(identity: string): CmdletError {
  return new CmdletError(
    EXCEPTION.notFound,
    `Couldn't find object "${identity}". Please make sure that it was spelled correctly or specify a different object.`,
    undefined,
    404,
  );
}

export function ambiguousIdentity(identity: string): CmdletError {
  return new CmdletError(
    EXCEPTION.ambiguous,
    `The operation couldn't be performed because '${identity}' matches multiple entries.`,
  );
}

export interface AdminApiErrorBody {
  error: {
    code: string;
    message: string;
    details: { code: string; target: string; message: string }[];
    innererror: { message: string; type: string; internalexception?: { message: string; type: string } };
    "adminapi.warnings@odata.type": "#Collection(String)";
    "@adminapi.warnings": string[];
  };
}

/**
 * error.code follows the HTTP status, as OData names it. A real not-found answer (404), captured in
 * a public script (Remove-Mailbox over the V3 module's REST transport, 2023-08-18):
 * {"code":"NotFound","message":"Error executing cmdlet","details":[{"code":"Client","target":"",
 * "message":"Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The
 * operation couldn't be performed because object '…' couldn't be found on '…'."}],"innererror":{
 * "message":"Error executing cmdlet","type":"Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
 * …,"internalexception":{…DirectInvokeCmdletExecutionException…}},"adminapi.warnings@odata.type":
 * "#Collection(String)","@adminapi.warnings":[]}; a public Go admin API client's fixture of "a real
 * 400 body" has {"code":"BadRequest","message":"Error executing cmdlet",…}.
 */
export function errorCodeForStatus(status: number): string {
  const codes: Record<number, string> = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    429: "TooManyRequests",
    500: "InternalServerError",
    503: "ServiceUnavailable",
  };
  return codes[status] ?? (status >= 500 ? "InternalServerError" : "BadRequest");
}

export function cmdletErrorBody(err: CmdletError): AdminApiErrorBody {
  return {
    error: {
      code: errorCodeForStatus(err.httpStatus),
      message: "Error executing cmdlet",
      details: [{ code: "Client", target: "", message: `${err.errorId}|${err.exceptionType}|${err.message}` }],
      innererror: {
        message: "Error executing cmdlet",
        type: "Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
        internalexception: {
          message:
            "Exception of type 'Microsoft.Exchange.Management.PSDirectInvoke.DirectInvokeCmdletExecutionException' was thrown.",
          type: "Microsoft.Exchange.Management.PSDirectInvoke.DirectInvokeCmdletExecutionException",
        },
      },
      "adminapi.warnings@odata.type": "#Collection(String)",
      "@adminapi.warnings": [],
    },
  };
}
