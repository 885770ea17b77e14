/**
 * Structured JSON logs, one object per line. Callers pass fields explicitly; nothing here ever
 * sees a request's headers, so tokens cannot end up in a log by accident.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Anything that looks like a JWT or a bearer credential is masked, as a last line of defence. */
const SECRET_PATTERN = /(eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*)|(Bearer\s+\S+)/g;

export function redact(text: string): string {
  return text.replace(SECRET_PATTERN, "[redacted]");
}

export function createLogger(
  level: LogLevel = "info",
  sink: (line: string) => void = (line) => void process.stdout.write(line + "\n"),
  base: LogFields = {},
): Logger {
  const write = (lvl: LogLevel, msg: string, fields?: LogFields): void => {
    if (ORDER[lvl] < ORDER[level]) return;
    const record: Record<string, unknown> = { at: new Date().toISOString(), level: lvl, msg, ...base, ...fields };
    sink(redact(JSON.stringify(record)));
  };
  return {
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
    child: (fields) => createLogger(level, sink, { ...base, ...fields }),
  };
}

/** A logger that drops everything (benchmarks). */
export const silentLogger: Logger = createLogger("error", () => undefined);
