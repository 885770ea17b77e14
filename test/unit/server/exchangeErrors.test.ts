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
