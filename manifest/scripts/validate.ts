/**
 * npm run validate [-- --env <name>] [-- --zip <path>]
 * Validates offline (schema bundled with @microsoft/app-manifest, never downloaded) plus the checks the schema
 * lacks. Without options: every environment in manifest/environments/. Exits 1 listing every error.
 */
import { readFileSync, statSync } from "node:fs";
import { buildPackage, unreadableZip, validatePackage, zipToPackage } from "../lib/appPackage";
import { consoleOutput, displayPath, isEntryPoint, parseCliOptions, reportFailure, type CliOutput } from "../lib/cli";
import { listEnvironments, loadEnvironment } from "../lib/environment";
import { formatIssue, ManifestError, type ValidationIssue } from "../lib/errors";
import { ENVIRONMENTS_DIR, ICONS_DIR, TEMPLATE_PATH } from "../lib/paths";
import { checkZipSize, DEFAULT_ZIP_LIMITS, ZipFormatError, type ZipLimits } from "../lib/zip";

export interface ValidationReport {
  /** "env local" or "zip dist/appPackage.local.zip". */
  readonly target: string;
  readonly issues: readonly ValidationIssue[];
  /** Set when the target could not even be built or read (bad environment file, unreadable zip). */
  readonly failure?: ManifestError;
}

export interface ValidateEnvOptions {
  readonly environmentsDir?: string;
  readonly templatePath?: string;
  readonly iconsDir?: string;
}

export async function validateEnvironment(name: string, options: ValidateEnvOptions = {}): Promise<ValidationReport> {
  const target = `env ${name}`;
  try {
    const env = loadEnvironment(name, options.environmentsDir ?? ENVIRONMENTS_DIR);
    const iconsDir = options.iconsDir ?? ICONS_DIR;
    const pkg = buildPackage(env, { templatePath: options.templatePath ?? TEMPLATE_PATH, iconsDir });
    return { target, issues: await validatePackage(pkg, { addinIconsDir: iconsDir }) };
  } catch (error) {
    if (error instanceof ManifestError) return { target, issues: [], failure: error };
    throw error;
  }
}

/**
 * Validates a built package as Teams receives it. Add-in icon files are checked against `addinIconsDir` when given.
 * The zip may come from anywhere: it is read within `limits`, and one over the size limit is not even loaded.
 */
export async function validateZip(
  zipPath: string,
  addinIconsDir?: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<ValidationReport> {
  const source = displayPath(zipPath);
  const target = `zip ${source}`;
  try {
    checkZipSize(statSync(zipPath).size, limits);
    const pkg = zipToPackage(readFileSync(zipPath), source, limits);
    return { target, issues: await validatePackage(pkg, addinIconsDir === undefined ? {} : { addinIconsDir }) };
  } catch (error) {
    if (error instanceof ZipFormatError) return { target, issues: [], failure: unreadableZip(source, error) };
    if (error instanceof ManifestError) return { target, issues: [], failure: error };
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      return {
        target,
        issues: [],
        failure: new ManifestError(
          "PACKAGE_UNREADABLE",
          `${displayPath(zipPath)} does not exist (run npm run package -- --env <name> first)`,
        ),
      };
    }
    throw error;
  }
}

export function isValid(report: ValidationReport): boolean {
  return report.failure === undefined && report.issues.length === 0;
}

export async function main(argv: readonly string[], out: CliOutput = consoleOutput): Promise<number> {
  try {
    const args = parseCliOptions(argv, ["env", "zip"]);
    const reports: ValidationReport[] = [];
    if (args.zip !== undefined) reports.push(await validateZip(args.zip, ICONS_DIR));
    if (args.env !== undefined) reports.push(await validateEnvironment(args.env));
    if (args.zip === undefined && args.env === undefined) {
      for (const name of listEnvironments()) reports.push(await validateEnvironment(name));
    }
    for (const report of reports) {
      if (report.failure !== undefined) {
        out.error(`FAIL ${report.target}: ${report.failure.code}: ${report.failure.message}`);
      } else if (report.issues.length > 0) {
        out.error(`FAIL ${report.target}: ${report.issues.length} error(s)`);
        for (const issue of report.issues) out.error(`  ${formatIssue(issue)}`);
      } else {
        out.log(`ok   ${report.target}`);
      }
    }
    return reports.every(isValid) ? 0 : 1;
  } catch (error) {
    return reportFailure(error, out);
  }
}

if (isEntryPoint(__filename)) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
