// SIGKILL of the Next server in the middle of a step. The spec runs a `next start` of its own (the
// step worker runs inside it, instrumentation-node.ts) on a database of its own, so that no other
// worker can take the step. A quiet step (`sleep 20; echo done >> FILE`) is started by its button,
// the server's own process group is SIGKILLed while it runs (the command's group is its own and is
// not touched by the spec), the command dies with the server and never writes "done", a new server
// on the same database finds the step INTERRUPTED, does not run it again by itself, and runs
// exactly one new copy when an operator retries it.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { isAlive } from "@/lib/testing/processes";
import { signIn, sqlOn, USERS } from "./support";

// Generous: two Next servers, Chromium and a database share two cores on CI.
test.setTimeout(300_000);

const ROOT = path.resolve(import.meta.dirname, "..");
const PORT = Number(process.env.E2E_CRASH_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 10);
const BASE = `http://127.0.0.1:${PORT}`;
/** The worker's default heartbeat (lib/rollback/engine/worker.ts) and recovery sweep intervals. */
const HEARTBEAT_MS = 2000;
const RECOVER_EVERY_MS = 10_000;

let tmp = "";
let marker = "";
let runs = "";
let database: { url: string; name: string; number: number } | null = null;
const servers: ChildProcess[] = [];
const serverLogs: string[] = [];
let commandPgid: number | null = null;

