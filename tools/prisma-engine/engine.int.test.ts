// End-to-end test of the WebAssembly schema engine stand-in: the real Prisma CLI, through
// run.mjs, against real PostgreSQL (the server of DATABASE_URL, else postgres://postgres@127.0.0.1:5432).
// Every run works in its own temp folder and its own uniquely named databases, dropped at the end.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPrisma } from "./run.mjs";

const PROJECT_ROOT = path.resolve(import.meta.dirname, "../..");
const SERVER_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const STEP_TIMEOUT = 90_000;

function urlFor(database: string): string {
  const u = new URL(SERVER_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withDb<T>(database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: urlFor(database) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const adminDb = new URL(SERVER_URL).pathname.slice(1) || "postgres";
const admin = <T>(fn: (c: pg.Client) => Promise<T>) => withDb(adminDb, fn);

async function shadowDatabases(): Promise<Set<string>> {
  return admin(async (c) => {
    const { rows } = await c.query("SELECT datname FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%'");
    return new Set(rows.map((r) => r.datname as string));
  });
}

const SCHEMA_V1 = `
generator client {
  provider = "prisma-client"
  output   = "../generated"
}

datasource db {
  provider = "postgresql"
}

enum Role {
  ADMIN
  MEMBER
}

model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  role      Role     @default(MEMBER)
  createdAt DateTime @default(now()) @db.Timestamptz(6)
  settings  Json     @default("{}")
  posts     Post[]
}

model Post {
  id        Int      @id @default(autoincrement())
  authorId  Int
  slug      String
  title     String
  updatedAt DateTime @default(now()) @db.Timestamptz(6)
  author    User     @relation(fields: [authorId], references: [id], onDelete: Cascade)

  @@unique([authorId, slug])
  @@index([updatedAt])
}
`;

// v2: a new enum, a new model with relation/@@unique/@@index, and a new nullable column.
const SCHEMA_V2 = SCHEMA_V1.replace(
  "  posts     Post[]\n",
  "  posts     Post[]\n  nickname  String?  @db.VarChar(40)\n  tags      Tag[]\n",
).concat(`
enum TagKind {
  TOPIC
  LABEL
}

model Tag {
  id     Int     @id @default(autoincrement())
  userId Int
  kind   TagKind
  name   String
  user   User    @relation(fields: [userId], references: [id])

  @@unique([userId, name])
  @@index([kind])
}
`);

// Hand-written migration: semicolons inside $$ bodies, several statements in one script.
const TRIGGER_SQL = `-- Keep "updatedAt" current on every update.
CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW."updatedAt" := now();
  RETURN NEW;
END;
$$;

CREATE TRIGGER post_set_updated_at BEFORE UPDATE ON "Post"
FOR EACH ROW EXECUTE FUNCTION set_updated_at();
`;

const CONFIG = `import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    url: process.env.DATABASE_URL ?? "",
    shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL || undefined,
  },
});
`;

describe("Prisma CLI with the WebAssembly schema engine", () => {
  const id = `${Date.now().toString(36)}_${randomUUID().slice(0, 8)}`;
  const devDb = `pe_test_${id}`;
  const shadowDb = `pe_test_${id}_shadow`;
  const deployDb = `pe_test_${id}_deploy`;
  let dir = "";
  let shadowDbsBefore = new Set<string>();

  const prisma = async (args: string[], env: Record<string, string | undefined> = {}) => {
    const r = await runPrisma(args, { cwd: dir, env: { ...process.env, DATABASE_URL: urlFor(devDb), SHADOW_DATABASE_URL: "", ...env } });
    const output = `${r.stdout}\n${r.stderr}`;
    return { ...r, output };
  };
  const migrationDirs = async () => (await readdir(path.join(dir, "prisma/migrations"))).filter((d) => /^\d{14}_/.test(d)).sort();
  const migrationSql = async (suffix: string) => {
    const name = (await migrationDirs()).find((d) => d.endsWith(`_${suffix}`));
    if (!name) throw new Error(`no migration *_${suffix}`);
    return readFile(path.join(dir, "prisma/migrations", name, "migration.sql"), "utf8");
  };
  const columns = (database: string, table: string) =>
    withDb(database, async (c) => {
      const { rows } = await c.query(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
        [table],
      );
      return Object.fromEntries(rows.map((r) => [r.column_name, r.data_type]));
    });

  beforeAll(async () => {
    shadowDbsBefore = await shadowDatabases();
    const version = await admin(async (c) => (await c.query("SHOW server_version")).rows[0].server_version);
    console.log(`PostgreSQL ${version} at ${new URL(SERVER_URL).host}`);
    await admin(async (c) => {
      for (const db of [devDb, shadowDb, deployDb]) await c.query(`CREATE DATABASE "${db}"`);
    });
    dir = await mkdtemp(path.join(os.tmpdir(), "prisma-engine-test-"));
    await mkdir(path.join(dir, "prisma"));
    await writeFile(path.join(dir, "prisma/schema.prisma"), SCHEMA_V1);
    await writeFile(path.join(dir, "prisma.config.ts"), CONFIG);
    // prisma.config.ts imports "prisma/config" and the generated client imports @prisma/client.
    await symlink(path.join(PROJECT_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await admin(async (c) => {
      const { rows } = await c.query("SELECT current_setting('server_version_num')::int AS v");
      const force = rows[0].v >= 130000 ? " WITH (FORCE)" : "";
      for (const db of [devDb, shadowDb, deployDb]) await c.query(`DROP DATABASE IF EXISTS "${db}"${force}`);
    });
    if (dir) await rm(dir, { recursive: true, force: true });
  }, STEP_TIMEOUT);

  it(
    "generate",
    async () => {
      const r = await prisma(["generate"]);
      expect(r.code, r.output).toBe(0);
      expect(existsSync(path.join(dir, "generated/client.ts"))).toBe(true);
    },
    STEP_TIMEOUT,
  );

  it(
    "migrate dev --name init creates and applies the first migration",
    async () => {
      const r = await prisma(["migrate", "dev", "--name", "init"]);
      expect(r.code, r.output).toBe(0);
      const sql = await migrationSql("init");
      expect(sql).toContain(`CREATE TYPE "Role" AS ENUM ('ADMIN', 'MEMBER');`);
      expect(sql).toMatch(/CREATE TABLE "User" \(/);
      expect(sql).toMatch(/"createdAt" TIMESTAMPTZ\(6\) NOT NULL DEFAULT CURRENT_TIMESTAMP/);
      expect(sql).toMatch(/"settings" JSONB NOT NULL DEFAULT '\{\}'/);
      expect(sql).toContain(`CREATE UNIQUE INDEX "Post_authorId_slug_key" ON "Post"("authorId", "slug");`);
      expect(sql).toContain(`CREATE INDEX "Post_updatedAt_idx" ON "Post"("updatedAt");`);
      expect(sql).toMatch(
        /ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY \("authorId"\) REFERENCES "User"\("id"\) ON DELETE CASCADE/,
      );
      expect(await readFile(path.join(dir, "prisma/migrations/migration_lock.toml"), "utf8")).toContain(`provider = "postgresql"`);
      expect(await columns(devDb, "User")).toMatchObject({
        createdAt: "timestamp with time zone",
        settings: "jsonb",
        role: "USER-DEFINED",
      });
    },
    STEP_TIMEOUT,
  );

  it(
    "migrate dev applies a hand-written plpgsql migration without touching existing rows",
    async () => {
      // A migration folder sorted after init, like `migrate dev --create-only` + editing would give.
      const init = (await migrationDirs())[0];
      const name = `${String(BigInt(init.slice(0, 14)) + 1n)}_trigger`;
      await mkdir(path.join(dir, "prisma/migrations", name));
      await writeFile(path.join(dir, "prisma/migrations", name, "migration.sql"), TRIGGER_SQL);
      await withDb(devDb, (c) => c.query(`INSERT INTO "User" (email) VALUES ('kept@example.com')`));

      const r = await prisma(["migrate", "dev"]);
      expect(r.code, r.output).toBe(0);
      expect(r.output).toContain(name);

      await withDb(devDb, async (c) => {
        expect((await c.query(`SELECT email FROM "User"`)).rows).toEqual([{ email: "kept@example.com" }]);
        const { rows } = await c.query(
          `INSERT INTO "Post" ("authorId", slug, title, "updatedAt") SELECT id, 's', 't', '2000-01-01' FROM "User" RETURNING id`,
        );
        const updated = await c.query(`UPDATE "Post" SET title = 'u' WHERE id = $1 RETURNING "updatedAt" > '2001-01-01' AS touched`, [
          rows[0].id,
        ]);
        expect(updated.rows[0].touched).toBe(true);
      });
    },
    STEP_TIMEOUT,
  );

  it(
    "migrate dev --name second (explicit shadow database) creates the expected ALTER/CREATE and keeps the main data",
    async () => {
      // The configured shadow database is reset by the engine: junk in it must disappear, while
      // the main database (whose name differs only by the suffix) must keep its rows.
      await withDb(shadowDb, (c) => c.query("CREATE TABLE junk (x int)"));
      await writeFile(path.join(dir, "prisma/schema.prisma"), SCHEMA_V2);

      const r = await prisma(["migrate", "dev", "--name", "second"], { SHADOW_DATABASE_URL: urlFor(shadowDb) });
      expect(r.code, r.output).toBe(0);
      const sql = await migrationSql("second");
      expect(sql).toContain(`CREATE TYPE "TagKind" AS ENUM ('TOPIC', 'LABEL');`);
      expect(sql).toMatch(/ALTER TABLE "User" ADD COLUMN\s+"nickname" VARCHAR\(40\);/);
      expect(sql).toMatch(/CREATE TABLE "Tag" \(/);
      expect(sql).toContain(`CREATE UNIQUE INDEX "Tag_userId_name_key" ON "Tag"("userId", "name");`);
      expect(sql).toContain(`CREATE INDEX "Tag_kind_idx" ON "Tag"("kind");`);
      expect(sql).not.toMatch(/DROP|"Post"/); // nothing else changed

      await withDb(devDb, async (c) => {
        expect((await c.query(`SELECT email FROM "User"`)).rows).toEqual([{ email: "kept@example.com" }]);
        expect((await c.query(`SELECT count(*)::int AS n FROM "Post"`)).rows[0].n).toBe(1);
        expect((await c.query(`SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL`)).rows[0].n).toBe(3);
      });
      expect(await columns(devDb, "User")).toHaveProperty("nickname", "character varying");
      expect(await columns(devDb, "Tag")).toMatchObject({ kind: "USER-DEFINED", name: "text" });
      const junk = await withDb(shadowDb, (c) => c.query("SELECT to_regclass('public.junk') AS t"));
      expect(junk.rows[0].t).toBeNull();
    },
    STEP_TIMEOUT,
  );

  it(
    "migrate deploy on an empty database, then migrate status",
    async () => {
      const env = { DATABASE_URL: urlFor(deployDb) };
      const started = Date.now();
      const r = await prisma(["migrate", "deploy"], env);
      const ms = Date.now() - started;
      expect(r.code, r.output).toBe(0);
      expect(r.output).toContain("All migrations have been successfully applied.");
      console.log(`migrate deploy (3 migrations): ${ms} ms`);

      await withDb(deployDb, async (c) => {
        const applied = await c.query(`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY 1`);
        expect(applied.rows.map((x) => x.migration_name)).toEqual(await migrationDirs());
        const user = await c.query(`INSERT INTO "User" (email, nickname) VALUES ('d@example.com', 'd') RETURNING id, role, settings`);
        expect(user.rows[0]).toMatchObject({ role: "MEMBER", settings: {} });
        await c.query(`INSERT INTO "Post" ("authorId", slug, title, "updatedAt") VALUES ($1, 's', 't', '2000-01-01')`, [user.rows[0].id]);
        const touched = await c.query(`UPDATE "Post" SET title = 'u' RETURNING "updatedAt" > '2001-01-01' AS t`);
        expect(touched.rows[0].t).toBe(true);
        await expect(c.query(`INSERT INTO "Tag" ("userId", kind, name) VALUES ($1, 'NOPE', 'x')`, [user.rows[0].id])).rejects.toThrow(
          /enum/,
        );
      });

      const again = await prisma(["migrate", "deploy"], env);
      expect(again.code, again.output).toBe(0);
      expect(again.output).toContain("No pending migrations to apply.");

      const status = await prisma(["migrate", "status"], env);
      expect(status.code, status.output).toBe(0);
      expect(status.output).toContain("Database schema is up to date!");
    },
    STEP_TIMEOUT,
  );

  it(
    "migrate status reports pending migrations with exit code 1",
    async () => {
      await withDb(deployDb, (c) => c.query(`DELETE FROM _prisma_migrations WHERE migration_name LIKE '%_second'`));
      const status = await prisma(["migrate", "status"], { DATABASE_URL: urlFor(deployDb) });
      expect(status.code).toBe(1);
      expect(status.output).toMatch(/Following migration have not yet been applied:\s+\d{14}_second/);
      await prisma(["migrate", "resolve", "--applied", (await migrationDirs())[2]], { DATABASE_URL: urlFor(deployDb) });
      const fixed = await prisma(["migrate", "status"], { DATABASE_URL: urlFor(deployDb) });
      expect(fixed.code, fixed.output).toBe(0);
    },
    STEP_TIMEOUT,
  );

  it(
    "migrate diff and db execute",
    async () => {
      const fromEmpty = await prisma(["migrate", "diff", "--from-empty", "--to-schema", "prisma/schema.prisma", "--script"]);
      expect(fromEmpty.code, fromEmpty.output).toBe(0);
      expect(fromEmpty.stdout).toContain(`CREATE TABLE "Tag"`);

      // Migrations replayed on a (temporary) shadow database vs. the schema: nothing to do.
      const fromMigrations = await prisma([
        "migrate",
        "diff",
        "--from-migrations",
        "prisma/migrations",
        "--to-schema",
        "prisma/schema.prisma",
        "--exit-code",
      ]);
      expect(fromMigrations.code, fromMigrations.output).toBe(0);
      expect(fromMigrations.stdout).toContain("No difference detected.");

      // Live database vs. schema, after an out-of-band change made with db execute.
      const env = { DATABASE_URL: urlFor(deployDb) };
      const inSync = await prisma(
        ["migrate", "diff", "--from-config-datasource", "--to-schema", "prisma/schema.prisma", "--exit-code"],
        env,
      );
      expect(inSync.code, inSync.output).toBe(0);
      const exec = await runPrisma(["db", "execute", "--stdin"], {
        cwd: dir,
        env: { ...process.env, ...env },
        input: `CREATE TABLE "Extra" (id int PRIMARY KEY); COMMENT ON TABLE "Extra" IS 'a;b';`,
      });
      expect(exec.code, exec.stdout + exec.stderr).toBe(0);
      const drift = await prisma(
        ["migrate", "diff", "--from-config-datasource", "--to-schema", "prisma/schema.prisma", "--script", "--exit-code"],
        env,
      );
      expect(drift.code, drift.output).toBe(2);
      expect(drift.stdout).toContain(`DROP TABLE "Extra";`);
    },
    STEP_TIMEOUT,
  );

  it("left no temporary shadow database behind", async () => {
    const leftovers = [...(await shadowDatabases())].filter((d) => !shadowDbsBefore.has(d));
    expect(leftovers).toEqual([]);
  });
});
