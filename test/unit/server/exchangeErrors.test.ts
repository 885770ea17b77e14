import { classifyHttpFailure, parseRetryAfter } from "../../../src/server/exchange/errors";

const body = (type: string, text: string): string =>
  JSON.stringify({
    error: {
      code: "InternalServerError",
      message: "Error executing cmdlet",
      details: [{ code: "Client", target: "", message: `Ex6F9304|${type}|${text}` }],
    },
  });

test.each([
  [
    404,
    body(
      "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException",
      "The operation couldn't be performed because object 'x' couldn't be found on 'y'.",
    ),
    "not_found",
  ],
  [
    400,
    body(
      "Microsoft.Exchange.Data.Directory.ADObjectAlreadyExistsException",
      "An object with the name 'x' already exists.",
    ),
    "already_exists",
  ],
  [400, body("Microsoft.Exchange.Management.Tasks.MemberAlreadyExistsException", "already a member"), "already_exists"],
  [400, body("System.ArgumentException", "JournalingReportNdrTo can't be a group."), "validation"],
  [
    401,
    JSON.stringify({ error: { code: "Unauthorized", message: "User is not allowed to call New-JournalRule" } }),
    "access_denied",
  ],
  [401, JSON.stringify({ error: { code: "Unauthorized", message: "Token expired" } }), "unauthenticated"],
  [
    429,
    "You have reached the maximum number of concurrent requests per tenant. Please wait and try again",
    "throttled",
  ],
  [
    400,
    "You have reached the maximum number of concurrent requests per tenant. Please wait and try again",
    "throttled",
  ],
  [503, "<html>Service Unavailable</html>", "transient"],
  [504, "", "transient"],
  [408, "timeout", "transient"],
])("HTTP %d → %s", (status, text, code) => {
  expect(classifyHttpFailure("New-JournalRule", status, {}, text, 0).code).toBe(code);
});

test("Exchange's own message is kept for validation errors", () => {
  const e = classifyHttpFailure(
    "Set-TransportConfig",
    400,
    {},
    body("System.ArgumentException", "JournalingReportNdrTo can't be a group."),
    0,
  );
  expect(e.message).toBe("JournalingReportNdrTo can't be a group.");
  expect(e.details.exceptionType).toBe("System.ArgumentException");
});

test("X-ExceptionType classifies a body without details", () => {
  const e = classifyHttpFailure(
    "Get-JournalRule",
    400,
    { "x-exceptiontype": "ManagementObjectNotFoundException" },
    "oops",
    0,
  );
  expect(e.code).toBe("not_found");
});

test("Retry-After in seconds or as a date", () => {
  expect(parseRetryAfter("7", 0)).toBe(7000);
  expect(parseRetryAfter(new Date(10_000).toUTCString(), 0)).toBe(10_000);
  expect(parseRetryAfter("soon", 0)).toBeUndefined();
  expect(classifyHttpFailure("Get-X", 429, { "retry-after": "3" }, "{}", 0).details.retryAfterMs).toBe(3000);
});

describe("details[].message as JSON ({Message, TypeName}), as some admin API answers carry it", () => {
  // Shape of "a real 400 body" kept as a fixture by a public Go admin API client.
  const jsonDetail = (status: "BadRequest" | "NotFound", type: string, text: string): string =>
    JSON.stringify({
      error: {
        code: status,
        message: "Error executing cmdlet",
        details: [
          {
            code: "Context",
            target: "",
            message: JSON.stringify({ Message: text, TypeName: type, StackTrace: null, InnerError: null }),
          },
        ],
        innererror: { message: "Error executing cmdlet", type: "ODataServiceException" },
      },
    });

  test("an already-exists answer is already_exists with Exchange's own words", () => {
    const e = classifyHttpFailure(
      "New-DistributionGroup",
      400,
      {},
      jsonDetail(
        "BadRequest",
        "Microsoft.Exchange.Data.Directory.ADObjectAlreadyExistsException",
        "The object 'CN=rg' already exists.",
      ),
      0,
    );
    expect({ code: e.code, message: e.message, type: e.details.exceptionType }).toEqual({
      code: "already_exists",
      message: "The object 'CN=rg' already exists.",
      type: "Microsoft.Exchange.Data.Directory.ADObjectAlreadyExistsException",
    });
  });

  test("a not-found answer is not_found", () => {
    const e = classifyHttpFailure(
      "Get-JournalRule",
      404,
      {},
      jsonDetail(
        "NotFound",
        "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException",
        "The operation couldn't be performed because object 'rg' couldn't be found.",
      ),
      0,
    );
    expect([e.code, e.message]).toEqual([
      "not_found",
      "The operation couldn't be performed because object 'rg' couldn't be found.",
    ]);
  });

  test("a detail that only looks like JSON stays text", () => {
    const text = JSON.stringify({ error: { code: "BadRequest", message: "x", details: [{ message: "{not json" }] } });
    expect(classifyHttpFailure("Set-TransportConfig", 400, {}, text, 0).message).toBe("{not json");
  });
});

test.each([
  "Microsoft.Exchange.Configuration.Tasks.ManagementObjectAlreadyExistsException",
  // The same family without the s (both spellings occur in Exchange's exception names).
  "Microsoft.Exchange.Configuration.Tasks.ManagementObjectAlreadyExistException",
])("%s is already_exists", (type) => {
  expect(classifyHttpFailure("New-JournalRule", 400, {}, body(type, "exists"), 0).code).toBe("already_exists");
});
