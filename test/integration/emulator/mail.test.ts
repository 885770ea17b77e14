import type { TenantRecord } from "../../../src/emulator/exchange";
import type { RunningEmulator } from "../../../src/emulator/server";
import { postForm, request, startTestEmulator, type HttpResult, type TokenBody } from "./helpers";

/**
 * Graph v1.0 Outlook mail in the emulator over HTTPS with real tokens: sendMail (202, no body),
 * the sender's Sent Items and the recipients' Inboxes with one internetMessageId, list and get
 * messages with $filter/$select, the refusals (Send As, unknown user, no permission), and the mail
 * flow behind it: message trace rows with that Message-ID and journal reports per the journal rules
 * (scope and recipient); /_emulator/ placing a message (also older than trace keeps).
 */
let emu: RunningEmulator;
let stop: () => Promise<void>;
let contoso: TenantRecord;
const TENANT = "contoso.onmicrosoft.com";
const JOURNAL = "contoso@journaling.mailstream-eu1.mxrecord.io";

const tenantId = (): string => emu.config.tenants.find((t) => t.name === TENANT)!.id;

async function token(
  upn: string,
  clientId = emu.config.apps.api.clientId,
  secret = emu.config.apps.api.secret,
): Promise<string> {
  const res = await postForm(emu, tenantId(), {
    grant_type: "password",
    client_id: clientId,
    client_secret: secret,
    username: upn,
    password: `${upn.split("@")[0]!}-Pass1!`,
    scope: "https://graph.microsoft.com/.default",
  });
  expect(res.status).toBe(200);
  return res.json<TokenBody>().access_token;
}

