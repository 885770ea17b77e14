import type { TokenProvider } from "../auth/obo";
import type { Principal } from "../auth/principal";
import { ExchangeError } from "../exchange/errors";
import type { Row } from "../exchange/runner";
import type { HttpSend } from "../net/httpClient";

/**
 * Journal reports through Microsoft Graph v1.0 `GET /admin/exchange/tracing/messageTraces`, on behalf
 * of the user (delegated ExchangeMessageTrace.Read.All). Rows come back in Get-MessageTraceV2's field
 * names, so one summary serves both sources. Graph documents (List messageTraces, v1.0): `$filter`
 * with both `receivedDateTime ge/le` bounds (at most 10 days, end not later than now),
 * `recipientAddress eq`, `$top` 1–5000, the next page in `@odata.nextLink` (followed on Graph's own
 * origin only). One query per address: the filter documents `eq`, not `or`/`in`.
 */
export interface GraphTraceReader {
  /** `spend` is called before every request (each one counts against the tenant's trace budget). */
  list(addresses: readonly string[], startMs: number, endMs: number, spend: () => void): Promise<Row[]>;
}

export interface GraphTraceSource {
  forPrincipal(principal: Principal): GraphTraceReader;
}

/**
 * Graph refused for want of the permission (403) or of the Transport Data Platform service principal
 * (401): the caller falls back to Get-MessageTraceV2 and says why.
 */
export class GraphTraceUnavailable extends Error {
  readonly code = "graph_trace_unavailable";
}

const MAX_PAGES = 5;
const TOP = 5000;

/** Graph's time format in $filter: UTC, seconds. */
function graphTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** An OData string literal: quotes doubled, so an address can't end the literal. */
function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function graphMessage(text: string, status: number): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof body.error?.message === "string") return body.error.message;
  } catch {
    // not JSON
  }
  return `Graph answered HTTP ${status}.`;
}

function toRow(v: Record<string, unknown>): Row {
  return {
    MessageTraceId: v.id,
    MessageId: v.messageId,
    Received: v.receivedDateTime,
    SenderAddress: v.senderAddress,
    RecipientAddress: v.recipientAddress,
    Subject: v.subject,
    Status: v.status,
    FromIP: v.fromIP,
    ToIP: v.toIP,
    Size: v.size,
  };
}

export function createGraphTraceSource(graphUrl: string, send: HttpSend, tokens: TokenProvider): GraphTraceSource {
  const origin = new URL(graphUrl).origin;
  return {
    forPrincipal: (principal) => ({
      async list(addresses, startMs, endMs, spend) {
        const token = await tokens.tokenFor(principal, "graph");
        const rows: Row[] = [];
        for (const address of addresses) {
          const filter = `receivedDateTime ge ${graphTime(startMs)} and receivedDateTime le ${graphTime(endMs)} and recipientAddress eq ${literal(address)}`;
          let url: string | undefined =
            `${origin}/v1.0/admin/exchange/tracing/messageTraces?$filter=${encodeURIComponent(filter)}&$top=${TOP}`;
          for (let page = 0; url !== undefined && page < MAX_PAGES; page++) {
            spend();
            let res;
            try {
              res = await send({
                method: "GET",
                url,
                headers: { authorization: `Bearer ${token}`, accept: "application/json" },
                timeoutMs: 30_000,
              });
            } catch (err) {
              throw new ExchangeError("transient", `Graph message trace is unreachable: ${(err as Error).message}`);
            }
            if (res.status === 401 || res.status === 403) {
              throw new GraphTraceUnavailable(graphMessage(res.text, res.status));
            }
            if (res.status === 429) {
              const after = Number(res.headers["retry-after"] ?? "");
              throw new ExchangeError("throttled", graphMessage(res.text, res.status), {
                httpStatus: 429,
                ...(Number.isFinite(after) && after > 0 ? { retryAfterMs: after * 1000 } : {}),
              });
            }
            if (res.status !== 200) {
              throw new ExchangeError(
                res.status >= 500 ? "transient" : "validation",
                graphMessage(res.text, res.status),
                {
                  httpStatus: res.status,
                },
              );
            }
            let body: { value?: unknown; "@odata.nextLink"?: unknown };
            try {
              body = JSON.parse(res.text) as typeof body;
            } catch {
              throw new ExchangeError("transient", "Graph message trace answered without JSON.");
            }
            const value = Array.isArray(body.value) ? (body.value as Record<string, unknown>[]) : [];
            rows.push(...value.map(toRow));
            const next = body["@odata.nextLink"];
            // A next page elsewhere would carry the user's token to another host: never followed.
            url = typeof next === "string" && new URL(next).origin === origin ? next : undefined;
          }
        }
        return rows;
      },
    }),
  };
}
