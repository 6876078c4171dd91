// PostgreSQL step: check a backup file, take an emergency backup (pg_dump), restore (pg_restore)
// or verify data integrity (pg). The target database is named by an environment variable
// (config.databaseUrlEnv), never written in config; its password is handed to the client tools
// through PGPASSWORD, not their command line, and never logged. The client tools come from the
// PATH, or from the server's PG_BIN_DIR (e.g. /usr/lib/postgresql/16/bin) when they must match a
// newer server than the PATH's. The tools get the base environment only (environment.ts), not the
// server's.
//
// A restore refuses (RefusedError, nothing touched) unless the emergency backup step of the same
// run (config.fromStep, default "emergency-backup") succeeded, its file is still there, it was
// taken of the same database, and the archive to restore (config.backupPath, else that emergency
// backup) can be read by pg_restore.
import { chmod, mkdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { processFailure } from "./command";
import { POSTGRES_OPERATIONS, type PostgresConfig, type PostgresOperation } from "./configs";
import { childEnv } from "./environment";
import { runProcess } from "./process";
import { AbortedError, abortable, abortedResult, errorText, type Logger, orderedLogger, parseConfig } from "./shared";
import { type ExecutionContext, type Executor, NotConfiguredError, RefusedError, type StepResult } from "./types";

export {
  DEFAULT_BACKUP_STEP,
  POSTGRES_OPERATIONS,
  type PostgresConfig,
  postgresConfigSchema,
} from "./configs";

// ───────────────────────────── target database ─────────────────────────────

/** URI parameters libpq understands; others (Prisma's schema=, connection_limit=…) make it refuse the URL. */
const LIBPQ_PARAMS = new Set([
  "host",
  "hostaddr",
  "port",
  "dbname",
  "user",
  "passfile",
  "channel_binding",
  "connect_timeout",
  "client_encoding",
  "options",
  "application_name",
  "fallback_application_name",
  "keepalives",
  "keepalives_idle",
  "keepalives_interval",
  "keepalives_count",
  "tcp_user_timeout",
  "gssencmode",
  "sslmode",
  "sslnegotiation",
  "sslcompression",
  "sslcert",
  "sslkey",
  "sslpassword",
  "sslcertmode",
  "sslrootcert",
  "sslcrl",
  "sslcrldir",
  "sslsni",
  "requirepeer",
  "ssl_min_protocol_version",
  "ssl_max_protocol_version",
  "krbsrvname",
  "gsslib",
  "gssdelegation",
  "service",
  "target_session_attrs",
  "load_balance_hosts",
]);

export type TargetDatabase = {
  /** For libpq tools: no password, libpq parameters only. */
  toolUrl: string;
  /** For the pg client: with the password. */
  clientUrl: string;
  password: string | undefined;
  /** host:port/database, for logs and to match a backup with its restore. */
  label: string;
};

export function targetDatabase(env: Record<string, string | undefined>, variable: string | undefined, operation: string): TargetDatabase {
  if (!variable)
    throw new NotConfiguredError(
      `postgres ${operation} step needs config.databaseUrlEnv (the NAME of the environment variable holding the database URL)`,
    );
  const raw = env[variable];
  if (!raw) throw new NotConfiguredError(`postgres ${operation} step needs the environment variable ${variable} (the target database URL)`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new NotConfiguredError(
      `the environment variable ${variable} does not hold a database URL (postgres://user:password@host:5432/db)`,
    );
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new NotConfiguredError(`the environment variable ${variable} must hold a postgres:// URL`);
  }
  for (const key of [...url.searchParams.keys()]) if (!LIBPQ_PARAMS.has(key)) url.searchParams.delete(key);
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  const clientUrl = url.toString();
  url.password = "";
  const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || decodeURIComponent(url.username) || "postgres";
  const host = url.hostname || url.searchParams.get("host") || "localhost";
  return { toolUrl: url.toString(), clientUrl, password, label: `${host}:${url.port || "5432"}/${database}` };
}

function pgTool(ctx: ExecutionContext, name: "pg_dump" | "pg_restore"): string {
  const dir = ctx.env.PG_BIN_DIR;
  return dir ? path.join(dir, name) : name;
}

function toolEnv(ctx: ExecutionContext, db?: TargetDatabase): Record<string, string> {
  // The URL's password wins; without one, libpq's own sources apply (PGPASSWORD, ~/.pgpass).
  const env = childEnv(ctx.env);
  return db?.password !== undefined ? { ...env, PGPASSWORD: db.password } : env;
}

// ───────────────────────────── archives ─────────────────────────────

type Listing = { ok: true; entries: number } | { ok: false; error: string; aborted?: boolean };

/** `pg_restore --list <file>`: the archive's table of contents, i.e. proof that the dump is readable. */
async function listArchive(ctx: ExecutionContext, log: Logger, file: string, timeoutMs: number): Promise<Listing> {
  let entries = 0;
  const errors: string[] = [];
  const o = await runProcess({
    argv: [pgTool(ctx, "pg_restore"), "--list", file],
    env: toolEnv(ctx),
    timeoutMs,
    signal: ctx.signal,
    track: ctx.process,
    onLine: (stream, line) => {
      if (stream === "STDOUT") {
        if (line.trim() && !line.startsWith(";")) entries++;
      } else {
        errors.push(line);
        log("STDERR", line);
      }
    },
  });
  const failure = processFailure(o, timeoutMs, "pg_restore --list");
  if (o.aborted) return { ok: false, error: "aborted", aborted: true };
  if (failure) return { ok: false, error: errors.length > 0 ? errors.join(" ") : failure };
  return { ok: true, entries };
}

type FileInfo = { bytes: number; ageHours: number } | { missing: string };

async function fileInfo(file: string): Promise<FileInfo> {
  try {
    const s = await stat(file);
    if (!s.isFile()) return { missing: `${file} is not a file` };
    return { bytes: s.size, ageHours: (Date.now() - s.mtimeMs) / 3_600_000 };
  } catch {
    return { missing: `no backup at ${file}` };
  }
}

const hours = (h: number) => `${h < 10 ? h.toFixed(1) : Math.round(h)} h`;

// ───────────────────────────── operations ─────────────────────────────

async function checkBackup(c: PostgresConfig, ctx: ExecutionContext, log: Logger): Promise<StepResult> {
  if (!c.backupPath) throw new NotConfiguredError("postgres check-backup step needs config.backupPath (the backup file to check)");
  const file = path.resolve(c.backupPath);
  log("INFO", `checking the backup ${file}`);
  const info = await fileInfo(file);
  if ("missing" in info) return { ok: false, summary: info.missing, output: { path: file } };
  const ageHours = Math.round(info.ageHours * 100) / 100;
  const output: Record<string, unknown> = { path: file, bytes: info.bytes, ageHours };
  log("INFO", `${info.bytes} bytes, ${hours(info.ageHours)} old`);
  if (info.bytes === 0) return { ok: false, summary: `the backup ${file} is empty`, output };
  if (info.ageHours > c.maxBackupAgeHours) {
    return { ok: false, summary: `the backup is ${hours(info.ageHours)} old, more than ${c.maxBackupAgeHours} h`, output };
  }
  const listing = await listArchive(ctx, log, file, c.timeoutMs);
  if (!listing.ok) {
    if (listing.aborted) return abortedResult("while reading the backup");
    return {
      ok: false,
      summary: `${file} is not a readable pg_dump archive: ${listing.error}`,
      output: { ...output, error: listing.error },
    };
  }
  log("INFO", `pg_restore --list: ${listing.entries} entries`);
  return {
    ok: true,
    summary: `backup readable: ${listing.entries} entries, ${info.bytes} bytes, ${hours(info.ageHours)} old`,
    output: { ...output, entries: listing.entries },
  };
}

const stamp = (d: Date) => d.toISOString().replaceAll(":", "-").replace(".", "-");

async function backup(c: PostgresConfig, ctx: ExecutionContext, log: Logger): Promise<StepResult> {
  const db = targetDatabase(ctx.env, c.databaseUrlEnv, "backup");
  await mkdir(ctx.workDir, { recursive: true, mode: 0o700 });
  const file = path.resolve(ctx.workDir, `emergency-${stamp(new Date())}.dump`);
  log("INFO", `pg_dump of ${db.label} to ${file}`);
  const o = await runProcess({
    argv: [pgTool(ctx, "pg_dump"), "--format=custom", "--verbose", "--file", file, db.toolUrl],
    env: toolEnv(ctx, db),
    timeoutMs: c.timeoutMs,
    signal: ctx.signal,
    track: ctx.process,
    onLine: (stream, line) => log(stream, line),
  });
  const failure = processFailure(o, c.timeoutMs, "pg_dump");
  if (failure) {
    await rm(file, { force: true });
    if (o.aborted) return abortedResult("during pg_dump (the partial file was removed)");
    const last = o.tail
      .filter((l) => l.startsWith("[stderr]"))
      .slice(-3)
      .map((l) => l.slice(9));
    return {
      ok: false,
      summary: `${failure}${last.length > 0 ? `: ${last.join(" ")}` : ""}`,
      output: { database: db.label, lastLines: o.tail, ...(o.exitCode !== null ? { exitCode: o.exitCode } : {}) },
      ...(o.exitCode !== null ? { exitCode: o.exitCode } : {}),
    };
  }
  await chmod(file, 0o600).catch(() => {});
  const info = await fileInfo(file);
  if ("missing" in info || info.bytes === 0) {
    return { ok: false, summary: `pg_dump exited 0 but wrote no archive at ${file}`, output: { path: file, database: db.label } };
  }
  const listing = await listArchive(ctx, log, file, c.timeoutMs);
  if (!listing.ok) {
    if (listing.aborted) return abortedResult("while verifying the backup");
    return {
      ok: false,
      summary: `the backup was written but pg_restore cannot read it: ${listing.error}`,
      output: { path: file, bytes: info.bytes },
    };
  }
  log("INFO", `backup verified: ${info.bytes} bytes, ${listing.entries} entries`);
  return {
    ok: true,
    summary: `backed up ${db.label}: ${info.bytes} bytes, ${listing.entries} entries`,
    output: { path: file, bytes: info.bytes, entries: listing.entries, database: db.label, durationMs: o.durationMs },
    exitCode: 0,
  };
}

function refuse(why: string): never {
  throw new RefusedError(`restore refused, the database was not touched: ${why}`);
}

async function restore(c: PostgresConfig, ctx: ExecutionContext, log: Logger): Promise<StepResult> {
  const db = targetDatabase(ctx.env, c.databaseUrlEnv, "restore");

  // Preconditions, all before the database is touched.
  const safety = ctx.previous[c.fromStep];
  if (!safety) refuse(`the emergency backup step "${c.fromStep}" has not run in this rollback`);
  if (!safety.ok) refuse(`the emergency backup step "${c.fromStep}" did not succeed (${safety.summary})`);
  const safetyFile = safety.output?.path;
  if (typeof safetyFile !== "string" || safetyFile === "") refuse(`the emergency backup step "${c.fromStep}" recorded no backup file`);
  const safetyInfo = await fileInfo(safetyFile);
  if ("missing" in safetyInfo) refuse(`the emergency backup is gone (${safetyInfo.missing})`);
  if (safetyInfo.bytes === 0) refuse(`the emergency backup ${safetyFile} is empty`);
  const backedUp = safety.output?.database;
  if (typeof backedUp === "string" && backedUp !== db.label) refuse(`the emergency backup was taken of ${backedUp}, not of ${db.label}`);

  const file = path.resolve(c.backupPath ?? safetyFile);
  if (c.backupPath) {
    const info = await fileInfo(file);
    if ("missing" in info) refuse(`the archive to restore is missing (${info.missing})`);
  }
  const listing = await listArchive(ctx, log, file, c.timeoutMs);
  if (!listing.ok) {
    if (listing.aborted) return abortedResult("before the restore started (the database was not touched)");
    refuse(`${file} is not a readable pg_dump archive (${listing.error})`);
  }

  log("INFO", `pg_restore of ${file} into ${db.label} (one transaction: all or nothing)`);
  const o = await runProcess({
    argv: [
      pgTool(ctx, "pg_restore"),
      "--clean",
      "--if-exists",
      "--no-owner",
      "--single-transaction",
      "--verbose",
      "--dbname",
      db.toolUrl,
      file,
    ],
    env: toolEnv(ctx, db),
    timeoutMs: c.timeoutMs,
    signal: ctx.signal,
    track: ctx.process,
    onLine: (stream, line) => log(stream, line),
  });
  const failure = processFailure(o, c.timeoutMs, "pg_restore");
  const output: Record<string, unknown> = { path: file, database: db.label, fromStep: c.fromStep, durationMs: o.durationMs };
  if (failure) {
    if (o.aborted)
      return { ...abortedResult("during pg_restore (its single transaction was rolled back)"), output: { ...output, aborted: true } };
    const last = o.tail
      .filter((l) => l.startsWith("[stderr]"))
      .slice(-3)
      .map((l) => l.slice(9));
    return {
      ok: false,
      summary: `${failure}${last.length > 0 ? `: ${last.join(" ")}` : ""} (the single transaction was rolled back)`,
      output: { ...output, lastLines: o.tail },
      ...(o.exitCode !== null ? { exitCode: o.exitCode } : {}),
    };
  }
  log("INFO", `restored ${db.label} from ${file}`);
  return { ok: true, summary: `restored ${db.label} from ${path.basename(file)}`, output, exitCode: 0 };
}

async function integrity(c: PostgresConfig, ctx: ExecutionContext, log: Logger): Promise<StepResult> {
  const db = targetDatabase(ctx.env, c.databaseUrlEnv, "integrity");
  if (c.tables.length === 0 && c.rowCounts.length === 0) {
    throw new NotConfiguredError("postgres integrity step needs config.tables or config.rowCounts (what to verify)");
  }
  const client = new pg.Client({ connectionString: db.clientUrl, connectionTimeoutMillis: 10_000, statement_timeout: 60_000 });
  const onAbort = () => void client.end().catch(() => {});
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  const tables: Record<string, boolean> = {};
  const counts: Record<string, number> = {};
  const failures: string[] = [];
  try {
    await abortable(client.connect(), ctx.signal);
    log("INFO", `connected to ${db.label}`);
    const resolve = async (table: string): Promise<string | null> => {
      const r = await abortable(client.query<{ name: string | null }>("SELECT to_regclass($1)::text AS name", [table]), ctx.signal);
      return r.rows[0]?.name ?? null;
    };
    for (const table of c.tables) {
      const exists = (await resolve(table)) !== null;
      tables[table] = exists;
      log("INFO", `table ${table}: ${exists ? "exists" : "MISSING"}`);
      if (!exists) failures.push(`table ${table} is missing`);
    }
    for (const { table, min } of c.rowCounts) {
      // to_regclass()::text is the name as Postgres quotes it, so it is safe to use as an identifier.
      const name = await resolve(table);
      if (name === null) {
        if (!(table in tables)) failures.push(`table ${table} is missing`);
        tables[table] = false;
        log("INFO", `rows of ${table}: table MISSING`);
        continue;
      }
      tables[table] = true;
      const r = await abortable(client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${name}`), ctx.signal);
      const n = Number(r.rows[0].n);
      counts[table] = n;
      log("INFO", `rows of ${table}: ${n} (at least ${min} wanted)`);
      if (n < min) failures.push(`${table} has ${n} rows, expected at least ${min}`);
    }
  } catch (e) {
    if (e instanceof AbortedError || ctx.signal.aborted) return abortedResult("during the integrity check");
    const message = errorText(e);
    log("INFO", `integrity check failed: ${message}`);
    return { ok: false, summary: `could not check ${db.label}: ${message}`, output: { tables, counts, error: message } };
  } finally {
    ctx.signal.removeEventListener("abort", onAbort);
    await client.end().catch(() => {});
  }
  const output = { database: db.label, tables, counts, failures };
  if (failures.length > 0) return { ok: false, summary: failures.join("; "), output };
  const checked = Object.keys(tables).length;
  return { ok: true, summary: `${checked} table${checked === 1 ? "" : "s"} present, row counts as expected`, output };
}

export const postgresExecutor: Executor = async (config, ctx): Promise<StepResult> => {
  const operation = (config as { operation?: unknown } | null | undefined)?.operation;
  const label = POSTGRES_OPERATIONS.includes(operation as PostgresOperation) ? `postgres ${operation}` : "postgres";
  const c = parseConfig("POSTGRES", config, label);
  const log = orderedLogger(ctx);
  try {
    switch (c.operation) {
      case "check-backup":
        return await checkBackup(c, ctx, log);
      case "backup":
        return await backup(c, ctx, log);
      case "restore":
        return await restore(c, ctx, log);
      case "integrity":
        return await integrity(c, ctx, log);
    }
  } finally {
    await log.flush();
  }
};
