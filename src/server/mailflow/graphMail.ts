import type { HttpSend } from "../net/httpClient";

/**
 * The two Outlook mail calls the backend makes in Microsoft Graph v1.0:
 * - `POST /me/sendMail` or `/users/{upn}/sendMail` (user: sendMail): 202 with no body on success;
 *   the message's Message-ID is not returned, so the mail-flow test finds it in message trace by
 *   its subject;
 * - `GET /me/messages?$filter=internetMessageId eq '…'&$select=receivedDateTime` (list messages,
 *   Mail.ReadBasic): when the reader's mailbox received a message, so the journaling answer knows
 *   which 10-day trace window to search and whether it is older than trace keeps. Nothing else is
 *   read from the mailbox.
 */
export class GraphMailError extends Error {
  constructor(
    readonly status: number,
    /** Graph's error code (ErrorSendAsDenied, ErrorAccessDenied, ErrorInvalidUser, …). */
    readonly graphCode: string,
    message: string,
  ) {
    super(message);
    this.name = "GraphMailError";
  }
}

function errorOf(status: number, text: string): GraphMailError {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof body.error?.code === "string" ? body.error.code : `HTTP${String(status)}`;
    const message =
      typeof body.error?.message === "string" ? body.error.message : `Graph answered HTTP ${String(status)}.`;
    return new GraphMailError(status, code, message);
  } catch {
    return new GraphMailError(status, `HTTP${String(status)}`, `Graph answered HTTP ${String(status)}.`);
  }
}

/** An OData string literal: quotes doubled, so a value can't end the literal. */
export function odataLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export interface SendMailMessage {
  readonly subject: string;
  readonly text: string;
  readonly to: readonly string[];
}

export class GraphMail {
  private readonly origin: string;

  constructor(
    graphUrl: string,
    private readonly send: HttpSend,
  ) {
    this.origin = new URL(graphUrl).origin;
  }

  /** Sends as `from` (undefined: the token's own user, /me). Throws GraphMailError unless 202. */
  async sendMail(token: string, from: string | undefined, message: SendMailMessage): Promise<void> {
    const path = from === undefined ? "/v1.0/me/sendMail" : `/v1.0/users/${encodeURIComponent(from)}/sendMail`;
    const res = await this.send({
      method: "POST",
      url: `${this.origin}${path}`,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        message: {
          subject: message.subject,
          body: { contentType: "Text", content: message.text },
          toRecipients: message.to.map((address) => ({ emailAddress: { address } })),
        },
        saveToSentItems: true,
      }),
      timeoutMs: 30_000,
    });
    if (res.status !== 202) throw errorOf(res.status, res.text);
  }

  /** When the signed-in user's mailbox received the message; undefined when not found or not allowed. */
  async receivedAt(token: string, internetMessageId: string): Promise<string | undefined> {
    const filter = `internetMessageId eq ${odataLiteral(internetMessageId)}`;
    const url = `${this.origin}/v1.0/me/messages?$filter=${encodeURIComponent(filter)}&$select=receivedDateTime&$top=1`;
    const res = await this.send({
      method: "GET",
      url,
      headers: { authorization: `Bearer ${token}`, accept: "application/json" },
      timeoutMs: 30_000,
    });
    if (res.status !== 200) return undefined;
    try {
      const body = JSON.parse(res.text) as { value?: { receivedDateTime?: unknown }[] };
      const v = body.value?.[0]?.receivedDateTime;
      return typeof v === "string" ? v : undefined;
    } catch {
      return undefined;
    }
  }
}
