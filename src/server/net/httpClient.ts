import http from "node:http";
import https from "node:https";
import { rootCertificates } from "node:tls";
import { upstream } from "./upstreamTiming";

/**
 * The one outgoing HTTP client of the backend (Entra, JWKS, Exchange): keep-alive agents and an
 * optional extra CA (the emulator's, or a corporate proxy's) added to Node's root store, so the
 * process never needs NODE_EXTRA_CA_CERTS or a global TLS override.
 */
export interface HttpRequest {
  readonly method: "GET" | "POST";
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs?: number;
  /**
   * Whether sending it twice is harmless (GETs are; a token request is). Such a request that fails on
   * a kept-alive connection the server had just closed is sent once more on a new connection.
   */
  readonly idempotent?: boolean;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

export type HttpSend = (req: HttpRequest) => Promise<HttpResponse>;

/** A request that got no HTTP answer (refused, reset, timed out). */
export class NetworkError extends Error {
  readonly code = "network_error";
  constructor(
    message: string,
    readonly timedOut: boolean,
    /** It failed on a reused kept-alive connection before any answer (see sendRetryingStale). */
    readonly staleConnection = false,
  ) {
    super(message);
    this.name = "NetworkError";
  }
}

export interface HttpClient {
  readonly send: HttpSend;
  /** A WHATWG-fetch-shaped adapter for libraries that take one (jose's JWKS fetch). */
  readonly fetch: (url: string, init?: { headers?: HeadersInit; signal?: AbortSignal }) => Promise<Response>;
  close(): void;
}

const DEFAULT_TIMEOUT_MS = 120_000;
const MAX_RESPONSE_BYTES = 50 * 1024 * 1024;

/**
 * Where to connect for a host and port instead of what DNS says (curl's `--connect-to`): the TLS
 * server name and the Host header stay those of the URL. The development stack uses it to reach an
 * emulator that answers as Microsoft's hosts without a hosts-file entry; undefined = DNS as usual.
 */
export type ConnectTo = (host: string, port: number) => { readonly host: string; readonly port: number } | undefined;

export function createHttpClient(
  options: { readonly extraCaPem?: string | null; readonly connectTo?: ConnectTo } = {},
): HttpClient {
  const ca = options.extraCaPem ? [...rootCertificates, options.extraCaPem] : undefined;
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64, ...(ca ? { ca } : {}) });
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  const send: HttpSend = (req) => upstream(sendRetryingStale(req));
  /**
   * A kept-alive socket the server closes (its idle timeout) while a request is being put on it fails
   * with ECONNRESET/EPIPE before any answer: Node's documentation (http, request.reusedSocket)
   * advises sending such a request again, which is safe only when it is idempotent.
   */
  const sendRetryingStale: HttpSend = async (req) => {
    try {
      return await sendNow(req);
    } catch (err) {
      const again = (req.idempotent ?? req.method === "GET") && err instanceof NetworkError && err.staleConnection;
      if (!again) throw err;
      return sendNow(req);
    }
  };
  const sendNow: HttpSend = (req) =>
    new Promise<HttpResponse>((resolve, reject) => {
      const url = new URL(req.url);
      const isHttps = url.protocol === "https:";
      const body = req.body === undefined ? undefined : Buffer.from(req.body, "utf8");
      const headers: Record<string, string> = { ...req.headers };
      if (body) headers["content-length"] = String(body.length);
      const target = options.connectTo?.(url.hostname, Number(url.port || (isHttps ? 443 : 80)));
      const common = { method: req.method, agent: isHttps ? httpsAgent : httpAgent };
      const lib = isHttps ? https : http;
      const open = (onResponse: (res: http.IncomingMessage) => void): http.ClientRequest =>
        target === undefined
          ? lib.request(url, { ...common, headers }, onResponse)
          : // The TLS name and the Host header stay the URL's; only the socket goes elsewhere.
            lib.request(
              {
                ...common,
                protocol: url.protocol,
                hostname: target.host,
                port: target.port,
                path: `${url.pathname}${url.search}`,
                servername: url.hostname,
                headers: { host: url.host, ...headers },
              },
              onResponse,
            );
      const r = open((res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > MAX_RESPONSE_BYTES) {
            res.destroy(new NetworkError("response too large", false));
            return;
          }
          chunks.push(c);
        });
        res.on("error", (e) => reject(e instanceof NetworkError ? e : new NetworkError(e.message, false)));
        res.on("end", () => {
          const out: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) {
            if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
          }
          resolve({ status: res.statusCode ?? 0, headers: out, text: Buffer.concat(chunks).toString("utf8") });
        });
      });
      r.setTimeout(req.timeoutMs ?? DEFAULT_TIMEOUT_MS, () => {
        r.destroy(
          new NetworkError(`no answer from ${url.origin} within ${req.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`, true),
        );
      });
      r.on("error", (e: NodeJS.ErrnoException) => {
        if (e instanceof NetworkError) return reject(e);
        const stale = r.reusedSocket && (e.code === "ECONNRESET" || e.code === "EPIPE");
        reject(new NetworkError(`${url.origin}: ${e.message}`, false, stale));
      });
      r.end(body);
    });

  const fetchAdapter = async (
    url: string,
    init?: { headers?: HeadersInit; signal?: AbortSignal },
  ): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    const res = await send({ method: "GET", url, headers, timeoutMs: 10_000 });
    return new Response(res.text, { status: res.status, headers: res.headers });
  };

  return {
    send,
    fetch: fetchAdapter,
    close: () => {
      httpsAgent.destroy();
      httpAgent.destroy();
    },
  };
}
