// Applies the committed prisma/migrations/*/migration.sql to a database with plain `pg`, for
// `npm start`, `npm run serve`, create-admin and the test databases. Prisma's schema engine is a
// native download this machine kind cannot fetch; its stand-in (tools/prisma-engine) is for
// *creating* migrations in development and is never used at run time.
//
// The bookkeeping is Prisma's own `_prisma_migrations` table, written the way the schema engine
// writes it (same DDL, checksum, columns), so `prisma migrate status|deploy|resolve` keep working
// on a database this migrator has migrated.
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { installJobSchema } from "../../lib/jobs/schema";
import { PROJECT_ROOT } from "./postgres";

export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, "prisma/migrations");

// Prisma Migrate's own key (schema-engine's PostgreSQL connector). Taking the same session lock
// means this migrator, `prisma migrate deploy` and `migrate dev` never work on one database at
// the same time; two app instances started together migrate once, the second waits.
export const PRISMA_MIGRATE_LOCK_KEY = 72707369;

// The schema engine's DDL for PostgreSQL, verbatim (created under the lock, so IF NOT EXISTS
// only matters for a table Prisma itself created).
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

/** The database's migration history contradicts the committed migrations: starting would be unsafe. */
export class MigrationRefusedError extends Error {
  override name = "MigrationRefusedError";
}

export type Migration = { name: string; script: string; checksum: string };

type HistoryRow = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  logs: string | null;
};

function sha256(bytes: Buffer): Buffer {
  return createHash("sha256").update(bytes).digest();
}

/** Prisma's checksum: SHA-256 of migration.sql's bytes, lower-case hex. */
export function checksumOf(script: string): string {
  return sha256(Buffer.from(script, "utf8")).toString("hex");
}

// As the schema engine compares (schema-connector/src/checksum.rs): the file as it is, or with
// its line endings converted either way (git may check a file out with CRLF); and rows written
// by old engines hold hex without zero padding.
function matchesChecksum(script: string, recorded: string): boolean {
  const variants = [script, script.replaceAll("\r\n", "\n"), script.replaceAll("\n", "\r\n")];
  return variants.some((variant) => {
    const digest = sha256(Buffer.from(variant, "utf8"));
    const hex = recorded.length === 64 ? digest.toString("hex") : [...digest].map((b) => b.toString(16)).join("");
    return hex === recorded;
  });
}

/** The committed migrations in the order Prisma applies them (directory name, byte order). */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name, "migration.sql");
      const script = await readFile(file, "utf8").catch((e: NodeJS.ErrnoException) => {
        if (e.code === "ENOENT")
          throw new MigrationRefusedError(
            `${path.relative(PROJECT_ROOT, file)} is missing: every migration folder needs its migration.sql.`,
          );
        throw e;
      });
      return { name, script, checksum: checksumOf(script) };
    }),
  );
}

// What Prisma's `migrate deploy` refuses (a failed migration, P3009) plus an edited one, which
// Prisma only warns about: the database would then not be what the file says it is.
function refusalFor(history: HistoryRow[], migrations: Migration[]): string | null {
  const failed = history.find((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed) {
    return (
      `migration ${failed.migration_name} started on ${failed.started_at.toISOString()} and never finished ` +
      `(_prisma_migrations.finished_at is empty)${failed.logs ? `: ${failed.logs.trim()}` : ""}. ` +
      "Its changes may be partly applied. Repair the database by hand, then record the outcome with " +
      `\`npm run prisma -- migrate resolve --rolled-back ${failed.migration_name}\` (to run it again) or ` +
      `\`--applied ${failed.migration_name}\`, and start again.`
    );
  }
  const byName = new Map(migrations.map((m) => [m.name, m]));
  for (const row of history) {
    const migration = byName.get(row.migration_name);
    if (!migration || row.rolled_back_at !== null) continue;
    if (!matchesChecksum(migration.script, row.checksum)) {
      return (
        `prisma/migrations/${row.migration_name}/migration.sql was edited after it was applied to this database ` +
        `(checksum recorded ${row.checksum}, file ${migration.checksum}). Restore the file as it was applied and put ` +
        "the change in a new migration (`npm run prisma -- migrate dev`)."
      );
    }
  }
  return null;
}

function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const pgError = e as Error & { code?: string; detail?: string; where?: string };
  return [pgError.code ? `${pgError.message} (SQLSTATE ${pgError.code})` : pgError.message, pgError.detail, pgError.where]
    .filter(Boolean)
    .join("\n");
}

