import { mailboxUser, messagesOf, submitMessage, type Address } from "../exchange/mailboxes";
import type { MailboxMessage, TenantRecord } from "../exchange/types";
import type { DirectoryUser } from "../directory/types";
import { json, type Router } from "../http/router";
import type { EmulatorRequest, EmulatorResponse } from "../http/types";
import { authenticate, graphError, GraphFailure, type Caller, type GraphContext } from "./routes";

/**
 * Microsoft Graph v1.0 Outlook mail, the part the product and the dev host use. Sources (checked 2026):
 * - user: sendMail (learn.microsoft.com/graph/api/user-sendmail?view=graph-rest-1.0): POST
 *   /me/sendMail or /users/{id | userPrincipalName}/sendMail, body `{ message, saveToSentItems }`
 *   (saveToSentItems default true), "If successful, this method returns 202 Accepted response code.
 *   It doesn't return anything in the response body." Permissions: Mail.Send (delegated work/school,
 *   application). Sending from another user's mailbox with a delegated token needs Send As / Send on
 *   behalf in Exchange, else 403 `ErrorSendAsDenied` "The user account which was used to submit this
 *   request does not have the right to send mail on behalf of the specified sending account., Cannot
 *   submit message." (the page's example 2 response, and microsoftgraph/microsoft-graph-docs-contrib#7446).
 * - List messages (…/graph/api/user-list-messages): GET /me/messages, /users/{id | upn}/messages;
 *   Mail.ReadBasic (least), Mail.Read, Mail.ReadWrite (delegated); Mail.ReadBasic.All, Mail.Read,
 *   Mail.ReadWrite (application); default page 10 (`$top` up to 1000), `@odata.nextLink` with
 *   `$skip`; $select, $filter (e.g. `internetMessageId eq '<…>'`, receivedDateTime ge/le), $top, $skip.
 *   Get message (…/graph/api/message-get): the same permissions.
 * - An unknown user: 404 `ErrorInvalidUser` "The requested user '{id}' is invalid."; a user without an
 *   Exchange Online mailbox: 404 `MailboxNotEnabledForRESTAPI` "The mailbox is either inactive,
 *   soft-deleted, or is hosted on-premise." (Graph "Known issues" / Outlook mail API errors); another
 *   user's mailbox with a delegated token and no folder permission: 403 `ErrorAccessDenied` "Access is
 *   denied. Check credentials and try again.". Wordings marked [emulator] are not confirmed.
 * - Without the permission the mail API answers 403 `ErrorAccessDenied` "Access is denied. Check
 *   credentials and try again." [emulator: as for the folder case].
 */
/**
 * The emulator keeps no Send As / Send on behalf grants (Add-RecipientPermission is not emulated): a
 * delegated token sends only as its own user; an application token with Mail.Send sends as anyone.
 */
type MailContext = GraphContext;

const SEND = ["Mail.Send"];
const READ_DELEGATED = ["Mail.ReadBasic", "Mail.Read", "Mail.ReadWrite"];
const READ_APP = ["Mail.ReadBasic.All", "Mail.Read", "Mail.ReadWrite"];
const MAX_TOP = 1000;
const DEFAULT_TOP = 10;

const MESSAGE_PROPERTIES = [
  "id",
  "createdDateTime",
  "lastModifiedDateTime",
  "changeKey",
  "categories",
  "receivedDateTime",
  "sentDateTime",
  "hasAttachments",
  "internetMessageId",
  "subject",
  "bodyPreview",
  "importance",
  "parentFolderId",
  "conversationId",
  "isDeliveryReceiptRequested",
  "isReadReceiptRequested",
  "isRead",
  "isDraft",
  "webLink",
  "inferenceClassification",
  "body",
  "sender",
  "from",
  "toRecipients",
  "ccRecipients",
  "bccRecipients",
  "replyTo",
  "flag",
] as const;

