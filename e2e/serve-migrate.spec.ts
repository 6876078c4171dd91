// Two `npm run serve` (the production start, on the existing build) started at the same moment on
// an empty database: the migrations are applied once, by one of them; both come up; Prisma's own
// `migrate status` agrees the schema is up to date. No browser needed: the servers' health
// endpoints, their output and the database are what is checked.
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { startWhileMigrationLocked } from "../lib/testing/migration-lock";
import { runPrisma } from "../tools/prisma-engine/run.mjs";
import { sqlOn } from "./support";

// Two Next servers and their start-up share two cores with the other specs on CI.
test.setTimeout(240_000);

const ROOT = path.resolve(import.meta.dirname, "..");
const FIRST_PORT = Number(process.env.E2E_PORT ?? 3100) + 20;
const name = `backout_serve_${Date.now().toString(36)}_${process.pid}`;

function urlOf(database: string): string {
  const u = new URL(process.env.E2E_DATABASE_URL ?? "");
  u.pathname = `/${database}`;
  return u.toString();
}
const adminUrl = urlOf("postgres");
const url = urlOf(name);

type Served = { child: ChildProcess; port: number; output: string[] };
const served: Served[] = [];

const killGroup = (pid: number | undefined) => {
  if (!pid) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
};

function serve(port: number): Served {
  // Its own process group: npm, tsx, serve.ts and the `next start` it spawns all go with it.
  const child = spawn("npm", ["run", "serve"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DATABASE_URL: url, AUTH_SECRET: "e2e-only-secret", PORT: String(port), NEXT_TELEMETRY_DISABLED: "1" },
  });
  const s: Served = { child, port, output: [] };
  child.stdout?.on("data", (d) => s.output.push(String(d)));
  child.stderr?.on("data", (d) => s.output.push(String(d)));
  served.push(s);
  return s;
}

async function healthy(s: Served): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (s.child.exitCode !== null) throw new Error(`npm run serve on :${s.port} exited with ${s.child.exitCode}:\n${s.output.join("")}`);
    try {
      if ((await fetch(`http://127.0.0.1:${s.port}/api/health`, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`npm run serve on :${s.port} did not answer within 180 s:\n${s.output.join("")}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test.beforeAll(async () => {
  await sqlOn(adminUrl, `CREATE DATABASE "${name}"`);
});

test.afterAll(async () => {
  // The clean-up must not hang the run, and must not leave a stuck DROP in the cluster the other
  // specs use. In fresh-clone CI runs (sessions 6 and 7, embedded PostgreSQL, after the whole suite)
  // a DROP … WITH (FORCE) here never returned: the servers' three connections to this database
  // (the job worker's LISTEN and job queries) stayed, idle with no wait event, after their processes
  // were killed and after the FORCE had signalled them, and the DROP waited on them past any
  // statement_timeout. It never happened in isolation. So: kill the servers, wait (bounded) for the
  // server to see their connections go, and only then drop, without FORCE (a backend still there
  // makes it fail within 5 s rather than hang). When they do not go, the database is left behind,
  // named, with its backends, and the test's own result stands.
  test.setTimeout(120_000);
  for (const s of served) killGroup(s.child.pid);
  await Promise.all(served.map((s) => exited(s.child, 10_000)));
  const deadline = Date.now() + 30_000;
  let left = await backendsOf(name);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    left = await backendsOf(name);
  }
  if (left.length > 0) {
    console.log(
      `[serve-migrate] the test database ${name} still has connections 30 s after its servers were killed; not dropped (drop it by hand): ${JSON.stringify(left)}`,
    );
    return;
  }
  await sqlOn(adminUrl, `DROP DATABASE IF EXISTS "${name}"`).catch((e: unknown) => {
    console.log(`[serve-migrate] could not drop the test database ${name}: ${e instanceof Error ? e.message : String(e)}`);
  });
});

/** This database's backends, and what each is doing (for whoever looks next if they stay). */
function backendsOf(database: string) {
  return sqlOn<{ pid: number; state: string | null; wait_event: string | null; query: string }>(
    adminUrl,
    "SELECT pid, state, wait_event_type || ':' || wait_event AS wait_event, left(query, 60) AS query FROM pg_stat_activity WHERE datname = $1",
    [database],
  );
}

/** Resolves when the process has exited, or after `ms` (its group was sent SIGKILL: it will). */
function exited(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

test("two `npm run serve` at the same moment on an empty database: one migrates, both start, Prisma says up to date", async () => {
  // Both start while the test holds the migration lock, so that both certainly find it taken;
  // it lets go once both wait, and one of them wins.
  const [a, b] = await startWhileMigrationLocked(
    url,
    { waiters: 2, timeoutMs: 120_000, describe: () => served.map((s) => s.output.join("")).join("\n") },
    () => [serve(FIRST_PORT), serve(FIRST_PORT + 1)],
  );
  await Promise.all([healthy(a), healthy(b)]);
  for (const s of [a, b]) expect(s.output.join("")).toContain("another process is migrating this database; waiting for it to finish");

  const migrations = readdirSync(path.join(ROOT, "prisma/migrations"), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  // One server applied every migration, the other none; each is recorded once.
  const applied = [a, b].map((s) => s.output.join("").match(/applied migration \S+/g) ?? []).sort((x, y) => x.length - y.length);
  expect(applied).toEqual([[], migrations.map((m) => `applied migration ${m}`)]);
  const rows = await sqlOn<{ migration_name: string; finished: boolean }>(
    url,
    "SELECT migration_name, finished_at IS NOT NULL AND rolled_back_at IS NULL AS finished FROM _prisma_migrations ORDER BY migration_name",
  );
  expect(rows).toEqual(migrations.map((m) => ({ migration_name: m, finished: true })));

  const status = await runPrisma(["migrate", "status"], { env: { ...process.env, DATABASE_URL: url }, cwd: ROOT });
  expect(status.stdout + status.stderr).toContain("Database schema is up to date");
  expect(status.code).toBe(0);
});