// One migration, one transaction: the history row, the script and the row's completion commit
// together, so a crash or an error leaves neither a half-applied schema nor a failed row that
// blocks the next start (unlike Prisma's engine, which runs the script outside a transaction).
// The script goes as one simple-protocol query, so `$$ … $$` bodies and many statements work; a
// statement that cannot run in a transaction (CREATE INDEX CONCURRENTLY) is therefore refused.
async function applyMigration(client: pg.Client, migration: Migration): Promise<void> {
  const id = randomUUID();
  try {
    await client.query("BEGIN");
    await client.query("INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES ($1, $2, now(), $3)", [
      id,
      migration.checksum,
      migration.name,
    ]);
    await client.query(migration.script);
    await client.query(
      "UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1, finished_at = clock_timestamp() WHERE id = $1",
      [id],
    );
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    const logs = describeError(e);
    // The attempt is kept in the history as Prisma keeps a resolved failure: rolled back, with
    // its error, and ignored by `migrate status` and by the next start, which tries again.
    await client
      .query(
        "INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name, logs, rolled_back_at) VALUES ($1, $2, now(), $3, $4, clock_timestamp())",
        [randomUUID(), migration.checksum, migration.name, logs],
      )
      .catch(() => {});
    throw new Error(`migration ${migration.name} failed and was rolled back (the database is as it was before it):\n${logs}`);
  }
}

export type MigrateResult = { applied: string[]; upToDate: string[] };

/**
 * Brings the database up to the committed migrations. Throws MigrationRefusedError, with what to
 * do, when the history says a migration failed or a file was edited after it was applied.
 */
export async function migrateDeploy(
  databaseUrl: string,
  options: { dir?: string; log?: (line: string) => void } = {},
): Promise<MigrateResult> {
  const log = options.log ?? (() => {});
  const migrations = await readMigrations(options.dir);
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "backout-migrate" });
  await client.connect();
  try {
    // A session lock (not a transaction lock): it is held across the per-migration transactions,
    // and PostgreSQL drops it if this process dies, so a crash never leaves the database locked.
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [PRISMA_MIGRATE_LOCK_KEY]);
    if (!rows[0].locked) {
      log("another process is migrating this database; waiting for it to finish");
      await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
    }
    await client.query(CREATE_MIGRATIONS_TABLE);
    const history = (
      await client.query<HistoryRow>(
        "SELECT migration_name, checksum, finished_at, rolled_back_at, started_at, logs FROM _prisma_migrations ORDER BY started_at",
      )
    ).rows;
    const refusal = refusalFor(history, migrations);
    if (refusal) throw new MigrationRefusedError(`Refusing to migrate: ${refusal}`);

    const done = new Set(history.filter((r) => r.finished_at !== null && r.rolled_back_at === null).map((r) => r.migration_name));
    const local = new Set(migrations.map((m) => m.name));
    const unknown = [...done].filter((name) => !local.has(name));
    // A database already migrated by a newer release (a rolling deploy): not an error, but said.
    if (unknown.length > 0) log(`the database has migrations this code does not know: ${unknown.join(", ")}`);

    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.name)) continue;
      await applyMigration(client, migration);
      applied.push(migration.name);
      log(`applied migration ${migration.name}`);
    }
    // The job tables too (graphile-worker's own migrations, under its own lock): a transaction that
    // ends a rollback run adds its summary job, even on a database no server has started on yet.
    await installJobSchema(databaseUrl);
    return { applied, upToDate: migrations.filter((m) => done.has(m.name)).map((m) => m.name) };
  } finally {
    // Ending the session releases the advisory lock.
    await client.end().catch(() => {});
  }
}
