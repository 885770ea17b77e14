import type { EmulatorResponse } from "../http/types";

/**
 * OData JSON metadata levels (`Accept: application/json;odata.metadata=none|minimal|full`). Graph answers
 * with `minimal` by default: `@odata.context`, `@odata.type` where the type is not the declared one,
 * `@odata.nextLink`, `@odata.count`. With `none`, "the service omits control information other than
 * odata.nextLink and odata.count" (OData JSON Format 4.01, "Controlling the Amount of Control Information",
 * https://docs.oasis-open.org/odata/odata-json-format/v4.01/odata-json-format-v4.01.html#sec_metadatanoneodatametadatanone).
 * `full` is answered as `minimal` here [emulator]. The response's Content-Type names the level as Graph's
 * does: `application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8`.
 */
export type MetadataLevel = "minimal" | "none";

/** The metadata level the Accept header asks for (the first JSON media range that names one). */
export function metadataLevel(accept: string | undefined): MetadataLevel {
  for (const range of (accept ?? "").split(",")) {
    const m = /odata\.metadata\s*=\s*"?([a-z]+)"?/i.exec(range);
    if (m !== null && /^\s*application\/(json|\*)|^\s*\*\/\*/i.test(range)) {
      return m[1]!.toLowerCase() === "none" ? "none" : "minimal";
    }
  }
  return "minimal";
}

const KEPT_WITHOUT_METADATA = new Set(["@odata.nextLink", "@odata.count"]);

function strip(value: unknown, top: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => strip(v, false));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith("@odata.") && !(top && KEPT_WITHOUT_METADATA.has(k))) continue;
    out[k] = strip(v, false);
  }
  return out;
}

/** A successful JSON Graph response at the asked metadata level, with Graph's OData Content-Type. */
export function withMetadataLevel(res: EmulatorResponse, level: MetadataLevel): EmulatorResponse {
  const type = res.headers["content-type"] ?? "";
  if (res.status < 200 || res.status >= 300 || !type.startsWith("application/json")) return res;
  const body = level === "none" ? JSON.stringify(strip(JSON.parse(res.body) as unknown, true)) : res.body;
  return {
    ...res,
    headers: {
      ...res.headers,
      "content-type": `application/json;odata.metadata=${level};odata.streaming=true;IEEE754Compatible=false;charset=utf-8`,
    },
    body,
  };
}
