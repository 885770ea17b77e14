/**
 * npm run package -- --env <name> [--out <dir>]
 * Fills manifest.template.json with manifest/environments/<name>.json, validates the result offline and
 * writes <out>/appPackage.<name>.zip (default out: dist/). Prints the zip's path.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildPackage, packageToZip, validatePackage, type AppPackage } from "../lib/appPackage";
import { consoleOutput, displayPath, isEntryPoint, parseCliOptions, reportFailure, type CliOutput } from "../lib/cli";
import { loadEnvironment } from "../lib/environment";
import { formatIssue, ManifestError } from "../lib/errors";
import { DEFAULT_OUT_DIR, ENVIRONMENTS_DIR, ICONS_DIR, TEMPLATE_PATH } from "../lib/paths";

export interface PackageOptions {
  readonly env: string;
  readonly outDir?: string;
  readonly environmentsDir?: string;
  readonly templatePath?: string;
  readonly iconsDir?: string;
}

export interface PackageResult {
  readonly zipPath: string;
  readonly appPackage: AppPackage;
}

/** Builds and validates the package; writes the zip only when there is no error (else throws MANIFEST_INVALID). */
export async function packageApp(options: PackageOptions): Promise<PackageResult> {
  const env = loadEnvironment(options.env, options.environmentsDir ?? ENVIRONMENTS_DIR);
  const iconsDir = options.iconsDir ?? ICONS_DIR;
  const appPackage = buildPackage(env, { templatePath: options.templatePath ?? TEMPLATE_PATH, iconsDir });
  const issues = await validatePackage(appPackage, { addinIconsDir: iconsDir });
  if (issues.length > 0) {
    throw new ManifestError(
      "MANIFEST_INVALID",
      `The manifest for "${env.name}" has ${issues.length} error(s); no package written:`,
      issues.map(formatIssue),
    );
  }
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, `appPackage.${env.name}.zip`);
  writeFileSync(zipPath, packageToZip(appPackage));
  return { zipPath, appPackage };
}

export async function main(argv: readonly string[], out: CliOutput = consoleOutput): Promise<number> {
  try {
    const args = parseCliOptions(argv, ["env", "out"]);
    if (args.env === undefined)
      throw new ManifestError("ARGS_INVALID", "Missing --env <name> (e.g. npm run package -- --env local)");
    const { zipPath } = await packageApp({
      env: args.env,
      ...(args.out === undefined ? {} : { outDir: path.resolve(args.out) }),
    });
    out.log(displayPath(zipPath));
    return 0;
  } catch (error) {
    return reportFailure(error, out);
  }
}

if (isEntryPoint(__filename)) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