function call(method: string, path: string, bearer: string, body?: unknown): Promise<HttpResult> {
  return request(`${emu.origin}${path}`, emu.caPem, {
    method,
    headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

function message(to: string[], subject: string): unknown {
  return {
    message: {
      subject,
      body: { contentType: "Text", content: "Hello" },
      toRecipients: to.map((address) => ({ emailAddress: { address } })),
    },
  };
}

function rule(scope: "External" | "Internal" | "Global", recipient: string | null): void {
  contoso.exchange.journalRules = [
    {
      Guid: "00000000-0000-4000-8000-000000000001",
      Name: "Journal EU",
      Recipient: recipient,
      JournalEmailAddress: JOURNAL,
      Scope: scope,
      Enabled: true,
      WhenCreated: new Date().toISOString(),
      WhenChanged: new Date().toISOString(),
    },
  ];
}

function traceOf(messageId: string): { recipient: string; kind: string; status: string }[] {
  return contoso.exchange.messageTrace
    .filter((e) => e.MessageId === messageId)
    .map((e) => ({ recipient: e.RecipientAddress, kind: e.Kind, status: e.Status }));
}

async function sentId(bearer: string, subject: string): Promise<string> {
  const filter = encodeURIComponent(`subject eq '${subject}'`);
  const res = await call("GET", `/v1.0/me/messages?$filter=${filter}&$select=internetMessageId,subject`, bearer);
  expect(res.status).toBe(200);
  const value = res.json<{ value: { internetMessageId: string }[] }>().value;
  expect(value).toHaveLength(1);
  return value[0]!.internetMessageId;
}

beforeAll(async () => {
  ({ emu, stop } = await startTestEmulator());
  const record = emu.state.getTenant(TENANT);
  if (!record) throw new Error("no contoso");
  contoso = record;
});
afterAll(async () => stop());

test("sendMail: 202 with no body; Sent Items and Inbox hold it with one internetMessageId; trace and journal report follow", async () => {
  rule("External", null);
  const anna = await token("anna.schmidt@contoso.com");
  const sent = await call(
    "POST",
    "/v1.0/me/sendMail",
    anna,
    message(["partner@fabrikam.example", "jonas.becker@contoso.com"], "Quote 1"),
  );
  expect(sent.status).toBe(202);
  expect(sent.text).toBe("");
  const id = await sentId(anna, "Quote 1");
  expect(id).toMatch(/^<[^@]+@[^>]+\.prod\.outlook\.com>$/);

  const jonas = await token("jonas.becker@contoso.com");
  const filter = encodeURIComponent(`internetMessageId eq '${id}'`);
  const inbox = await call("GET", `/v1.0/me/messages?$filter=${filter}&$select=receivedDateTime,subject`, jonas);
  expect(inbox.status).toBe(200);
  const got = inbox.json<{ "@odata.context": string; value: Record<string, unknown>[] }>();
  expect(got.value).toHaveLength(1);
  expect(Object.keys(got.value[0]!).sort()).toEqual(["@odata.etag", "id", "receivedDateTime", "subject"]);
  const one = await call("GET", `/v1.0/users/jonas.becker@contoso.com/messages/${String(got.value[0]!.id)}`, jonas);
  expect(one.json<{ internetMessageId: string; from: unknown }>()).toMatchObject({
    internetMessageId: id,
    from: { emailAddress: { address: "anna.schmidt@contoso.com" } },
  });

  expect(traceOf(id)).toEqual([
    { recipient: "partner@fabrikam.example", kind: "message", status: "Delivered" },
    { recipient: "jonas.becker@contoso.com", kind: "message", status: "Delivered" },
    { recipient: JOURNAL, kind: "journalReport", status: "Delivered" },
  ]);
});

test("journal rules: an internal-only message is not journaled by an External rule, but by a Global one; a list rule needs a member", async () => {
  const anna = await token("anna.schmidt@contoso.com");
  rule("External", null);
  await call("POST", "/v1.0/me/sendMail", anna, message(["jonas.becker@contoso.com"], "Internal 1"));
  expect(traceOf(await sentId(anna, "Internal 1")).some((r) => r.kind === "journalReport")).toBe(false);

  rule("Global", null);
  await call("POST", "/v1.0/me/sendMail", anna, message(["jonas.becker@contoso.com"], "Internal 2"));
  expect(traceOf(await sentId(anna, "Internal 2")).some((r) => r.kind === "journalReport")).toBe(true);

  // A rule for one recipient: mail from or to them is journaled, other mail is not.
  rule("External", "priya.sharma@contoso.com");
  await call("POST", "/v1.0/me/sendMail", anna, message(["partner@fabrikam.example"], "External 2"));
  expect(traceOf(await sentId(anna, "External 2")).some((r) => r.kind === "journalReport")).toBe(false);
  await call(
    "POST",
    "/v1.0/me/sendMail",
    anna,
    message(["partner@fabrikam.example", "priya.sharma@contoso.com"], "External 3"),
  );
  expect(traceOf(await sentId(anna, "External 3")).some((r) => r.kind === "journalReport")).toBe(true);
});

test("refusals: Send As another user, an unknown user, no Mail.Send, another user's mailbox", async () => {
  const anna = await token("anna.schmidt@contoso.com");
  const as = await call(
    "POST",
    "/v1.0/users/jonas.becker@contoso.com/sendMail",
    anna,
    message(["x@fabrikam.example"], "As"),
  );
  expect(as.status).toBe(403);
  expect(as.json<{ error: { code: string; message: string } }>().error).toEqual(
    expect.objectContaining({
      code: "ErrorSendAsDenied",
      message:
        "The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account., Cannot submit message.",
    }),
  );
  const nobody = await call(
    "POST",
    "/v1.0/users/nobody@contoso.com/sendMail",
    anna,
    message(["x@fabrikam.example"], "N"),
  );
  expect([nobody.status, nobody.json<{ error: { code: string } }>().error.code]).toEqual([404, "ErrorInvalidUser"]);
  const pane = await token("anna.schmidt@contoso.com", emu.config.apps.pane.clientId, "");
  const noScope = await call("POST", "/v1.0/me/sendMail", pane, message(["x@fabrikam.example"], "P"));
  expect([noScope.status, noScope.json<{ error: { code: string } }>().error.code]).toEqual([403, "ErrorAccessDenied"]);
  const other = await call("GET", "/v1.0/users/jonas.becker@contoso.com/messages", anna);
  expect(other.status).toBe(403);
  const noRecipients = await call("POST", "/v1.0/me/sendMail", anna, message([], "None"));
  expect([noRecipients.status, noRecipients.json<{ error: { code: string } }>().error.code]).toEqual([
    400,
    "ErrorInvalidRecipients",
  ]);
});

test("/_emulator/ places a message in a mailbox with its trace; one older than 90 days has no trace rows", async () => {
  rule("External", null);
  const place = (body: unknown): Promise<HttpResult> =>
    request(`${emu.origin}/_emulator/tenants/${TENANT}/mailboxes/lena.fischer@contoso.com/messages`, emu.caPem, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const recent = await place({ subject: "Order 7" });
  expect(recent.status).toBe(201);
  const r = recent.json<{ internetMessageId: string; trace: { kind: string; recipientAddress: string }[] }>();
  expect(r.trace.map((t) => [t.kind, t.recipientAddress])).toEqual([
    ["message", "lena.fischer@contoso.com"],
    ["journalReport", JOURNAL],
  ]);
  const old = await place({ subject: "Order 1", daysAgo: 100 });
  const o = old.json<{ internetMessageId: string; receivedDateTime: string; trace: unknown[] }>();
  expect(o.trace).toEqual([]);
  expect(traceOf(o.internetMessageId)).toEqual([]);
  expect(Date.now() - Date.parse(o.receivedDateTime)).toBeGreaterThan(99 * 86_400_000);
  const list = await request(
    `${emu.origin}/_emulator/tenants/${TENANT}/mailboxes/lena.fischer@contoso.com/messages`,
    emu.caPem,
  );
  expect(list.json<{ value: { subject: string }[] }>().value.map((m) => m.subject)).toEqual(["Order 7", "Order 1"]);
});
