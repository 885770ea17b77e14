import { parseArgs, type ParseArgsConfig } from "node:util";

/**
 * One command of `journaling-assistant`: its options (parsed by node:util's parseArgs) and its
 * help text, so `journaling-assistant <command> --help` and usage errors say the same thing.
 */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const processIO: CliIO = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
};

type Options = NonNullable<ParseArgsConfig["options"]>;

/** What parseArgs gives for each option: a string, or a boolean for flags (undefined when absent). */
export type OptionValues<O extends Options> = {
  readonly [K in keyof O]?: O[K] extends { type: "boolean" } ? boolean : string;
};

export interface CommandSpec<O extends Options, N extends string = string> {
  readonly name: N;
  /** One line for the command list. */
  readonly summary: string;
  /** Option lines of the help, aligned by hand (`  --port N   what it does`). */
  readonly optionHelp: readonly string[];
  /** Paragraphs after the options (examples, where the configuration comes from). */
  readonly notes?: string;
  readonly options: O;
}

/** Declares a command; the option types are inferred for its body. */
export function defineCommand<const O extends Options, const N extends string>(
  spec: CommandSpec<O, N>,
): CommandSpec<O, N> {
  return spec;
}

/** A bad command line: exit code 2, the message and the usage on stderr. */
export class UsageError extends Error {
  readonly code = "usage";
}

export function helpText(spec: CommandSpec<Options>): string {
  return [
    `Usage: journaling-assistant ${spec.name} [options]`,
    "",
    spec.summary,
    "",
    "Options:",
    ...spec.optionHelp,
    "  -h, --help               show this help",
    ...(spec.notes ? ["", spec.notes] : []),
    "",
  ].join("\n");
}

interface NodeParseError extends Error {
  readonly code?: string;
}

/** Parses argv strictly: unknown options and stray arguments are usage errors worded for a person. */
export function parseCommandArgs<O extends Options>(
  spec: CommandSpec<O>,
  argv: readonly string[],
): { readonly values: OptionValues<O>; readonly help: boolean } {
  const withHelp: Options = { ...spec.options, help: { type: "boolean", short: "h" } };
  try {
    const { values } = parseArgs({ args: [...argv], options: withHelp, strict: true, allowPositionals: false });
    const help = (values as Record<string, unknown>).help === true;
    return { values: values as OptionValues<O>, help };
  } catch (err) {
    throw new UsageError(wordParseError(err as NodeParseError, argv));
  }
}

function wordParseError(err: NodeParseError, argv: readonly string[]): string {
  const option = /'(-{1,2}[^' ]+)/.exec(err.message)?.[1];
  switch (err.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option '${option ?? "?"}'`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return /argument missing/.test(err.message)
        ? `${option ?? "an option"} needs a value`
        : `${option ?? "an option"} takes no value`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL": {
      const stray = argv.find((a) => !a.startsWith("-"));
      return `unexpected argument ${JSON.stringify(stray ?? "")}`;
    }
    default:
      return err.message;
  }
}

/** A port number option: 0 (any free port) to 65535. */
export function portOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (value.trim() === "" || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--${name} needs a port number (0-65535), got '${value}'`);
  }
  return port;
}

/** One of a fixed set of values. */
export function choiceOption<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(
      `--${name} must be ${allowed.slice(0, -1).join(", ")} or ${allowed.at(-1) ?? ""}, got '${value}'`,
    );
  }
  return value as T;
}

/** Runs a command body; usage errors print the message and the help on stderr and exit 2. */
export async function runCommand<O extends Options>(
  spec: CommandSpec<O>,
  argv: readonly string[],
  io: CliIO,
  body: (values: OptionValues<O>) => Promise<number> | number,
): Promise<number> {
  try {
    const { values, help } = parseCommandArgs(spec, argv);
    if (help) {
      io.stdout(helpText(spec));
      return 0;
    }
    return await body(values);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`${spec.name}: ${err.message}\n\n${helpText(spec)}`);
      return 2;
    }
    throw err;
  }
}

/**
 * Resolves on the first SIGINT or SIGTERM (Ctrl-C in a terminal, a stop from a supervisor). The
 * handlers stay installed while the command shuts down: under `npm start` one Ctrl-C arrives twice
 * (from the terminal to the whole process group, and forwarded by npm), and the second must not kill
 * the process half-way through its clean stop. A signal more than a second after the first is a
 * person insisting: the process exits at once (130).
 */
export function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    let first: number | undefined;
    const onSignal = (): void => {
      const now = Date.now();
      if (first === undefined) {
        first = now;
        resolve();
      } else if (now - first > 1000) {
        process.exit(130);
      }
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
