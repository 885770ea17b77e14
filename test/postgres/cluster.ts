import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A throwaway PostgreSQL cluster for one jest run: Debian's server binaries, a temp folder, a free
 * port on 127.0.0.1, trust authentication (nothing but this machine can reach it), its unix socket
 * in the temp folder. initdb refuses to run as root, so as root it runs as the `postgres` user.
 * Durability is off (fsync, synchronous_commit): the cluster is deleted after the run anyway.
 * Starting one takes about a second, so globalSetup always starts it.
 */
export const ADMIN_URL_ENV = "JA_TEST_PG_ADMIN_URL";
export const BIN_DIR_ENV = "JA_TEST_PG_BIN";
const FOLDER_ENV = "JA_TEST_PG_FOLDER";

export const INSTALL_COMMAND = "apt-get install -y postgresql";

/** The newest /usr/lib/postgresql/<version>/bin holding initdb (Debian's layout), or PATH's. */
export function findPostgresBinaries(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] !== undefined) return join(root, versions[0], "bin");
  try {
    const bin = execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim();
    if (existsSync(join(bin, "initdb"))) return bin;
  } catch {
    // not installed
  }
  throw new Error(
    `The store tests need a PostgreSQL server (initdb, pg_ctl), and none is installed. Install it with:\n\n  ${INSTALL_COMMAND}\n\n(.ci/run does this on CI.)`,
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const asRoot = (): boolean => process.getuid?.() === 0;

/** Runs a server binary: as the postgres user when we are root (initdb and postgres refuse root). */
function runPg(bin: string, tool: string, args: readonly string[]): void {
  const [cmd, argv] = asRoot()
    ? ["runuser", ["-u", "postgres", "--", join(bin, tool), ...args]]
    : [join(bin, tool), [...args]];
  execFileSync(cmd, argv, { stdio: ["ignore", "ignore", "pipe"] });
}

export interface Cluster {
  readonly adminUrl: string;
  readonly folder: string;
  readonly bin: string;
}

export async function startCluster(): Promise<Cluster> {
  const bin = findPostgresBinaries();
  const folder = mkdtempSync(join(tmpdir(), "ja-pg-"));
  if (asRoot()) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(folder, uid, gid);
  }
  const data = join(folder, "data");
  try {
    runPg(bin, "initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--locale=C", "--encoding=UTF8", "-N"]);
    const port = await freePort();
    const settings = [
      `-p ${port}`,
      `-k ${folder}`,
      "-c listen_addresses=127.0.0.1",
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=300",
    ].join(" ");
    runPg(bin, "pg_ctl", ["-D", data, "-l", join(folder, "server.log"), "-o", settings, "-w", "start"]);
    return { adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`, folder, bin };
  } catch (err) {
    rmSync(folder, { recursive: true, force: true });
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? "";
    throw new Error(`could not start the test PostgreSQL cluster: ${stderr || String(err)}`);
  }
}

export function stopCluster(cluster: Pick<Cluster, "folder" | "bin">): void {
  try {
    runPg(cluster.bin, "pg_ctl", ["-D", join(cluster.folder, "data"), "-m", "immediate", "-w", "stop"]);
  } finally {
    rmSync(cluster.folder, { recursive: true, force: true });
  }
}

/** globalSetup: start the cluster and tell the workers (they inherit the environment). */
export async function startClusterForRun(): Promise<void> {
  const cluster = await startCluster();
  process.env[ADMIN_URL_ENV] = cluster.adminUrl;
  process.env[BIN_DIR_ENV] = cluster.bin;
  process.env[FOLDER_ENV] = cluster.folder;
}

/** globalTeardown: stop the cluster globalSetup started (same process). */
export function stopClusterForRun(): void {
  const folder = process.env[FOLDER_ENV];
  const bin = process.env[BIN_DIR_ENV];
  if (folder && bin) stopCluster({ folder, bin });
}
