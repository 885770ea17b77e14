import type { MessageJournaling } from "../../core/contract";
import { messageVerdict, TRACE_DAYS } from "../../core/status/messageVerdict";
import type { TokenProvider } from "../auth/obo";
import type { Principal } from "../auth/principal";
import { ApiError } from "../errors";
import type { ExchangeRunnerFactory } from "../exchange/factory";
import type { HttpSend } from "../net/httpClient";
import type { StatusService } from "../status/status";
import type { Store } from "../store/tenantStore";
import { GraphMail } from "./graphMail";
import { clampWindow, lookupTrace } from "./traceLookup";
import { readTenantFacts } from "./tenantFacts";

/**
 * GET /api/messages/journaling?internetMessageId=<…>: was this message journaled? The pane sends
 * only the Message-ID. The backend asks the reader's mailbox when it received the message (Graph,
 * Mail.ReadBasic, receivedDateTime only) to pick the trace window, finds the message and its journal
 * reports in message trace, reads the tenant's journaling, and the core words the answer
 * (src/core/status/messageVerdict.ts).
 */
const DAY = 86_400_000;
/** RFC 5322 msg-id: "<" id-left "@" id-right ">", printable ASCII, bounded. */
const MESSAGE_ID = /^<[!-;=?-~]{1,400}@[!-;=?-~]{1,400}>$/;

export function parseMessageId(value: string | null): string {
  const id = value?.trim() ?? "";
  if (!MESSAGE_ID.test(id)) {
    throw new ApiError(
      400,
      "invalid_request",
      id === ""
        ? "The internetMessageId query parameter is required: the message's Internet Message-ID, <…@…>."
        : "The internetMessageId query parameter is not an Internet Message-ID (<…@…>).",
      {
        fieldErrors: [
          { path: "internetMessageId", message: "expected an Internet Message-ID in angle brackets, <…@…>" },
        ],
      },
    );
  }
  return id;
}

export class MessageJournalingService {
  private readonly mail: GraphMail;

  constructor(
    private readonly store: Store,
    private readonly runners: ExchangeRunnerFactory,
    private readonly status: StatusService,
    private readonly tokens: TokenProvider,
    private readonly graphUrl: string,
    private readonly send: HttpSend,
    private readonly now: () => number = Date.now,
  ) {
    this.mail = new GraphMail(graphUrl, send);
  }

  async answer(principal: Principal, internetMessageId: string): Promise<MessageJournaling> {
    const now = this.now();
    const tenant = this.store.forTenant(principal.tenantId);
    const runner = this.runners.forPrincipal(principal);
    const graphToken = (): Promise<string> => this.tokens.tokenFor(principal, "graph");
    const mailboxReceived = await graphToken()
      .then((t) => this.mail.receivedAt(t, internetMessageId))
      .catch(() => undefined);
    const received = mailboxReceived ? Date.parse(mailboxReceived) : NaN;
    const facts = await readTenantFacts(principal, tenant, this.status, runner);
    const base = {
      internetMessageId,
      now: new Date(now).toISOString(),
      ...(mailboxReceived ? { mailboxReceived } : {}),
      regions: facts.regions,
      rules: facts.rules,
      acceptedDomains: facts.acceptedDomains,
      pausedSince: facts.pausedSince,
    };
    if (!Number.isNaN(received) && now - received > TRACE_DAYS * DAY) {
      return messageVerdict({ ...base, rows: [], searched: "not searched: older than message trace keeps" });
    }
    // Received known: from just before it, 10 days on; else the last 10 days.
    const window = Number.isNaN(received)
      ? clampWindow(now - 10 * DAY, now, now)
      : clampWindow(received - 60 * 60_000, received + 10 * DAY, now);
    const found = await lookupTrace({ messageId: internetMessageId, ...window }, runner, {
      send: this.send,
      graphUrl: this.graphUrl,
      token: graphToken,
    });
    const searched = `${found.source === "graph" ? "Microsoft Graph messageTraces" : "Get-MessageTraceV2"}, ${new Date(window.startMs).toISOString()} to ${new Date(window.endMs).toISOString()}`;
    const verdict = messageVerdict({ ...base, rows: found.rows, searched });
    return found.note ? { ...verdict, evidence: [...verdict.evidence, found.note] } : verdict;
  }
}
