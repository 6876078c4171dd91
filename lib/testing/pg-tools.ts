// The PostgreSQL client tools (pg_dump, pg_restore) the integration tests and the postgres executor
// run, and whether they can work on a given server. scripts/lib/requirements.ts checks this before
// `npm test` runs anything; the tests check it again against the server they really got.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";

const execFileP = promisify(execFile);

/** The tools the tests run, from the PATH, as the postgres executor runs them without PG_BIN_DIR. */
export const PG_TOOLS = ["pg_dump", "pg_restore"] as const;

/** Major version of a client tool on the PATH (`pg_dump (PostgreSQL) 15.20` → 15), or null when it is not installed. */
export async function pgToolMajor(tool: (typeof PG_TOOLS)[number]): Promise<number | null> {
  try {
    const { stdout } = await execFileP(tool, ["--version"]);
    const major = Number(/\(PostgreSQL\) (\d+)/.exec(stdout)?.[1]);
    return Number.isInteger(major) ? major : null;
  } catch {
    return null;
  }
}

/** Major version of the server behind a connection URL. */
export async function serverMajor(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Math.floor(Number((await client.query<{ v: string }>("SHOW server_version_num")).rows[0].v) / 10000);
  } finally {
    await client.end();
  }
}

/**
 * Why the client tools cannot serve a PostgreSQL `major` server, or null when they can. pg_dump
 * refuses a server newer than itself ("server version mismatch"); Debian 12 ships only the 15
 * tools, which is why the embedded test server is PostgreSQL 15 too.
 */
export async function pgToolsProblem(major: number): Promise<{ missing: boolean; message: string } | null> {
  for (const tool of PG_TOOLS) {
    const toolMajor = await pgToolMajor(tool);
    if (toolMajor === null) return { missing: true, message: `${tool} is not installed` };
    if (toolMajor < major) {
      return {
        missing: false,
        message: `${tool} ${toolMajor} cannot work on the PostgreSQL ${major} server under test: point DATABASE_URL at a server of version ${toolMajor} or older (or unset it: the embedded test server matches Debian's tools), or put the ${major} client tools first on the PATH`,
      };
    }
  }
  return null;
}

/** Throws (failing the test, never skipping it) when the tools cannot serve the server of DATABASE_URL. */
export async function assertPgToolsFitServer(): Promise<void> {
  const problem = await pgToolsProblem(await serverMajor(adminUrl()));
  if (problem) throw new Error(`${problem.message} (npm test checks this before it starts)`);
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
