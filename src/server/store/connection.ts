import type BetterSqlite3 from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql, type RawBuilder } from "kysely";
import type { Pool } from "pg";
import type { Database } from "./schema";

/**
 * Why Kysely: one typed query builder for both databases, so every store method is written once
 * and checked by the compiler against the table types in schema.ts, whether it runs on the embedded
 * SQLite file (better-sqlite3) or on a shared PostgreSQL (pg.Pool). It is a query builder, not an
 * ORM: the SQL it produces is the SQL we would write, transactions are explicit, and the few
 * dialect-specific bits (DDL, row order, row locks) stay visible where they are used. Its Migrator
 * is not used: see migrations.ts for the numbered migrator we keep and why.
 */
export type Dialect = "sqlite" | "postgres";

/** The store's handle on its database: the query builder, which dialect, and (SQLite) the file. */
export interface StoreDb {
  readonly kysely: Kysely<Database>;
  readonly dialect: Dialect;
  /** The better-sqlite3 connection (SQLite only): pragmas and synchronous migrations. */
  readonly sqlite: BetterSqlite3.Database | null;
  close(): Promise<void>;
}

/** Where the store classes accept a database: an open better-sqlite3 file or a StoreDb. */
export type DbLike = StoreDb | BetterSqlite3.Database;

const wrapped = new WeakMap<BetterSqlite3.Database, StoreDb>();

/** The StoreDb over a better-sqlite3 connection (one per connection, so every store shares its queue). */
export function sqliteStoreDb(db: BetterSqlite3.Database): StoreDb {
  let handle = wrapped.get(db);
  if (!handle) {
    const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: db }) });
    let closing: Promise<void> | undefined;
    handle = {
      kysely,
      dialect: "sqlite",
      sqlite: db,
      // Kysely's SQLite driver closes the file on destroy; a file closed elsewhere is already done.
      close: () => (closing ??= db.open ? kysely.destroy() : Promise.resolve()),
    };
    wrapped.set(db, handle);
  }
  return handle;
}

export function postgresStoreDb(pool: Pool): StoreDb {
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closing: Promise<void> | undefined;
  // Kysely's destroy ends the pool.
  return { kysely, dialect: "postgres", sqlite: null, close: () => (closing ??= kysely.destroy()) };
}

export function toStoreDb(db: DbLike): StoreDb {
  return "kysely" in db ? db : sqliteStoreDb(db);
}

/**
 * Insertion order, the tie-break when two rows have the same timestamp: SQLite's rowid, and on
 * PostgreSQL the identity column row_seq its tables have for this (PostgreSQL has no rowid).
 */
export function insertionOrder(dialect: Dialect): RawBuilder<number> {
  return dialect === "sqlite" ? sql<number>`rowid` : sql<number>`row_seq`;
}

/** A unique index refused the row: SQLite's SQLITE_CONSTRAINT_UNIQUE, PostgreSQL's 23505 (unique_violation). */
export function isUniqueViolation(err: unknown, index?: string): boolean {
  const e = err as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e.code === "SQLITE_CONSTRAINT_UNIQUE") {
    // SQLite names the columns, not the index; the caller's index is the only unique one it can hit.
    return true;
  }
  if (e.code === "23505") return index === undefined || e.constraint === index;
  return false;
}

/** Rows an UPDATE / DELETE / INSERT changed, from Kysely's result (a bigint on both drivers). */
export function changed(result: {
  numUpdatedRows?: bigint;
  numDeletedRows?: bigint;
  numInsertedOrUpdatedRows?: bigint;
}): number {
  return Number(result.numUpdatedRows ?? result.numDeletedRows ?? result.numInsertedOrUpdatedRows ?? 0n);
}
