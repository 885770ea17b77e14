/**
 * Fills {{PLACEHOLDER}}s in the manifest template. Substitution happens on parsed JSON string values, never
 * on the raw text, so a value can never break the JSON or inject keys.
 */
import { readFileSync } from "node:fs";
import { ManifestError } from "./errors";
import { TEMPLATE_PATH } from "./paths";

const PLACEHOLDER = /\{\{([A-Z][A-Z0-9_]*)\}\}/g;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function readTemplate(file: string = TEMPLATE_PATH): JsonObject {
  const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ManifestError("TEMPLATE_INVALID", `${file} must contain a JSON object`);
  }
  return parsed as JsonObject;
}

export function fillTemplate(template: JsonObject, values: Readonly<Record<string, string>>): JsonObject {
  const unknown = new Set<string>();
  const fill = (value: JsonValue): JsonValue => {
    if (typeof value === "string") {
      return value.replace(PLACEHOLDER, (match, name: string) => {
        const replacement = values[name];
        if (replacement === undefined) {
          unknown.add(name);
          return match;
        }
        return replacement;
      });
    }
    if (Array.isArray(value)) return value.map(fill);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    }
    return value;
  };
  const filled = fill(template) as JsonObject;
  if (unknown.size > 0) {
    throw new ManifestError(
      "TEMPLATE_INVALID",
      "The manifest template uses placeholders no environment value exists for:",
      [...unknown].map((n) => `{{${n}}} (known: ${Object.keys(values).sort().join(", ")})`),
    );
  }
  return filled;
}
