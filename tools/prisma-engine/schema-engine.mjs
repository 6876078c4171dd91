#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary (see README.md in this folder).
//
// The Prisma CLI starts the program named by PRISMA_SCHEMA_ENGINE_BINARY as
//   schema-engine --version
//   schema-engine [--datamodels FILE]... [--datasource JSON] [...]          (JSON-RPC on stdio)
//   schema-engine --datasource JSON cli can-connect-to-database|create-database|drop-database
// and talks newline-delimited JSON-RPC 2.0 with it. This program answers the same way, but runs
// the schema engine compiled to WebAssembly (@prisma/schema-engine-wasm) on top of
// @prisma/adapter-pg, so nothing has to be downloaded from binaries.prisma.sh.
// PostgreSQL only (that is all the wasm build + adapter-pg support).

import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const pg = require("pg");
const { PrismaPg } = require("@prisma/adapter-pg");
// Resolve adapter-pg's own copy, so the error-capturing wrapper matches what adapter-pg throws.
const requireFromAdapter = createRequire(require.resolve("@prisma/adapter-pg"));
const { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } = requireFromAdapter("@prisma/driver-adapter-utils");
const requireFromPg = createRequire(require.resolve("pg"));
const { parse: parsePgUrl } = requireFromPg("pg-connection-string");

const DEBUG_SQL = /^(1|true|sql)$/i.test(process.env.BACKOUT_ENGINE_DEBUG ?? "");

// ---------------------------------------------------------------------------------------------
// Logging: the CLI reads stderr line by line as JSON ({level, target, fields: {message}}); the
// last ERROR line becomes the error message when we exit with 1. Non-JSON lines are ignored.
// ---------------------------------------------------------------------------------------------
function log(level, message, extra = {}, target = "schema_engine_wasm_stdio") {
  process.stderr.write(`${JSON.stringify({ timestamp: new Date().toISOString(), level, fields: { message, ...extra }, target })}\n`);
}

// ---------------------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------------------
function parseArgs(argv) {
  const out = { datamodels: [], datasource: null, cli: null, version: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`missing value for ${a}`);
      return argv[++i];
    };
    if (a === "--version" || a === "-V") out.version = true;
    else if (a === "--datamodels" || a === "-d") out.datamodels.push(value());
    else if (a === "--datasource") out.datasource = JSON.parse(value());
    else if (a === "--enabled-preview-features" || a === "--extension-types")
      value(); // not used by the wasm engine
    else if (a === "cli") {
      out.cli = argv[i + 1] ?? "";
      break;
    } else if (a === "--help" || a === "-h") out.help = true;
    // Unknown flags are ignored rather than fatal: a newer CLI may add some.
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Connection strings -> explicit pg configs.
// Trap: adapter-pg builds the shadow connection as {...config, database}, and with a
// {connectionString} config pg lets the string win, so the "shadow" pool silently connects to
// the MAIN database (which the engine then wipes). We therefore never hand pg a connection
// string: every pool gets an explicit {host, port, user, password, database, ...} object.
// ---------------------------------------------------------------------------------------------
function pgConfigFromUrl(url) {
  if (!url) throw Object.assign(new Error("The datasource URL is empty. Set DATABASE_URL (see prisma.config.ts)."), { errorCode: "P1012" });
  let parsed;
  try {
    parsed = parsePgUrl(url);
  } catch (e) {
    throw Object.assign(new Error(`The provided database string is invalid. ${e.message}`), { errorCode: "P1013" });
  }
  if (!/^postgres(ql)?:/i.test(url)) {
    throw Object.assign(new Error("This schema engine stand-in supports PostgreSQL URLs only (postgres:// or postgresql://)."), {
      errorCode: "P1013",
    });
  }
  const schema = parsed.schema || "public";
  const config = {
    host: parsed.host || "localhost",
    port: parsed.port ? Number(parsed.port) : 5432,
    user: parsed.user || undefined,
    password: parsed.password || undefined,
    // Same default as the native engine (quaint): no path -> database "postgres".
    database: parsed.database || "postgres",
    ssl: parsed.ssl ?? false,
    application_name: parsed.application_name || "prisma-schema-engine-wasm",
    // `?schema=` is Prisma's, not libpq's: the native engine turns it into the search_path.
    options: `-c search_path="${schema.replaceAll('"', '""')}"`,
    // One session, like the native engine: its session-level advisory lock (taken by every
    // applyMigrations) is then re-entrant instead of blocking a second pooled connection.
    max: 1,
  };
  if (parsed.connect_timeout) config.connectionTimeoutMillis = Number(parsed.connect_timeout) * 1000;
  return { config, schema };
}

