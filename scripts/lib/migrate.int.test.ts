// The run-time migrator against real PostgreSQL: each test on a fresh, empty database of its own
// (on the server of DATABASE_URL), dropped at the end. Prisma's own CLI (through the development
// shim) is asked once whether it agrees with the history the migrator wrote.
import { spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startWhileMigrationLocked } from "@/lib/testing/migration-lock";
import { runPrisma } from "@/tools/prisma-engine/run.mjs";
import { checksumOf, MIGRATIONS_DIR, MigrationRefusedError, migrateDeploy, readMigrations } from "./migrate";
import { createDatabaseIfMissing, dropDatabase, externalServer, PROJECT_ROOT } from "./postgres";

const server = externalServer(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
const created: string[] = [];
const tempDirs: string[] = [];

afterAll(async () => {
  for (const name of created) await dropDatabase(server, name);
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

async function emptyDatabase(label: string): Promise<string> {
  const name = `backout_migrate_${label}_${Date.now().toString(36)}_${process.pid}`;
  await createDatabaseIfMissing(server, name);
  created.push(name);
  return server.urlFor(name);
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

type Row = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
  logs: string | null;
};
const history = (url: string) =>
  withClient(url, async (c) => (await c.query<Row>("SELECT * FROM _prisma_migrations ORDER BY started_at, migration_name")).rows);

/** A copy of the committed migrations that a test may edit. */
async function migrationsCopy(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "backout-migrations-"));
  tempDirs.push(dir);
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

/** `npm run migrate`'s script in a process of its own. */
function migrateProcess(url: string): { done: Promise<{ code: number | null; output: string }> } {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(PROJECT_ROOT, "scripts/migrate.ts")], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const done = new Promise<{ code: number | null; output: string }>((resolve) => child.on("close", (code) => resolve({ code, output })));
  return { done };
}

describe("migrateDeploy", () => {
  it("migrates an empty database, records every migration as Prisma does, and Prisma agrees it is up to date", async () => {
    const url = await emptyDatabase("empty");
    const migrations = await readMigrations();
    expect(migrations.length).toBeGreaterThan(0);

    const first = await migrateDeploy(url);
    expect(first.applied).toEqual(migrations.map((m) => m.name));

    const rows = await history(url);
    expect(rows.map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));
    for (const row of rows) {
      const file = await readFile(path.join(MIGRATIONS_DIR, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(checksumOf(file.toString("utf8")));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    // The schema itself is there (a table of the first migration, a function of a later one).
    await withClient(url, async (c) => {
      expect((await c.query("SELECT to_regclass('\"Incident\"') AS t")).rows[0].t).toBe('"Incident"');
    });

    const again = await migrateDeploy(url);
    expect(again).toEqual({ applied: [], upToDate: migrations.map((m) => m.name) });
    expect(await history(url)).toHaveLength(migrations.length);

    const status = await runPrisma(["migrate", "status"], { env: { ...process.env, DATABASE_URL: url }, cwd: PROJECT_ROOT });
    expect(status.stdout + status.stderr).toContain("Database schema is up to date");
    expect(status.code).toBe(0);
  }, 120_000);

  it("two processes started together on an empty database: migrations are applied exactly once, both finish", async () => {
    const url = await emptyDatabase("race");
    const migrations = await readMigrations();
    // Both start while the test holds the lock, so both certainly contend for it at once; then
    // it lets go and one of them wins.
    const [a, b] = await startWhileMigrationLocked(url, { waiters: 2, timeoutMs: 60_000 }, () => [
      migrateProcess(url),
      migrateProcess(url),
    ]);
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(ra.code, ra.output).toBe(0);
    expect(rb.code, rb.output).toBe(0);
    for (const r of [ra, rb]) expect(r.output).toContain("waiting for it to finish");

    // Each migration applied by exactly one of the two, and recorded once.
    const appliedLines = `${ra.output}\n${rb.output}`.match(/applied migration \S+/g) ?? [];
    expect(appliedLines.sort()).toEqual(migrations.map((m) => `applied migration ${m.name}`).sort());
    const rows = await history(url);
    expect(rows.map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));
    expect(rows.every((r) => r.finished_at !== null && r.rolled_back_at === null)).toBe(true);
  }, 120_000);

  it("refuses a migration edited after it was applied, with what to do, and changes nothing", async () => {
    const url = await emptyDatabase("edited");
    const dir = await migrationsCopy();
    await migrateDeploy(url, { dir });
    const [, second] = await readMigrations(dir);
    const file = path.join(dir, second.name, "migration.sql");
    // Line endings converted by git are not an edit (Prisma accepts them too).
    await writeFile(file, second.script.replaceAll("\n", "\r\n"));
    await expect(migrateDeploy(url, { dir })).resolves.toMatchObject({ applied: [] });

    // A new migration waiting behind the edited one must not be applied either.
    await writeFile(file, `${second.script}\n-- an afterthought\n`);
    await mkdir(path.join(dir, "99990101000000_later"));
    await writeFile(path.join(dir, "99990101000000_later", "migration.sql"), 'CREATE TABLE "Later" (id int);');
    const before = await history(url);
    const refused = migrateDeploy(url, { dir });
    await expect(refused).rejects.toBeInstanceOf(MigrationRefusedError);
    await expect(refused).rejects.toThrow(
      `prisma/migrations/${second.name}/migration.sql was edited after it was applied to this database`,
    );
    expect(await history(url)).toEqual(before);
    await withClient(url, async (c) => expect((await c.query("SELECT to_regclass('\"Later\"') AS t")).rows[0].t).toBeNull());
  }, 60_000);

  it("refuses to start while a migration recorded by Prisma has failed and is not resolved", async () => {
    const url = await emptyDatabase("failed");
    const dir = await migrationsCopy();
    const migrations = await readMigrations(dir);
    await migrateDeploy(url, { dir });
    // What `prisma migrate deploy` leaves when a script fails half-way (its scripts are not
    // transactional): a row that started and never finished.
    const name = "99990101000000_half_done";
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, "migration.sql"), 'CREATE TABLE "HalfDone" (id int);');
    await withClient(url, (c) =>
      c.query(
        "INSERT INTO _prisma_migrations (id, checksum, migration_name, logs, applied_steps_count) VALUES (gen_random_uuid()::text, $1, $2, 'ERROR: relation exists', 0)",
        [checksumOf('CREATE TABLE "HalfDone" (id int);'), name],
      ),
    );
    await expect(migrateDeploy(url, { dir })).rejects.toThrow(
      new RegExp(`migration ${name} started on .* and never finished .*ERROR: relation exists.*migrate resolve --rolled-back ${name}`, "s"),
    );
    expect(await history(url)).toHaveLength(migrations.length + 1);

    // Resolved as rolled back (what `prisma migrate resolve --rolled-back` writes): applied again.
    await withClient(url, (c) => c.query("UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = $1", [name]));
    await expect(migrateDeploy(url, { dir })).resolves.toEqual({ applied: [name], upToDate: migrations.map((m) => m.name) });
  }, 60_000);

  it("a failing migration is rolled back whole, its attempt kept in the history, and the next start applies the fixed file", async () => {
    const url = await emptyDatabase("broken");
    const dir = await migrationsCopy();
    const migrations = await readMigrations(dir);
    const name = "99990101000000_broken";
    await mkdir(path.join(dir, name));
    await writeFile(
      path.join(dir, name, "migration.sql"),
      'CREATE TABLE "Broken" (id int);\nALTER TABLE "NoSuchTable" ADD COLUMN x int;\n',
    );

    await expect(migrateDeploy(url, { dir })).rejects.toThrow(
      /migration 99990101000000_broken failed and was rolled back.*"NoSuchTable" does not exist/s,
    );
    // Everything before it is applied; nothing of it is.
    await withClient(url, async (c) => expect((await c.query("SELECT to_regclass('\"Broken\"') AS t")).rows[0].t).toBeNull());
    const rows = await history(url);
    expect(rows.filter((r) => r.finished_at !== null).map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));
    const attempt = rows.find((r) => r.migration_name === name);
    expect(attempt).toMatchObject({ finished_at: null, applied_steps_count: 0 });
    expect(attempt?.rolled_back_at).toBeInstanceOf(Date);
    expect(attempt?.logs).toContain('relation "NoSuchTable" does not exist');

    await writeFile(path.join(dir, name, "migration.sql"), 'CREATE TABLE "Broken" (id int);\n');
    await expect(migrateDeploy(url, { dir })).resolves.toMatchObject({ applied: [name] });
    await withClient(url, async (c) => expect((await c.query("SELECT to_regclass('\"Broken\"') AS t")).rows[0].t).toBe('"Broken"'));
  }, 60_000);
});
