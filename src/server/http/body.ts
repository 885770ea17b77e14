import type { IncomingMessage } from "node:http";
import type { z } from "zod";
import { formatPath } from "../../core/errors";
import { ApiError, invalidRequest } from "../errors";

/** Reads a JSON request body: 415 unless JSON, 413 over the limit, 400 when malformed. */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  if (!/^application\/json\b/.test(type)) {
    return Promise.reject(new ApiError(415, "unsupported_media_type", "Send the body as application/json."));
  }
  const declared = Number(req.headers["content-length"] ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on("error", () => {
      if (!failed) reject(new ApiError(400, "invalid_json", "The request body could not be read."));
      failed = true;
    });
    req.on("end", () => {
      if (failed) return;
      const text = Buffer.concat(chunks).toString("utf8");
      try {
        resolve(text.trim() === "" ? undefined : (JSON.parse(text) as unknown));
      } catch {
        reject(new ApiError(400, "invalid_json", "The request body is not valid JSON."));
      }
    });
  });
}

function tooLarge(limit: number): ApiError {
  return new ApiError(413, "payload_too_large", `The request body is larger than ${Math.round(limit / 1024)} KiB.`);
}

/** Validates a parsed body against a zod schema; 400 invalid_request with field errors otherwise. */
export function validateBody<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw invalidRequest(parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
  }
  return parsed.data;
}
