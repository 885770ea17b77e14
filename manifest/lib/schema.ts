/**
 * Offline schema validation with @microsoft/app-manifest. We load the schema file the package bundles
 * ourselves and pass it in, so validation can never fall back to downloading the $schema URL.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { AppManifestUtils, type AppManifest } from "@microsoft/app-manifest";
import type { ValidationIssue } from "./errors";
import type { JsonObject } from "./template";

type BundledSchema = NonNullable<Parameters<typeof AppManifestUtils.validateAgainstSchema>[1]>;

const SCHEMA_URL =
  /^https:\/\/developer\.microsoft\.com\/(?:[a-z]{2}-[a-z]{2}\/)?json-schemas\/teams\/v([0-9.]+|DevPreview)\/MicrosoftTeams\.schema\.json$/;

function bundledSchemasDir(): string {
  return path.join(
    path.dirname(require.resolve("@microsoft/app-manifest/package.json")),
    "build",
    "json-schemas",
    "teams",
  );
}

/** Manifest schema versions shipped inside @microsoft/app-manifest, e.g. ["1.0", ..., "1.30", "DevPreview"]. */
export function bundledSchemaVersions(): string[] {
  return readdirSync(bundledSchemasDir())
    .filter((d) => existsSync(path.join(bundledSchemasDir(), d, "MicrosoftTeams.schema.json")))
    .map((d) => d.slice(1));
}

export async function validateAgainstBundledSchema(manifest: JsonObject): Promise<ValidationIssue[]> {
  const schemaUrl = manifest.$schema;
  const match = typeof schemaUrl === "string" ? SCHEMA_URL.exec(schemaUrl) : null;
  const version = match?.[1];
  if (version === undefined) {
    return [
      {
        code: "SCHEMA_NOT_BUNDLED",
        path: "/$schema",
        message: `must be a developer.microsoft.com Teams manifest schema URL (got ${JSON.stringify(schemaUrl)})`,
      },
    ];
  }
  const file = path.join(bundledSchemasDir(), `v${version}`, "MicrosoftTeams.schema.json");
  if (!existsSync(file)) {
    return [
      {
        code: "SCHEMA_NOT_BUNDLED",
        path: "/$schema",
        message: `schema v${version} is not bundled with @microsoft/app-manifest (bundled: ${bundledSchemaVersions().join(", ")}); validation never downloads schemas`,
      },
    ];
  }
  const issues: ValidationIssue[] = [];
  if (manifest.manifestVersion !== version) {
    issues.push({
      code: "SCHEMA",
      path: "/manifestVersion",
      message: `must be "${version}" to match $schema (got ${JSON.stringify(manifest.manifestVersion)})`,
    });
  }
  // The package types the manifest and schema precisely; ours is plain parsed JSON that the call itself checks.
  const schema = JSON.parse(readFileSync(file, "utf8")) as BundledSchema;
  const errors = await AppManifestUtils.validateAgainstSchema(manifest as unknown as AppManifest, schema);
  for (const error of errors) {
    // Messages look like "/staticTabs/0 must have required property 'scopes'. Details: {...}".
    const space = error.indexOf(" ");
    const pointer = error.startsWith("/") && space > 0 ? error.slice(0, space) : "/";
    issues.push({
      code: "SCHEMA",
      path: pointer,
      message: error.startsWith("/") ? error.slice(space + 1) : error.trim(),
    });
  }
  return issues;
}
