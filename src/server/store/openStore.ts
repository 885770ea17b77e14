import { sqliteStoreDb } from "./connection";
import { openDatabase } from "./db";
import { openPostgres } from "./postgres";
import { Store } from "./tenantStore";

/**
 * The backend's store: PostgreSQL when a database URL is given (`serve --database`,
 * JA_DATABASE_URL: several instances share it), else the SQLite file in the data folder (the
 * default: `npm start`, one-organisation installs, the CLI's local mode). Either way migrated to the
 * current schema before it is returned. DatabaseUnavailableError (postgres.ts) when PostgreSQL
 * cannot be reached or refuses; its message names no host, port or password.
 */
export interface OpenStoreOptions {
  readonly dataDir: string;
  readonly databaseUrl?: string | null;
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (options.databaseUrl) return new Store(await openPostgres(options.databaseUrl));
  return new Store(sqliteStoreDb(openDatabase(options.dataDir)));
}