const quoteIdent = (s) => `"${String(s).replaceAll('"', '""')}"`;

async function withClient(config, fn) {
  const client = new pg.Client(config);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

// Map a pg/Node connection error onto the Prisma error codes (and wording) of the native engine;
// the CLI reacts to some of them (e.g. P1003 -> offers to create the database).
function connectionErrorCode(e, config) {
  const at = `${config.host}:${config.port}`;
  const kind = e?.cause?.kind ?? e?.kind; // adapter-pg's DriverAdapterError
  if (kind === "DatabaseDoesNotExist") return connectionErrorCode({ code: "3D000" }, config);
  if (kind === "AuthenticationFailed") return connectionErrorCode({ code: "28P01" }, config);
  if (kind === "DatabaseNotReachable" || kind === "SocketTimeout") return connectionErrorCode({ code: "ECONNREFUSED" }, config);
  if (e?.code === "3D000")
    return { errorCode: "P1003", message: `Database \`${config.database}\` does not exist on the database server at \`${at}\`.` };
  if (e?.code === "28P01" || e?.code === "28000") {
    return {
      errorCode: "P1000",
      message: `Authentication failed against database server at \`${config.host}\`, the provided database credentials for \`${config.user ?? ""}\` are not valid.\n\nPlease make sure to provide valid database credentials for the database server at \`${config.host}\`.`,
    };
  }
  if (["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ECONNRESET"].includes(e?.code)) {
    return {
      errorCode: "P1001",
      message: `Can't reach database server at \`${at}\`\n\nPlease make sure your database server is running at \`${at}\`.`,
    };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Adapter patches (applied to every adapter-pg connection BEFORE the error-capturing wrapper
// binds its methods).
// ---------------------------------------------------------------------------------------------

// adapter-pg knows a fixed list of type OIDs and throws UnsupportedNativeDataType for the
// others, but the engine's catalog queries return columns of type "char" (OID 18:
// pg_constraint.contype, ...) and other catalog types. pg hands their values over as strings
// (it has no parser for them). "char" must reach the engine as a Character column (it reads
// contype with as_char(); as Text every CHECK constraint makes it panic); the others as Text.
const CHAR_OID = 18;
const CATALOG_TEXT_OIDS = new Set([
  19, // name (mapped by adapter-pg 7.x already; kept for older ones)
  22, // int2vector
  24, // regproc
  30, // oidvector
  194, // pg_node_tree
  1033, // aclitem
  2202,
  2203,
  2204,
  2205,
  2206,
  4089,
  4096,
  4191, // regprocedure .. regcollation
]);

// PostgreSQL 18 stores every NOT NULL as a pg_constraint row with contype = 'n', which the
// engine's constraint query (contype NOT IN ('p','u','f')) then returns for every table. Read
// as Text (above) these rows made the engine panic on PostgreSQL 18; with the Character mapping
// it skips them, but this engine build predates that constraint kind, so we also keep the rows
// away from it. Nullability comes from pg_attribute.attnotnull, so nothing is lost.
// (Adds "<alias>.contype <> 'n' AND" after the WHERE that follows "FROM pg_constraint <alias>".)
function hidePg18NotNullConstraints(sql) {
  if (!/\bpg_constraint\b/i.test(sql)) return sql;
  const m = /\bfrom\s+pg_constraint\s+(?:as\s+)?([a-z_][a-z0-9_]*)/i.exec(sql);
  if (!m) return sql;
  const alias = m[1];
  if (/^(where|join|left|inner|on|order|group|limit)$/i.test(alias)) return sql;
  // Insert the predicate right after the first WHERE that follows the FROM pg_constraint.
  const after = sql.slice(m.index + m[0].length);
  const w = /\bwhere\b/i.exec(after);
  if (!w) return sql;
  const pos = m.index + m[0].length + w.index + w[0].length;
  return `${sql.slice(0, pos)} ${alias}.contype <> 'n' AND ${sql.slice(pos)}`;
}

// The wasm engine reduces database errors to a short text ("external connector error / No such
// table: Nope"); the native engine reports PostgreSQL's own code and message. Remember the last
// error pg raised during the current request so it can be added to the RPC error.
let lastDbError = null;
const rememberDbError = (e) => {
  // Either a pg DatabaseError or adapter-pg's DriverAdapterError wrapping one.
  const code = e?.cause?.originalCode ?? e?.code;
  const message = e?.cause?.originalMessage ?? e?.message;
  if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) lastDbError = { code, message };
};

function patchQueryable(q, label) {
  // queryRaw = performIO (pg query) + column type mapping. We rewrite the SQL on the way in,
  // then let adapter-pg's own queryRaw convert the result (fed to it through a stand-in
  // `this`), and only fix up the column types it cannot know.
  const performIO = q.performIO.bind(q);
  const queryRaw = Object.getPrototypeOf(q).queryRaw;
  q.performIO = async (query) => {
    const sql = hidePg18NotNullConstraints(query.sql);
    if (DEBUG_SQL) log("DEBUG", `[${label}] ${sql}`);
    return performIO(sql === query.sql ? query : { ...query, sql }).catch((e) => {
      rememberDbError(e);
      throw e;
    });
  };
  q.queryRaw = async (query) => {
    const result = await q.performIO(query);
    const charColumns = [];
    for (const [i, f] of (result?.fields ?? []).entries()) {
      if (f.dataTypeID === CHAR_OID) charColumns.push(i);
      if (f.dataTypeID === CHAR_OID || CATALOG_TEXT_OIDS.has(f.dataTypeID)) f.dataTypeID = 25; // text
    }
    const converted = await queryRaw.call({ performIO: async () => result, pgOptions: q.pgOptions }, query);
    for (const i of charColumns) converted.columnTypes[i] = ColumnTypeEnum.Character;
    return converted;
  };
  return q;
}

function patchAdapter(adapter, label) {
  patchQueryable(adapter, label);
  // adapter-pg's executeScript splits on ";" — that breaks every `$$ ... $$` function body.
  // The native engine sends a script as ONE simple-protocol query (several statements, one
  // implicit transaction); do the same.
  adapter.executeScript = async (script) => {
    if (DEBUG_SQL) log("DEBUG", `[${label}] script: ${script}`);
    try {
      await adapter.client.query(script);
    } catch (e) {
      rememberDbError(e);
      adapter.onError(e);
    }
  };
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (...args) => patchQueryable(await startTransaction(...args), `${label}:tx`);
  return adapter;
}

// ---------------------------------------------------------------------------------------------
// The driver adapter factory handed to the wasm engine (SqlMigrationAwareDriverAdapterFactory).
// ---------------------------------------------------------------------------------------------
const createdShadowDatabases = new Set(); // temporary shadow DBs to drop on exit, whatever happens

class PgMigrationAdapterFactory {
  provider = "postgres";
  adapterName = "@prisma/adapter-pg";

  constructor(datasource) {
    this.main = pgConfigFromUrl(datasource.url);
    this.shadowUrl = datasource.shadowDatabaseUrl || null;
  }

  async connect() {
    const factory = new PrismaPg(this.main.config, { schema: this.main.schema });
    return patchAdapter(await factory.connect(), "main");
  }

  async connectToShadowDb() {
    if (this.shadowUrl) {
      const shadow = pgConfigFromUrl(this.shadowUrl);
      const adapter = patchAdapter(await new PrismaPg(shadow.config, { schema: shadow.schema }).connect(), "shadow");
      await assertConnectedTo(adapter, shadow.config.database);
      // It is about to be wiped: make sure it is not the main database under another name
      // (localhost vs 127.0.0.1, a second port forward, ...). Same database name on the same
      // server instance (same postmaster start time) = same database.
      const identity = "SELECT current_database() AS db, pg_postmaster_start_time()::text AS started";
      const [a, b] = [
        (await adapter.client.query(identity)).rows[0],
        await withClient(this.main.config, async (c) => (await c.query(identity)).rows[0]),
      ];
      if (a.db === b.db && a.started === b.started) {
        await adapter.dispose().catch(() => {});
        throw Object.assign(
          new Error(
            "The shadow database you configured appears to be the same as the main database. Please specify another shadow database.",
          ),
          { errorCode: "P3014" },
        );
      }
      // The engine expects every connectToShadowDb() to give it an EMPTY database (it calls it
      // several times per command, e.g. migrate dev: drift check, then validation of all
      // migrations). The native engine resets a configured shadow database before each use
      // by dropping and recreating its schema; do the same.
      const schema = quoteIdent(shadow.schema);
      await adapter.client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema};`);
      return adapter;
    }

    // No shadowDatabaseUrl: like the native engine, create a throw-away database on the same
    // server and drop it when the engine is done with it.
    const name = `prisma_migrate_shadow_db_${randomUUID()}`;
    try {
      await withClient(this.main.config, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
    } catch (e) {
      throw Object.assign(
        new Error(
          `Prisma Migrate could not create the shadow database. Please make sure the database user has permission to create databases. Read more about the shadow database (and workarounds) at https://pris.ly/d/migrate-shadow\n\nOriginal error: ${e.message}`,
        ),
        { errorCode: "P3014" },
      );
    }
    createdShadowDatabases.add(name);
    const shadowConfig = { ...this.main.config, database: name };
    const adapter = patchAdapter(await new PrismaPg(shadowConfig, { schema: this.main.schema }).connect(), "shadow");
    await assertConnectedTo(adapter, name);
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose(); // ends the shadow pool first, otherwise DROP DATABASE would be refused
      await dropShadowDatabase(this.main.config, name);
    };
    return adapter;
  }
}

