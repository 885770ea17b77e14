/**
 * Checks a PostgreSQL database URL's form (config and openStore). The messages never repeat the
 * URL: it may carry a password, and names an internal host.
 */
export function checkDatabaseUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "is not a URL: expected postgres://user:password@host:5432/database";
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    return "must be a postgres:// (or postgresql://) URL";
  }
  if (parsed.pathname.replace(/^\//, "") === "") return "must name the database (postgres://host/database)";
  return undefined;
}
