/**
 * Assembling, validating, zipping and reading the app package (manifest.json + color.png + outline.png).
 * Reading goes through readZip's limits: a package given to `validate --zip` may be hostile.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { checkPackage, type AppPackage, type CheckOptions } from "./checks";
import type { ManifestEnvironment } from "./environment";
import { ManifestError, type ValidationIssue } from "./errors";
import { ICONS_DIR, TEMPLATE_PATH } from "./paths";
import { validateAgainstBundledSchema } from "./schema";
import { fillTemplate, readTemplate, type JsonObject } from "./template";
import { DEFAULT_ZIP_LIMITS, readZip, writeZip, ZipFormatError, type ZipLimits } from "./zip";

export type { AppPackage } from "./checks";

export const MANIFEST_FILE = "manifest.json";

export interface BuildOptions {
  readonly templatePath?: string;
  readonly iconsDir?: string;
}

/** The manifest for one environment: the template with every placeholder filled. */
export function buildManifest(env: ManifestEnvironment, templatePath: string = TEMPLATE_PATH): JsonObject {
  return fillTemplate(readTemplate(templatePath), env.values);
}

/** The package in memory: the filled manifest plus the icon files it names (missing ones are left for validation to report). */
export function buildPackage(env: ManifestEnvironment, options: BuildOptions = {}): AppPackage {
  const manifest = buildManifest(env, options.templatePath);
  const iconsDir = options.iconsDir ?? ICONS_DIR;
  const files = new Map<string, Buffer>();
  const icons = manifest.icons;
  if (typeof icons === "object" && icons !== null && !Array.isArray(icons)) {
    for (const name of Object.values(icons)) {
      if (typeof name !== "string" || name.includes("/") || name.includes("\\")) continue;
      const file = path.join(iconsDir, name);
      if (existsSync(file)) files.set(name, readFileSync(file));
    }
  }
  return { manifest, files };
}

/** Schema (offline, bundled) plus our own checks; an empty list means valid. */
export async function validatePackage(pkg: AppPackage, options: CheckOptions = {}): Promise<ValidationIssue[]> {
  return [...(await validateAgainstBundledSchema(pkg.manifest)), ...checkPackage(pkg, options)];
}

export function packageToZip(pkg: AppPackage): Buffer {
  const manifestJson = Buffer.from(JSON.stringify(pkg.manifest, null, 2) + "\n", "utf8");
  return writeZip([
    { name: MANIFEST_FILE, data: manifestJson },
    ...[...pkg.files].map(([name, data]) => ({ name, data })),
  ]);
}

/** The error for a zip that could not be read; a refused (possibly hostile) zip says so and why. */
export function unreadableZip(source: string, error: ZipFormatError): ManifestError {
  const failure = error.refused
    ? new ManifestError(
        "PACKAGE_UNREADABLE",
        `${source}: refused, as it could be a hostile zip: ${error.message}. An app package holds only ` +
          "manifest.json and its icons, at the root of the zip: rebuild it with npm run package -- --env <name>",
        error.details,
      )
    : new ManifestError("PACKAGE_UNREADABLE", `${source}: ${error.message}`, error.details);
  failure.cause = error;
  return failure;
}

/** Reads a package from a zip within `limits` (see ZipLimits); a damaged or refused zip is PACKAGE_UNREADABLE. */
export function zipToPackage(zip: Buffer, source = "package", limits: ZipLimits = DEFAULT_ZIP_LIMITS): AppPackage {
  let entries: Map<string, Buffer>;
  try {
    entries = readZip(zip, limits);
  } catch (error) {
    if (error instanceof ZipFormatError) throw unreadableZip(source, error);
    throw error;
  }
  const manifestBytes = entries.get(MANIFEST_FILE);
  if (manifestBytes === undefined) {
    throw new ManifestError(
      "PACKAGE_UNREADABLE",
      `${source}: no ${MANIFEST_FILE} at the root of the zip (found: ${[...entries.keys()].join(", ") || "nothing"})`,
    );
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(manifestBytes.toString("utf8").replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new ManifestError(
      "PACKAGE_UNREADABLE",
      `${source}: ${MANIFEST_FILE} is not valid JSON (${(error as Error).message})`,
    );
  }
  if (typeof manifest !== "object" || manifest === null || Array.isArray(manifest)) {
    throw new ManifestError("PACKAGE_UNREADABLE", `${source}: ${MANIFEST_FILE} must contain a JSON object`);
  }
  entries.delete(MANIFEST_FILE);
  return { manifest: manifest as JsonObject, files: entries };
}