function denied(): GraphFailure {
  return new GraphFailure(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
}

function demand(caller: Caller, allowed: readonly string[]): void {
  if (!allowed.some((p) => caller.permissions.has(p.toLowerCase()))) throw denied();
}

function recordOf(ctx: GraphContext, caller: Caller): TenantRecord {
  const record = ctx.state.getTenant(caller.tenant.tenantId);
  if (record === undefined) throw new GraphFailure(401, "InvalidAuthenticationToken", "Invalid tenant.");
  return record;
}

/** The mailbox a request names: /me (the signed-in user) or /users/{id | userPrincipalName}. */
function targetMailbox(record: TenantRecord, caller: Caller, req: EmulatorRequest): DirectoryUser {
  const key = req.params.id;
  if (key === undefined) {
    if (caller.me === undefined) {
      throw new GraphFailure(400, "BadRequest", "/me request is only valid with delegated authentication flow.");
    }
    return caller.me;
  }
  const lower = key.toLowerCase();
  const user = record.directory.users.find((u) => u.id === lower || u.userPrincipalName.toLowerCase() === lower);
  if (user === undefined) throw new GraphFailure(404, "ErrorInvalidUser", `The requested user '${key}' is invalid.`);
  if (user.mail === null || mailboxUser(record, user.mail) === undefined) {
    throw new GraphFailure(
      404,
      "MailboxNotEnabledForRESTAPI",
      "The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
    );
  }
  return user;
}

function parseBody(req: EmulatorRequest): Record<string, unknown> {
  try {
    const body: unknown = req.rawBody.trim() === "" ? {} : JSON.parse(req.rawBody);
    if (typeof body === "object" && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new GraphFailure(400, "BadRequest", "Invalid JSON. A token was not recognized in the JSON content.");
}

function recipients(value: unknown, field: string): Address[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new GraphFailure(400, "ErrorInvalidRecipients", `The ${field} value is not valid.`); // [emulator]
  return value.map((r) => {
    const e = (r as { emailAddress?: { address?: unknown; name?: unknown } } | null)?.emailAddress;
    if (typeof e?.address !== "string" || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e.address)) {
      // Exchange's answer to a malformed address (seen in the wild for sendMail) [emulator: exact wording].
      throw new GraphFailure(
        400,
        "ErrorInvalidRecipients",
        "At least one recipient isn't valid., A message can't be sent because it contains no recipients.",
      );
    }
    return { address: e.address, ...(typeof e.name === "string" ? { name: e.name } : {}) };
  });
}

function sendMail(ctx: MailContext, req: EmulatorRequest): EmulatorResponse {
  const caller = authenticate(ctx, req);
  const record = recordOf(ctx, caller);
  demand(caller, SEND);
  const mailbox = targetMailbox(record, caller, req);
  if (caller.delegated && caller.me && caller.me.id !== mailbox.id) {
    throw new GraphFailure(
      403,
      "ErrorSendAsDenied",
      "The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account., Cannot submit message.",
    );
  }
  const body = parseBody(req);
  const message = body.message;
  if (typeof message !== "object" || message === null) {
    throw new GraphFailure(400, "ErrorInvalidRequest", "The request body must contain a 'message'."); // [emulator]
  }
  const m = message as Record<string, unknown>;
  const to = recipients(m.toRecipients, "toRecipients");
  const cc = recipients(m.ccRecipients, "ccRecipients");
  const bcc = recipients(m.bccRecipients, "bccRecipients");
  if (to.length + cc.length + bcc.length === 0) {
    throw new GraphFailure(
      400,
      "ErrorInvalidRecipients",
      "At least one recipient isn't valid., A message can't be sent because it contains no recipients.",
    );
  }
  const b = m.body as { contentType?: unknown; content?: unknown } | undefined;
  const contentType = typeof b?.contentType === "string" && b.contentType.toLowerCase() === "html" ? "html" : "text";
  const save = body.saveToSentItems;
  submitMessage(
    record,
    {
      from: { address: mailbox.mail ?? mailbox.userPrincipalName, name: mailbox.displayName },
      to,
      cc,
      bcc,
      subject: typeof m.subject === "string" ? m.subject : "",
      body: { contentType, content: typeof b?.content === "string" ? b.content : "" },
      saveToSentItems: typeof save === "boolean" ? save : typeof save === "string" ? save !== "false" : true,
    },
    new Date(ctx.now()),
  );
  ctx.state.changed();
  return { status: 202, headers: { "content-length": "0" }, body: "" };
}

function demandRead(caller: Caller, mailbox: DirectoryUser): void {
  demand(caller, caller.delegated ? READ_DELEGATED : READ_APP);
  // A delegated token reads only the signed-in user's own mailbox here (no folder sharing emulated).
  if (caller.delegated && caller.me?.id !== mailbox.id) throw denied();
}

function shape(m: MailboxMessage, origin: string): Record<string, unknown> {
  return {
    "@odata.etag": `W/"${m.id.slice(-20)}"`,
    id: m.id,
    createdDateTime: m.createdDateTime.replace(/\.\d{3}Z$/, "Z"),
    lastModifiedDateTime: m.lastModifiedDateTime.replace(/\.\d{3}Z$/, "Z"),
    changeKey: m.id.slice(-20),
    categories: [],
    receivedDateTime: m.receivedDateTime.replace(/\.\d{3}Z$/, "Z"),
    sentDateTime: m.sentDateTime.replace(/\.\d{3}Z$/, "Z"),
    hasAttachments: m.hasAttachments,
    internetMessageId: m.internetMessageId,
    subject: m.subject,
    bodyPreview: m.bodyPreview,
    importance: m.importance,
    parentFolderId: m.parentFolderId,
    conversationId: m.conversationId,
    isDeliveryReceiptRequested: false,
    isReadReceiptRequested: false,
    isRead: m.isRead,
    isDraft: m.isDraft,
    webLink: `${origin}/owa/?ItemID=${encodeURIComponent(m.id)}&exvsurl=1&viewmodel=ReadMessageItem`,
    inferenceClassification: "focused",
    body: m.body,
    sender: m.sender,
    from: m.from,
    toRecipients: m.toRecipients,
    ccRecipients: m.ccRecipients,
    bccRecipients: m.bccRecipients,
    replyTo: [],
    flag: { flagStatus: "notFlagged" },
  };
}

function select(req: EmulatorRequest): readonly string[] | undefined {
  const raw = req.query.get("$select");
  if (raw === null || raw.trim() === "") return undefined;
  const names = raw.split(",").map((s) => s.trim());
  for (const n of names) {
    if (!MESSAGE_PROPERTIES.some((p) => p.toLowerCase() === n.toLowerCase())) {
      throw new GraphFailure(
        400,
        "RequestBroker--ParseUri",
        `Could not find a property named '${n}' on type 'microsoft.graph.message'.`,
      );
    }
  }
  return names.map((n) => MESSAGE_PROPERTIES.find((p) => p.toLowerCase() === n.toLowerCase()) ?? n);
}

function project(item: Record<string, unknown>, props: readonly string[] | undefined): Record<string, unknown> {
  if (props === undefined) return item;
  const out: Record<string, unknown> = { "@odata.etag": item["@odata.etag"], id: item.id };
  for (const p of props) out[p] = item[p];
  return out;
}

type Predicate = (m: MailboxMessage) => boolean;

/** $filter on messages: clauses joined by `and`: eq on internetMessageId / subject / isRead, receivedDateTime ge/le/gt/lt. */
function filterOf(raw: string | null): Predicate {
  if (raw === null || raw.trim() === "") return () => true;
  const tests: Predicate[] = [];
  for (const clause of raw.split(/\s+and\s+/i).map((c) => c.trim())) {
    let m = /^(internetMessageId|subject|conversationId)\s+eq\s+'((?:[^']|'')*)'$/i.exec(clause);
    if (m) {
      const prop = (m[1] ?? "").toLowerCase();
      const value = (m[2] ?? "").replace(/''/g, "'");
      tests.push((x) =>
        prop === "subject"
          ? x.subject === value
          : prop === "conversationid"
            ? x.conversationId === value
            : x.internetMessageId === value,
      );
      continue;
    }
    m = /^receivedDateTime\s+(ge|le|gt|lt)\s+(\S+)$/i.exec(clause);
    if (m) {
      const t = Date.parse(m[2] ?? "");
      if (Number.isNaN(t)) throw new GraphFailure(400, "BadRequest", `Invalid filter clause: '${clause}'.`); // [emulator]
      const op = (m[1] ?? "").toLowerCase();
      tests.push((x) => {
        const r = Date.parse(x.receivedDateTime);
        return op === "ge" ? r >= t : op === "le" ? r <= t : op === "gt" ? r > t : r < t;
      });
      continue;
    }
    m = /^isRead\s+eq\s+(true|false)$/i.exec(clause);
    if (m) {
      const v = (m[1] ?? "").toLowerCase() === "true";
      tests.push((x) => x.isRead === v);
      continue;
    }
    throw new GraphFailure(400, "BadRequest", `Invalid filter clause: '${clause}'.`); // [emulator]
  }
  return (x) => tests.every((t) => t(x));
}

