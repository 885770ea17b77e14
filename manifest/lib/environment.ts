/**
 * Environment files (manifest/environments/<name>.json): the per-deployment values the template's
 * {{PLACEHOLDERS}} are filled with. The zod schema is the one definition of the fields; see
 * manifest/environments/README.md for what each one means.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { ManifestError } from "./errors";
import { ENVIRONMENTS_DIR } from "./paths";

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const SEMVER = /^\d+\.\d+\.\d+$/;

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

/** An https origin: scheme, host and optional port, nothing else (no path, no trailing slash). */
function isHttpsOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.origin === value;
  } catch {
    return false;
  }
}

const guid = (what: string): z.ZodString =>
  z
    .string({ error: `${what} is required` })
    .regex(GUID, `${what} must be a GUID like 00000000-0000-0000-0000-000000000000`);
const httpsUrl = (what: string): z.ZodString =>
  z.string({ error: `${what} is required` }).refine(isHttpsUrl, `${what} must be an absolute https:// URL`);

export const environmentSchema = z
  .object({
    APP_ID: guid('APP_ID (the Teams app id, manifest "id")'),
    APP_VERSION: z
      .string({ error: "APP_VERSION is required" })
      .regex(SEMVER, "APP_VERSION must be a version like 1.0.0 (raise it for every upload)"),
    PANE_ORIGIN: z
      .string({ error: "PANE_ORIGIN is required" })
      .refine(
        isHttpsOrigin,
        "PANE_ORIGIN must be an https origin like https://app.contoso.example (no path, no trailing slash)",
      ),
    CLIENT_ID: guid("CLIENT_ID (the Entra application (client) id)"),
    DEVELOPER_NAME: z
      .string({ error: "DEVELOPER_NAME is required" })
      .min(1, "DEVELOPER_NAME must not be empty")
      .max(32, "DEVELOPER_NAME must be at most 32 characters"),
    DEVELOPER_WEBSITE_URL: httpsUrl("DEVELOPER_WEBSITE_URL"),
    PRIVACY_URL: httpsUrl("PRIVACY_URL"),
    TERMS_OF_USE_URL: httpsUrl("TERMS_OF_USE_URL"),
  })
  .strict();

export type EnvironmentFile = z.infer<typeof environmentSchema>;

/** The environment's values plus the ones derived from them (PANE_HOST): everything the template may use. */
export type PlaceholderValues = EnvironmentFile & { readonly PANE_HOST: string };

export interface ManifestEnvironment {
  readonly name: string;
  readonly file: string;
  readonly values: PlaceholderValues;
}

/** Environment names are file names without ".json"; no path separators, so --env cannot escape the folder. */
const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function listEnvironments(dir: string = ENVIRONMENTS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length))
    .sort();
}

/** Checks parsed JSON against the schema and returns the values, or throws ENV_INVALID listing every problem. */
export function parseEnvironment(name: string, json: unknown, file = `${name}.json`): ManifestEnvironment {
  const result = environmentSchema.safeParse(json);
  if (!result.success) {
    const details = result.error.issues.map((issue) =>
      issue.path.length === 0
        ? issue.message
        : issue.message.startsWith(String(issue.path[0]))
          ? issue.message
          : `${issue.path.join(".")}: ${issue.message}`,
    );
    throw new ManifestError("ENV_INVALID", `Environment file ${file} is not valid:`, details);
  }
  return { name, file, values: { ...result.data, PANE_HOST: new URL(result.data.PANE_ORIGIN).host } };
}

export function loadEnvironment(name: string, dir: string = ENVIRONMENTS_DIR): ManifestEnvironment {
  const file = path.join(dir, `${name}.json`);
  if (!ENV_NAME.test(name) || !existsSync(file)) {
    throw new ManifestError(
      "ENV_NOT_FOUND",
      `No environment "${name}" in ${path.relative(process.cwd(), dir) || dir}. Available: ${listEnvironments(dir).join(", ") || "(none)"}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ManifestError("ENV_INVALID", `Environment file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseEnvironment(name, json, file);
}
