import { isInternalAddress, mailboxUser, messagesOf, submitMessage } from "./exchange/mailboxes";
import { json, type Router } from "./http/router";
import type { EmulatorRequest, EmulatorResponse } from "./http/types";
import type { StateStore } from "./state";

/**
 * `/_emulator/tenants/{tenant}/mailboxes/{upn}/messages`: tests and the dev host's Outlook mode put
 * a message in a mailbox (as if it had been received, or sent by a colleague) through the emulator's
 * mail flow, so it has its message trace rows and journal reports; GET lists a mailbox (what the dev
 * host's reading pane shows). Not a Microsoft API: no token, like the rest of /_emulator/.
 *
 * POST body: `{ from?: string; to?: string[]; cc?: string[]; subject?: string; body?: string;
 *   sentAt?: ISO 8601 | daysAgo?: number }`. `from` defaults to an external sender; an internal
 *   `from` (an accepted domain of the tenant) makes an internal message (when `to` is internal too).
 *   `to` defaults to the mailbox itself; the time defaults to 10 seconds ago. A `sentAt` more than 90 days back leaves the message in the
 *   mailbox without trace rows (message trace keeps 90 days).
 * Answer 201 `{ internetMessageId, id, receivedDateTime, trace: [{ messageTraceId, recipientAddress, status, kind }] }`.
 */
export interface MailboxAdminContext {
  state: StateStore;
  now: () => number;
}

function bad(path: string, message: string): EmulatorResponse {
  return json(400, { code: "invalid_request", errors: [{ path, message }] });
}

function list(value: unknown): string[] | undefined | null {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string" && v.includes("@"))) return null;
  return value as string[];
}

export function addMailboxAdminRoutes(router: Router, ctx: MailboxAdminContext): void {
  const lookup = (
    req: EmulatorRequest,
  ): { record: NonNullable<ReturnType<StateStore["getTenant"]>>; userId: string; mail: string } | EmulatorResponse => {
    const record = ctx.state.getTenant(req.params.tenant ?? "");
    if (record === undefined) {
      return json(404, { code: "unknown_tenant", message: `No tenant '${req.params.tenant ?? ""}' in this emulator.` });
    }
    const user = mailboxUser(record, req.params.upn ?? "");
    if (user === undefined || user.mail === null) {
      return json(404, { code: "unknown_mailbox", message: `No mailbox '${req.params.upn ?? ""}' in this tenant.` });
    }
    return { record, userId: user.id, mail: user.mail };
  };
  router
    .add("GET", "/_emulator/tenants/:tenant/mailboxes/:upn/messages", (req) => {
      const found = lookup(req);
      if ("status" in found) return found;
      return json(200, { value: messagesOf(found.record, found.userId) });
    })
    .add("POST", "/_emulator/tenants/:tenant/mailboxes/:upn/messages", (req) => {
      const found = lookup(req);
      if ("status" in found) return found;
      let body: Record<string, unknown>;
      try {
        const parsed: unknown = req.rawBody.trim() === "" ? {} : JSON.parse(req.rawBody);
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
          return bad("(root)", "expected an object");
        body = parsed as Record<string, unknown>;
      } catch {
        return bad("(root)", "not JSON");
      }
      const now = ctx.now();
      const from = body.from === undefined ? "orders@northwind.example" : body.from;
      if (typeof from !== "string" || !from.includes("@")) return bad("from", "expected an email address");
      const to = list(body.to);
      const cc = list(body.cc);
      if (to === null) return bad("to", "expected a list of email addresses");
      if (cc === null) return bad("cc", "expected a list of email addresses");
      // Placed as already received: 10 seconds back, so its journal reports (2 s after it) exist too.
      let at = new Date(now - 10_000);
      if (body.sentAt !== undefined) {
        const t = typeof body.sentAt === "string" ? Date.parse(body.sentAt) : NaN;
        if (Number.isNaN(t) || t > now) return bad("sentAt", "expected an ISO 8601 time, not in the future");
        at = new Date(t);
      } else if (body.daysAgo !== undefined) {
        if (typeof body.daysAgo !== "number" || !(body.daysAgo >= 0) || body.daysAgo > 3650) {
          return bad("daysAgo", "expected a number of days, 0 to 3650");
        }
        at = new Date(now - Math.round(body.daysAgo * 86_400_000));
      }
      const subject = typeof body.subject === "string" ? body.subject : "Test message";
      const text = typeof body.body === "string" ? body.body : "";
      const recipients = to ?? [found.mail];
      const internalSender = isInternalAddress(found.record, from);
      const result = submitMessage(
        found.record,
        {
          from: { address: from },
          to: recipients.map((address) => ({ address })),
          cc: (cc ?? []).map((address) => ({ address })),
          subject,
          body: { contentType: "text", content: text },
          at,
          // A colleague's message is in their Sent Items too; an external sender has no mailbox here.
          saveToSentItems: internalSender,
        },
        new Date(now),
      );
      ctx.state.changed();
      const copy = result.copies.find((c) => c.userId === found.userId)?.message;
      return json(201, {
        internetMessageId: result.internetMessageId,
        id: copy?.id ?? null,
        receivedDateTime: copy?.receivedDateTime ?? null,
        trace: result.trace
          .filter((e) => found.record.exchange.messageTrace.includes(e))
          .map((e) => ({
            messageTraceId: e.MessageTraceId,
            recipientAddress: e.RecipientAddress,
            status: e.Status,
            kind: e.Kind,
          })),
      });
    });
}