function listMessages(ctx: MailContext, req: EmulatorRequest): EmulatorResponse {
  const caller = authenticate(ctx, req);
  const record = recordOf(ctx, caller);
  const mailbox = targetMailbox(record, caller, req);
  demandRead(caller, mailbox);
  const props = select(req);
  const topRaw = req.query.get("$top");
  const top = topRaw === null ? DEFAULT_TOP : Number(topRaw);
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
    throw new GraphFailure(400, "BadRequest", `The $top value must be between 1 and ${String(MAX_TOP)}.`); // [emulator]
  }
  const skipRaw = req.query.get("$skip");
  const skip = skipRaw === null ? 0 : Number(skipRaw);
  if (!Number.isInteger(skip) || skip < 0) throw new GraphFailure(400, "BadRequest", "Invalid $skip value."); // [emulator]
  const rows = messagesOf(record, mailbox.id).filter(filterOf(req.query.get("$filter")));
  const page = rows.slice(skip, skip + top);
  const base = req.params.id === undefined ? "me" : `users('${mailbox.id}')`;
  const body: Record<string, unknown> = {
    "@odata.context": `${req.origin}/v1.0/$metadata#${base}/messages${props ? `(${props.join(",")})` : ""}`,
    value: page.map((m) => project(shape(m, req.origin), props)),
  };
  if (rows.length > skip + top) {
    const next = new URLSearchParams(req.query);
    next.set("$skip", String(skip + top));
    body["@odata.nextLink"] = `${req.origin}${req.path}?${next.toString()}`;
  }
  return json(200, body);
}