// Belt and braces against the trap above: refuse to hand the engine a "shadow" connection
// that is not connected to the shadow database.
async function assertConnectedTo(adapter, database) {
  const { rows } = await adapter.client.query("SELECT current_database() AS db");
  if (rows[0]?.db !== database) {
    await adapter.dispose().catch(() => {});
    throw new Error(`Refusing to use the shadow database connection: it is connected to "${rows[0]?.db}", expected "${database}".`);
  }
}

async function dropShadowDatabase(config, name) {
  if (!createdShadowDatabases.has(name)) return;
  await withClient(config, async (c) => {
    const { rows } = await c.query(`SELECT current_setting('server_version_num')::int AS v`);
    // WITH (FORCE) (PostgreSQL 13+) also ends connections the pool may not have closed yet.
    await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}${rows[0].v >= 130000 ? " WITH (FORCE)" : ""}`);
  });
  createdShadowDatabases.delete(name);
}

async function dropLeftoverShadowDatabases(config) {
  for (const name of [...createdShadowDatabases]) {
    await dropShadowDatabase(config, name).catch((e) => log("WARN", `could not drop shadow database ${name}: ${e.message}`));
  }
}

// ---------------------------------------------------------------------------------------------
// Loading the WebAssembly engine
// ---------------------------------------------------------------------------------------------
// wasm-bindgen panics report their message through this global (see schema-engine-wasm).
class WasmPanicRegistry {
  message = "";
  set_message(message) {
    this.message = `RuntimeError: ${message}`;
  }
  get() {
    return this.message;
  }
}
globalThis.PRISMA_WASM_PANIC_REGISTRY = new WasmPanicRegistry();

// Prefer the .wasm shipped inside the prisma CLI package (exactly the CLI's engine version) if
// the npm glue we pinned can drive it — i.e. it needs no import the glue lacks and exports the
// same functions. Otherwise use the .wasm that ships with the glue.
async function loadWasmEngine() {
  const glueUrl = import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const glue = await import(glueUrl);
  const packageWasm = path.join(path.dirname(fileURLToPath(glueUrl)), "schema_engine_bg.wasm");
  const candidates = [];
  if (process.env.BACKOUT_SCHEMA_ENGINE_WASM) candidates.push(path.resolve(process.env.BACKOUT_SCHEMA_ENGINE_WASM));
  else {
    try {
      candidates.push(path.join(path.dirname(require.resolve("prisma/package.json")), "build", "schema_engine_bg.wasm"));
    } catch {}
    candidates.push(packageWasm);
  }
  const referenceExports = exportsOf(new WebAssembly.Module(fs.readFileSync(packageWasm)));
  for (const file of candidates) {
    if (!fs.existsSync(file)) continue;
    const module = new WebAssembly.Module(fs.readFileSync(file));
    const missingImports = WebAssembly.Module.imports(module).filter(
      (i) => i.module !== "./schema_engine_bg.js" || typeof glue[i.name] !== "function",
    );
    const exportsMatch = exportsOf(module) === referenceExports;
    if (missingImports.length || !exportsMatch) {
      log(
        "WARN",
        `not using ${file}: glue mismatch (${missingImports.length} missing imports, exports ${exportsMatch ? "match" : "differ"})`,
      );
      continue;
    }
    const instance = new WebAssembly.Instance(module, { "./schema_engine_bg.js": glue });
    glue.__wbg_set_wasm(instance.exports);
    instance.exports.__wbindgen_start();
    return { glue, file };
  }
  throw new Error(`No usable schema_engine_bg.wasm found (tried: ${candidates.join(", ")})`);
}

function exportsOf(module) {
  return WebAssembly.Module.exports(module)
    .map((e) => `${e.name}:${e.kind}`)
    .sort()
    .join(",");
}

// ---------------------------------------------------------------------------------------------
// Errors -> JSON-RPC error objects shaped like the native engine's
// ---------------------------------------------------------------------------------------------
function isWasmPanic(e) {
  return e?.name === "RuntimeError" || e instanceof WebAssembly.RuntimeError;
}

function toRpcError(e, factory, method) {
  if (isWasmPanic(e)) {
    const message = globalThis.PRISMA_WASM_PANIC_REGISTRY.get() || String(e?.message ?? e);
    // The CLI shows error.message (not data.message) for panics.
    return { code: 4466, message, data: { is_panic: true, message, backtrace: e?.stack ?? null } };
  }
  // Plain JS errors thrown inside the driver adapter (ours included, e.g. the shadow database
  // checks) are parked in the adapter's error registry; the engine only reports
  // "External error id#N". Recover the original error and its message.
  const id = /External error id#(\d+)/.exec(String(e?.message ?? ""))?.[1];
  const original = id === undefined ? undefined : factory?.errorRegistry?.consumeError?.(Number(id))?.error;
  if (original) {
    const context = String(e.message).split("\n")[0];
    e = { name: original.name, errorCode: original.errorCode, message: `${context}: ${original.message}` };
  }
  let errorCode = e?.errorCode ?? (typeof e?.code === "string" && /^P\d{4}$/.test(e.code) ? e.code : undefined);
  const data = { is_panic: false, message: String(e?.message ?? e) };
  if (!errorCode && e?.name === "SchemaConnectorError" && lastDbError) {
    const dbError = `Database error code: ${lastDbError.code}\n\nDatabase error:\nERROR: ${lastDbError.message}`;
    const migration = /migration_name="([^"]+)"/.exec(data.message)?.[1];
    if (method === "applyMigrations" && migration) {
      // Same code and wording as the native engine's P3018.
      errorCode = "P3018";
      data.message = `A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\nMigration name: ${migration}\n\n${dbError}\n\n${data.message}`;
      data.meta = { migration_name: migration, database_error_code: lastDbError.code, database_error: lastDbError.message };
    } else {
      data.message = `${data.message}\n\n${dbError}`;
    }
  }
  if (errorCode) data.error_code = errorCode;
  if (e?.meta) data.meta = e.meta;
  return { code: 4466, message: "An error happened. Check the data field for details.", data };
}

// ---------------------------------------------------------------------------------------------
// `schema-engine cli <command>` (used by the CLI to check/create the database)
// ---------------------------------------------------------------------------------------------
async function runCliCommand(command, datasource) {
  // The CLI parses stderr as: first line ignored, every further line must be JSON.
  log("INFO", `Starting schema engine CLI (wasm stand-in): ${command}`);
  const fail = (errorCode, message) => {
    log("ERROR", message, errorCode ? { error_code: errorCode } : {}, "schema_engine::logger");
    return 1;
  };
  let main;
  try {
    main = pgConfigFromUrl(datasource?.url);
  } catch (e) {
    return fail(e.errorCode, e.message);
  }
  const { config } = main;
  try {
    if (command === "can-connect-to-database") {
      await withClient(config, (c) => c.query("SELECT 1"));
      return 0;
    }
    if (command === "create-database" || command === "drop-database") {
      const admin = { ...config, database: config.database === "postgres" ? "template1" : "postgres" };
      const sql =
        command === "create-database" ? `CREATE DATABASE ${quoteIdent(config.database)}` : `DROP DATABASE ${quoteIdent(config.database)}`;
      await withClient(admin, (c) => c.query(sql));
      process.stdout.write(`Database '${config.database}' was successfully ${command === "create-database" ? "created" : "dropped"}.\n`);
      return 0;
    }
    return fail(undefined, `Unknown cli command: ${command}`);
  } catch (e) {
    const mapped = connectionErrorCode(e, config);
    if (mapped) return fail(mapped.errorCode, mapped.message);
    if (e?.code === "42P04") return fail("P1009", `Database \`${config.database}\` already exists on the database server`);
    return fail(undefined, e?.message ?? String(e));
  }
}