function fixture(...args: string[]): Record<string, unknown> {
  const r = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "e2e/fixtures/crash-db.ts", ...args], {
    cwd: ROOT,
    env: process.env,
    encoding: "utf8",
    timeout: 180_000,
  });
  if (r.status !== 0) throw new Error(`crash fixture ${args[0]} failed (${r.status}): ${r.stderr}\n${r.stdout}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "{}");
}

const killGroup = (pgid: number | null | undefined) => {
  if (!pgid) return;
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    // already gone
  }
};

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

/** `next start` of the existing build, in its own process group, on this spec's database. */
async function startServer(): Promise<ChildProcess> {
  if (await answers(`${BASE}/api/health`)) throw new Error(`something already answers on port ${PORT}: stop it first`);
  const child = spawn(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(PORT)], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DATABASE_URL: database!.url, AUTH_SECRET: "e2e-only-secret", NEXT_TELEMETRY_DISABLED: "1" },
  });
  servers.push(child);
  const collect = (d: Buffer) => serverLogs.push(`[${child.pid}] ${String(d).trimEnd()}`);
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const deadline = Date.now() + 120_000;
  while (!(await answers(`${BASE}/api/health`))) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${serverLogs.join("\n")}`);
    if (Date.now() > deadline) throw new Error(`next start did not answer within 120 s:\n${serverLogs.join("\n")}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return child;
}

async function killServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once("exit", r)));
  killGroup(child.pid);
  await exited;
}

const q = <T extends Record<string, unknown>>(text: string, values: unknown[] = []) => sqlOn<T>(database!.url, text, values);
const step = async () =>
  (
    await q<{ id: string; state: string; attempts: number; error: string | null }>(
      `SELECT s.id, s.state::text, s.attempts, s.error FROM "RollbackStep" s JOIN "RollbackRun" r ON r.id = s."runId"
       JOIN "Incident" i ON i.id = r."incidentId" WHERE i.number = $1 ORDER BY s.position LIMIT 1`,
      [database!.number],
    )
  )[0];
const executions = async (stepId: string) =>
  q<{ attempt: number; state: string; workerId: string | null; host: string | null; pid: number | null; pgid: number | null }>(
    `SELECT attempt, state::text, "workerId", host, pid, pgid FROM "StepExecution" WHERE "stepId" = $1 ORDER BY attempt`,
    [stepId],
  );
const ranLines = () => (existsSync(runs) ? readFileSync(runs, "utf8").split("\n").filter(Boolean) : []);

async function poll<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${serverLogs.slice(-30).join("\n")}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test.beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "backout-crash-"));
  marker = path.join(tmp, "keep-running");
  runs = path.join(tmp, "runs");
  writeFileSync(marker, "");
  database = fixture("create", marker, runs) as typeof database;
});

test.afterAll(async () => {
  for (const s of servers) killGroup(s.pid);
  killGroup(commandPgid);
  await new Promise((r) => setTimeout(r, 500));
  if (database) fixture("drop", database.name);
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function signedIn(browser: import("@playwright/test").Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: BASE });
  const page = await context.newPage();
  await signIn(page, USERS.responder.email);
  return page;
}

test("a step cut off by SIGKILL of the server is INTERRUPTED after restart, never re-run by itself, and runs again on retry", async ({
  browser,
}) => {
  const first = await startServer();
  const page = await signedIn(browser);
  await page.goto(`/incidents/${database!.number}`);
  await page.getByRole("button", { name: "Start rollback" }).click();
  // Step by step here (the default runs the steps until the first destructive one: e2e/fast-path.spec.ts).
  await page.getByRole("dialog").getByRole("button", { name: "Start step by step" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("In progress");
  await page.getByRole("button", { name: "Run: Migrate billing back" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Run step" }).click();

  // RUNNING in the worker of that server process, its process recorded as it started.
  const running = await poll("the step to run", async () => {
    const s = await step();
    return s?.state === "RUNNING" && ranLines().length === 1 ? s : null;
  });
  const startedAt = Date.now();
  const execution = await poll("the process record", async () => (await executions(running.id)).find((e) => e.pid !== null));
  expect(execution).toMatchObject({ attempt: 1, state: "RUNNING", host: os.hostname() });
  expect(execution.workerId).toContain(`:${first.pid}:`);
  commandPgid = execution.pgid;
  expect(isAlive(execution.pid!)).toBe(true);
  await expect(page.getByTestId("step-state-1")).toHaveText("Running", { timeout: 30_000 });

  // SIGKILL of the server (its own group; the command's group is another): the command dies with
  // it, at once, nobody else stopping it.
  await killServer(first);
  await poll("the command to die with the server", async () => !isAlive(execution.pid!) && !isAlive(execution.pgid!), 5000);
  // The retry's copy should finish at once.
  await rm(marker);

  await startServer();
  const interrupted = await poll("the step to be INTERRUPTED", async () => {
    const s = await step();
    return s?.state === "INTERRUPTED" ? s : null;
  });
  expect(interrupted.attempts).toBe(1);
  expect((await executions(interrupted.id)).map((e) => e.state)).toEqual(["INTERRUPTED"]);

  expect(interrupted.error).toContain(`its process (pid ${execution.pid}) had already ended`);

  // Nothing runs it again by itself: several heartbeats and a recovery sweep later, still one
  // attempt; and past the 20 s the old copy slept, "done" never came.
  await new Promise((r) => setTimeout(r, Math.max(3 * HEARTBEAT_MS + RECOVER_EVERY_MS, startedAt + 22_000 - Date.now())));
  expect((await step()).state).toBe("INTERRUPTED");
  expect(await executions(interrupted.id)).toHaveLength(1);
  expect(ranLines()).toEqual(["ran"]);

  await page.reload();
  await expect(page.getByTestId("step-state-1")).toHaveText("Interrupted");
  await expect(page.getByTestId("run-attention")).toContainText("Needs an operator: step 1 “Migrate billing back” was interrupted");
  const events = await q<{ kind: string }>(
    `SELECT kind::text FROM "TimelineEvent" WHERE "incidentId" = (SELECT id FROM "Incident" WHERE number = $1) AND kind = 'STEP_INTERRUPTED'`,
    [database!.number],
  );
  expect(events).toHaveLength(1);

  // An operator retries it (with a confirmation): it runs again, once, and the run completes.
  await page.getByRole("button", { name: "Retry step: Migrate billing back" }).click();
  await page.getByRole("dialog").getByLabel("Note for the timeline").fill("checked: the migration is idempotent");
  await page.getByRole("dialog").getByRole("button", { name: "Retry step" }).click();
  await expect(page.getByTestId("step-state-1")).toHaveText("Succeeded", { timeout: 60_000 });
  await expect(page.getByTestId("run-status")).toHaveText("Completed");
  // Exactly one new copy, and still no "done" from the first.
  expect(ranLines()).toEqual(["ran", "ran"]);
  expect((await executions(interrupted.id)).map((e) => [e.attempt, e.state])).toEqual([
    [1, "INTERRUPTED"],
    [2, "SUCCEEDED"],
  ]);
});