function getMessage(ctx: MailContext, req: EmulatorRequest): EmulatorResponse {
  const caller = authenticate(ctx, req);
  const record = recordOf(ctx, caller);
  const mailbox = targetMailbox(record, caller, req);
  demandRead(caller, mailbox);
  const props = select(req);
  const m = messagesOf(record, mailbox.id).find((x) => x.id === req.params.messageId);
  if (m === undefined) {
    throw new GraphFailure(404, "ErrorItemNotFound", "The specified object was not found in the store.");
  }
  const base = req.params.id === undefined ? "me" : `users('${mailbox.id}')`;
  return json(200, {
    "@odata.context": `${req.origin}/v1.0/$metadata#${base}/messages${props ? `(${props.join(",")})` : ""}/$entity`,
    ...project(shape(m, req.origin), props),
  });
}

/** Registers the routes; call before the Graph routes (their catch-all answers unknown segments). */
export function addMailRoutes(router: Router, ctx: MailContext): void {
  const wrap =
    (fn: (ctx: MailContext, req: EmulatorRequest) => EmulatorResponse) =>
    (req: EmulatorRequest): EmulatorResponse => {
      try {
        return fn(ctx, req);
      } catch (e) {
        if (e instanceof GraphFailure) return graphError(ctx, req, e);
        throw e;
      }
    };
  router
    .add("POST", "/v1.0/me/sendMail", wrap(sendMail))
    .add("POST", "/v1.0/users/:id/sendMail", wrap(sendMail))
    .add("GET", "/v1.0/me/messages", wrap(listMessages))
    .add("GET", "/v1.0/users/:id/messages", wrap(listMessages))
    .add("GET", "/v1.0/me/messages/:messageId", wrap(getMessage))
    .add("GET", "/v1.0/users/:id/messages/:messageId", wrap(getMessage));
}
