import path from "node:path";
import { parseArgs } from "node:util";
import { ManifestError } from "./errors";

/** Where CLI output goes; tests pass their own. */
export interface CliOutput {
  log(line: string): void;
  error(line: string): void;
}

export const consoleOutput: CliOutput = {
  log: (line) => console.log(line),
  error: (line) => console.error(line),
};

/**
 * True when `file` is the script being run: directly (`tsx file.ts`) or through bin/run-ts.js, which puts the
 * entry's path in argv[1] and `require`s it (so `require.main === module` does not hold).
 */
export function isEntryPoint(file: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && path.resolve(entry) === file;
}

export function parseCliOptions<K extends string>(
  argv: readonly string[],
  names: readonly K[],
): Partial<Record<K, string>> {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: Object.fromEntries(names.map((n) => [n, { type: "string" as const }])),
      strict: true,
      allowPositionals: false,
    });
    return values as Partial<Record<K, string>>;
  } catch (error) {
    throw new ManifestError(
      "ARGS_INVALID",
      `${(error as Error).message}. Options: ${names.map((n) => `--${n} <value>`).join(" ")}`,
    );
  }
}

/** Prints an error the user can act on and returns the exit code; unexpected errors keep their stack. */
export function reportFailure(error: unknown, out: CliOutput): number {
  if (error instanceof ManifestError) out.error(`error ${error.code}: ${error.message}`);
  else out.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return 1;
}

export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}