// ---------------------------------------------------------------------------------------------
// JSON-RPC server
// ---------------------------------------------------------------------------------------------
async function serve(args) {
  const datasource = args.datasource ?? {};
  const datamodels = args.datamodels.map((file) => [file, fs.readFileSync(file, "utf8")]);
  let wasm; // { glue, file }
  let engine; // one wasm SchemaEngine per process = per CLI command (never recreated)
  let factory;
  let poisoned = false; // after a wasm panic the instance must not be used again

  const write = (msg) => process.stdout.write(`${JSON.stringify(msg)}\n`);

  async function getEngine() {
    if (engine) return engine;
    wasm ??= await loadWasmEngine();
    factory = bindMigrationAwareSqlAdapterFactory(new PgMigrationAdapterFactory(datasource));
    const logLine = (chunk) => {
      for (const line of String(chunk).split("\n")) if (line.trim()) process.stderr.write(`${line}\n`);
    };
    try {
      engine = await wasm.glue.SchemaEngine.new({ datamodels: datamodels.length ? datamodels : undefined }, logLine, factory);
    } catch (e) {
      // Connection errors come back from adapter-pg as DriverAdapterError kinds.
      const mapped = connectionErrorCode(e, pgConfigFromUrl(datasource.url).config);
      throw mapped ? Object.assign(new Error(mapped.message), { errorCode: mapped.errorCode }) : e;
    }
    log("INFO", `schema-engine-wasm ${wasm.glue.version()} loaded from ${wasm.file}`);
    return engine;
  }

  let printId = 0;
  const handlers = {
    // Methods answered in JS: they need no schema engine logic, or the wasm build lacks them.
    async dbExecute({ script, datasourceType }) {
      // The wasm engine would ignore datasourceType and always use the main connection.
      const url = datasourceType?.tag === "url" ? datasourceType.url : datasource.url;
      await withClient(pgConfigFromUrl(url).config, (c) => c.query(script));
      return {};
    },
    async createDatabase() {
      const { config } = pgConfigFromUrl(datasource.url);
      const admin = { ...config, database: config.database === "postgres" ? "template1" : "postgres" };
      await withClient(admin, (c) => c.query(`CREATE DATABASE ${quoteIdent(config.database)}`));
      return { databaseName: config.database };
    },
    async getDatabaseVersion(params) {
      return (await getEngine()).version(params ?? null);
    },
    async diff(params) {
      const result = await (await getEngine()).diff(params);
      // The native engine prints the diff through a "print" request to the CLI (which writes
      // it to stdout or to --output); the RPC result then carries no stdout.
      if (result?.stdout != null) write({ jsonrpc: "2.0", id: `print-${++printId}`, method: "print", params: { content: result.stdout } });
      return { exitCode: result.exitCode, stdout: null };
    },
    async debugPanic() {
      (await getEngine()).debugPanic();
      return {};
    },
  };
  const wasmMethods = new Set([
    "applyMigrations",
    "createMigration",
    "devDiagnostic",
    "diagnoseMigrationHistory",
    "ensureConnectionValidity",
    "evaluateDataLoss",
    "introspect",
    "introspectSql",
    "markMigrationApplied",
    "markMigrationRolledBack",
    "reset",
    "schemaPush",
  ]);

  async function handle(req) {
    if (poisoned) throw Object.assign(new WebAssembly.RuntimeError("unreachable"), {});
    if (handlers[req.method]) return handlers[req.method](req.params ?? {});
    if (wasmMethods.has(req.method)) {
      const e = await getEngine();
      const params = req.params ?? {};
      // Call as a method: the wasm-bindgen class needs `this`.
      let result;
      try {
        result = await e[req.method](params);
      } catch (err) {
        // evaluateDataLoss/createMigration replay the migrations on a shadow DB through a code
        // path that has no access to the adapter factory; they only work when the engine's
        // in-memory "schema from migrations" cache already holds that history. The cache is
        // filled by diagnoseMigrationHistory (with the factory), but `migrate dev` warms it
        // BEFORE applying pending migrations, so after applying one the lookup misses.
        // Warm it for the current history and retry once (nothing was written yet).
        if (!params.migrationsList || !/shadow DB must be provided through an external factory/i.test(String(err?.message))) throw err;
        log("INFO", `${req.method}: warming the migration schema cache through the shadow database`);
        await e.diagnoseMigrationHistory({
          migrationsList: params.migrationsList,
          optInToShadowDatabase: true,
          filters: params.filters ?? { externalTables: [], externalEnums: [] },
        });
        result = await e[req.method](params);
      }
      return result === undefined ? {} : result;
    }
    throw new Error(`Method not supported by the wasm schema engine stand-in: ${req.method}`);
  }

  // A Rust panic inside an async engine method surfaces as an uncaught WebAssembly
  // RuntimeError thrown from a promise callback, i.e. outside any try/catch of ours. Answer
  // the request in flight the way the native engine does (is_panic error, exit code 101);
  // the instance is unusable afterwards.
  let current = null;
  const onFatal = async (e) => {
    const error = toRpcError(e, factory, current?.method);
    log("ERROR", error.data.message);
    if (current) write({ jsonrpc: "2.0", id: current.id, error });
    if (datasource.url) await dropLeftoverShadowDatabases(pgConfigFromUrl(datasource.url).config).catch(() => {});
    process.exit(error.data.is_panic ? 101 : 1);
  };
  process.on("uncaughtException", onFatal);
  process.on("unhandledRejection", onFatal);
  // The CLI's stop() ends our stdin and sends SIGTERM right away (Ctrl-C sends SIGINT): still
  // drop temporary shadow databases before going.
  for (const signal of ["SIGTERM", "SIGINT"]) {
    process.on(signal, async () => {
      if (datasource.url) await dropLeftoverShadowDatabases(pgConfigFromUrl(datasource.url).config).catch(() => {});
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  }

  // Requests are processed one at a time, in order, like the native engine does.
  let queue = Promise.resolve();
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on("line", (line) => {
    if (!line.trim()) return;
    let req;
    try {
      req = JSON.parse(line);
    } catch {
      write({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
      return;
    }
    if (!req.method) return; // answers to our own "print" requests
    queue = queue.then(async () => {
      lastDbError = null;
      current = req;
      try {
        const result = await handle(req);
        write({ jsonrpc: "2.0", id: req.id, result });
      } catch (e) {
        const error = toRpcError(e, factory, req.method);
        if (error.data.is_panic) poisoned = true;
        if (error.data.is_panic || DEBUG_SQL) log("ERROR", error.data.message);
        write({ jsonrpc: "2.0", id: req.id, error });
      } finally {
        current = null;
      }
    });
  });
  await new Promise((resolve) => rl.on("close", resolve));
  await queue;
  // The CLI ends our stdin when it is done: release everything and exit (open pg pools would
  // otherwise keep the process alive).
  try {
    if (engine && !poisoned) engine.free();
  } catch {}
  if (datasource.url) await dropLeftoverShadowDatabases(pgConfigFromUrl(datasource.url).config);
  return poisoned ? 101 : 0;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.version) {
    const { glue } = await loadWasmEngine();
    process.stdout.write(`schema-engine-cli ${glue.version()}\n`);
    return 0;
  }
  if (args.help) {
    process.stdout.write("Prisma schema engine stand-in (WebAssembly). See tools/prisma-engine/README.md\n");
    return 0;
  }
  if (args.cli !== null) return runCliCommand(args.cli, args.datasource);
  return serve(args);
}

main().then(
  (code) => process.exit(code),
  async (e) => {
    log("ERROR", e?.stack ?? String(e));
    process.exit(1);
  },
);
