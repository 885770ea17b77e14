import type { IncomingHttpHeaders } from "node:http";

/** A parsed request as route handlers see it (body already read, within the size limit). */
export interface EmulatorRequest {
  method: string;
  /** Path without the query, percent-decoding left to the handler. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Raw body text ("" when none). */
  rawBody: string;
  /** Route parameters from the matched pattern (`:tenant` -> params.tenant), decoded. */
  params: Record<string, string>;
  /** Emulator origin, e.g. https://localhost:4443 (for issuers and links). */
  origin: string;
}

export interface EmulatorResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type RouteHandler = (req: EmulatorRequest) => Promise<EmulatorResponse> | EmulatorResponse;
