/**
 * Errors of the manifest tooling. Every failure carries a stable `code` (tests and the CLI use it) and,
 * where there are several problems, every one of them in `details` so a user fixes them in one pass.
 */
export type ManifestErrorCode =
  "ARGS_INVALID" | "ENV_NOT_FOUND" | "ENV_INVALID" | "TEMPLATE_INVALID" | "PACKAGE_UNREADABLE" | "MANIFEST_INVALID";

export class ManifestError extends Error {
  override readonly name = "ManifestError";
  constructor(
    readonly code: ManifestErrorCode,
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(details.length === 0 ? message : `${message}\n  - ${details.join("\n  - ")}`);
  }
}

/** Codes of single validation findings; stable so tests and docs can refer to them. */
export type IssueCode =
  | "SCHEMA"
  | "SCHEMA_NOT_BUNDLED"
  | "HTTPS_REQUIRED"
  | "DOMAIN_NOT_VALID"
  | "RESOURCE_MISMATCH"
  | "EXTENSIONS_TOO_MANY"
  | "ICON_MISSING"
  | "ICON_NOT_PNG"
  | "ICON_SIZE"
  | "ICON_NOT_TRANSPARENT"
  | "ICON_NOT_WHITE"
  | "ADDIN_ICON_SIZES"
  | "PACKAGE_LAYOUT";

/** One problem found in a manifest; `path` is a JSON pointer ("/staticTabs/0/contentUrl") or a file name. */
export interface ValidationIssue {
  readonly code: IssueCode;
  readonly path: string;
  readonly message: string;
}

export function formatIssue(issue: ValidationIssue): string {
  return `${issue.path || "/"}: ${issue.message} [${issue.code}]`;
}
