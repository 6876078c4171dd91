// Whether pg_dump / pg_restore can work on the PostgreSQL server the integration tests use.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";

const execFileP = promisify(execFile);

/**
 * pg_dump refuses a server newer than itself. Without DATABASE_URL the integration tests run on
 * the embedded PostgreSQL 18, while Debian's client tools here are 15: then the tests that need
 * them cannot run at all, and say why instead of failing (CI sets DATABASE_URL to the 15 server,
 * so they run). Null when they can run.
 */
export async function pgDumpProblem(): Promise<string | null> {
  let toolMajor: number;
  try {
    toolMajor = Number(/(\d+)\.\d+/.exec((await execFileP("pg_dump", ["--version"])).stdout)?.[1]);
  } catch {
    return "pg_dump is not installed (Debian: apt-get install postgresql-client)";
  }
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const serverMajor = Math.floor(Number((await client.query<{ v: string }>("SHOW server_version_num")).rows[0].v) / 10000);
    return toolMajor < serverMajor
      ? `pg_dump ${toolMajor} cannot dump the PostgreSQL ${serverMajor} server under test: set DATABASE_URL to a server of version ≤ ${toolMajor}, or install postgresql-client-${serverMajor}`
      : null;
  } finally {
    await client.end();
  }
}

/** The server's maintenance database URL (for CREATE / DROP DATABASE), from DATABASE_URL. */
export function adminUrl(): string {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("DATABASE_URL is not set (the integration global setup sets it)");
  const url = new URL(base);
  url.pathname = "/postgres";
  url.search = "";
  return url.toString();
}

/** Runs SQL on the server's maintenance database. */
export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
