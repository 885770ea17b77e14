import { randomUUID } from "node:crypto";
import type { Parameters } from "../../core/exchange/catalog";
import { NetworkError, type HttpResponse, type HttpSend } from "../net/httpClient";
import { classifyHttpFailure, ExchangeError } from "./errors";
import type { ExchangeIdentity, ExchangeRunner, Row } from "./runner";

/**
 * The REST transport the Exchange Online PowerShell V3 module itself uses:
 * POST {exchangeUrl}/adminapi/beta/{tenant}/InvokeCommand with {CmdletInput:{CmdletName,Parameters}}.
 * One attempt per call (retries live in RetryingRunner); follows @odata.nextLink by POSTing the
 * same body; strips OData annotations from rows. A 3xx answer is followed once, POSTing the same
 * body again, when it points at the same origin (public clients follow the admin API's 302s with
 * the token, reference §3); a redirect elsewhere is refused so the token never leaves the host.
 */
export interface RestTransportOptions {
  readonly exchangeUrl: string;
  readonly send: HttpSend;
  readonly identity: ExchangeIdentity;
  readonly pageSize?: number;
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

const MAX_PAGES = 1000;

/** Redirect statuses a client follows (304 Not Modified is not one: it needs a cache). */
function isRedirect(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304;
}

export function createRestTransport(options: RestTransportOptions): ExchangeRunner {
  const base = new URL(options.exchangeUrl);
  const invokeUrl = `${base.origin}/adminapi/beta/${encodeURIComponent(options.identity.tenantId)}/InvokeCommand`;
  const now = options.now ?? Date.now;

  /** nextLinks must stay on the Exchange host: the request carries the user's token. */
  const checkSameHost = (link: string): string => {
    const url = new URL(link, invokeUrl);
    if (url.origin !== base.origin) {
      throw new ExchangeError(
        "transient",
        `Exchange sent a next-page link to another host (${url.host}); refusing to send the token there`,
      );
    }
    return url.toString();
  };

  const post = async (cmdlet: string, url: string, body: string): Promise<HttpResponse> => {
    const token = await options.identity.token();
    try {
      return await options.send({
        method: "POST",
        url,
        body,
        timeoutMs: options.timeoutMs ?? 15 * 60 * 1000,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          accept: "application/json",
          "x-anchormailbox": options.identity.anchorMailbox ?? `UPN:${options.identity.upn}`,
          prefer: `odata.maxpagesize=${options.pageSize ?? 1000}`,
          "client-request-id": randomUUID(),
          "x-cmdletname": cmdlet,
          "x-responseformat": "json",
        },
      });
    } catch (err) {
      if (err instanceof NetworkError) {
        // The network's own words name addresses and ports (a proxy's, a private resolver's): they
        // stay in the error's cause for the log, callers get the fact.
        const failure = new ExchangeError(
          "transient",
          `${cmdlet}: Exchange Online could not be reached${err.timedOut ? " in time" : ""}; try again shortly.`,
          {},
        );
        failure.cause = err;
        throw failure;
      }
      throw err;
    }
  };

  /** Where a 3xx sends the call: only somewhere on the Exchange origin, since the request carries the token. */
  const redirectTarget = (cmdlet: string, from: string, res: HttpResponse): string => {
    const location = res.headers.location;
    if (location === undefined || location === "") {
      throw new ExchangeError(
        "transient",
        `${cmdlet}: Exchange answered HTTP ${res.status} without a Location to follow`,
        { httpStatus: res.status },
      );
    }
    const target = new URL(location, from);
    if (target.origin !== base.origin) {
      throw new ExchangeError(
        "transient",
        `${cmdlet}: Exchange redirected the call to another host (${target.host}); the backend sends the access token only to ${base.host}. Check the configured Exchange URL.`,
        { httpStatus: res.status },
      );
    }
    return target.toString();
  };

  return {
    async run(cmdlet: string, parameters: Parameters): Promise<Row[]> {
      const body = JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: parameters } });
      const rows: Row[] = [];
      let url: string | undefined = invokeUrl;
      for (let page = 0; url !== undefined && page < MAX_PAGES; page++) {
        let res = await post(cmdlet, url, body);
        if (isRedirect(res.status)) {
          const target = redirectTarget(cmdlet, url, res);
          res = await post(cmdlet, target, body);
          if (isRedirect(res.status)) {
            throw new ExchangeError(
              "transient",
              `${cmdlet}: Exchange redirected the call again (HTTP ${res.status} to ${res.headers.location ?? "nowhere"}) after one redirect had been followed`,
              { httpStatus: res.status },
            );
          }
        }
        if (res.status < 200 || res.status >= 300) {
          throw classifyHttpFailure(cmdlet, res.status, res.headers, res.text, now());
        }
        let json: { value?: unknown; "@odata.nextLink"?: unknown };
        try {
          json = res.text.trim() === "" ? {} : (JSON.parse(res.text) as typeof json);
        } catch {
          throw new ExchangeError(
            "transient",
            `${cmdlet}: Exchange answered HTTP ${res.status} with a body that is not JSON`,
            {
              httpStatus: res.status,
            },
          );
        }
        if (Array.isArray(json.value)) {
          for (const v of json.value) if (typeof v === "object" && v !== null) rows.push(stripAnnotations(v as Row));
        }
        const next = json["@odata.nextLink"];
        url = typeof next === "string" && next !== "" ? checkSameHost(next) : undefined;
      }
      return rows;
    },
  };
}

/** Drops "@odata.*" and "Prop@odata.type" annotations; rows keep Exchange's property names only. */
export function stripAnnotations(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) if (!k.includes("@")) out[k] = v;
  return out;
}
