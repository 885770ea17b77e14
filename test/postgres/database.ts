import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { Client } from "pg";
import { ADMIN_URL_ENV, BIN_DIR_ENV } from "./cluster";

/**
 * Databases in the run's throwaway cluster (test/globalSetup.ts starts it): each suite, and each
 * backend started on PostgreSQL, gets its own, so suites running in parallel never see each other's
 * rows. The cluster (and every database in it) is removed when the run ends.
 */
function adminUrl(): URL {
  const url = process.env[ADMIN_URL_ENV];
  if (!url)
    throw new Error(`${ADMIN_URL_ENV} is not set: run the tests through jest (test/globalSetup.ts starts PostgreSQL)`);
  return new URL(url);
}

function newName(): string {
  return `ja_test_${randomBytes(6).toString("hex")}`;
}

function urlOf(name: string): string {
  const url = adminUrl();
  url.pathname = `/${name}`;
  return url.toString();
}

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** CREATE DATABASE with a random name; drop() removes it (closing what still holds it). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = newName();
  const admin = new Client({ connectionString: adminUrl().toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: urlOf(name),
    drop: async () => {
      const c = new Client({ connectionString: adminUrl().toString() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * The same, synchronously (createdb), for harnesses that build a backend's settings synchronously;
 * the database goes with the cluster at the end of the run.
 */
export function createTestDatabaseSync(): string {
  const name = newName();
  const admin = adminUrl();
  const bin = process.env[BIN_DIR_ENV] ?? "";
  execFileSync(
    join(bin, "createdb"),
    ["-h", admin.hostname, "-p", admin.port, "-U", decodeURIComponent(admin.username), name],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  return urlOf(name);
}

/** JA_TEST_DATABASE=postgres runs the API and browser suites' backends on PostgreSQL. */
export function backendOnPostgres(): boolean {
  return (process.env.JA_TEST_DATABASE ?? "sqlite").toLowerCase() === "postgres";
}

const byDataDir = new Map<string, string>();

/**
 * The backend settings for the chosen database: none (SQLite in the data folder), or with
 * JA_TEST_DATABASE=postgres a PostgreSQL database of its own, the same one each time for the same
 * data folder, so a backend restarted on its data folder (restart tests) finds its runs again.
 */
export function testBackendDatabase(dataDir: string): { databaseUrl?: string } {
  if (!backendOnPostgres()) return {};
  let url = byDataDir.get(dataDir);
  if (url === undefined) {
    url = createTestDatabaseSync();
    byDataDir.set(dataDir, url);
  }
  return { databaseUrl: url };
}
