// A database-restore rollback end to end through the engine: a runbook of real steps (the
// postgres executor against a scratch application database, HTTP and commands against a small
// stand-in application this test runs), a plan approved by two release managers through the
// decision code, and every step queued and run by the worker. Rows deleted "by the bad release"
// after the nightly backup come back; the emergency backup exists and restores; without a
// successful emergency backup the restore refuses and the database is not touched.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@/generated/prisma/client";
import { getDb } from "@/lib/db";
import { approveDecision, proposeDecision } from "@/lib/decision/mutations";
import { declareIncident } from "@/lib/incidents/mutations";
import type { RollbackSummaryContent } from "@/lib/rollback/summary/content";
import { makeService, makeUser } from "@/lib/testing/factories";
import { runDueJobs } from "@/lib/testing/jobs";
import { adminQuery, adminUrl, assertPgToolsFitServer } from "@/lib/testing/pg-tools";
import { runAttention } from "../run-status";
import { abortRun, requestStep, runUntilDestructive, skipStep, startRun } from "./runs";
import { StepWorker } from "./worker";

const execFileP = promisify(execFile);
const db = () => getDb();

/** The stand-in application: a maintenance switch behind a bearer token, and a health check that reads the state its commands write. */
type App = { url: string; maintenance: boolean[]; close(): Promise<void> };

async function startApp(stateFile: string, token: string): Promise<App> {
  const maintenance: boolean[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method === "POST" && req.url === "/admin/maintenance") {
      if (req.headers.authorization !== `Bearer ${token}`) {
        res.writeHead(401).end("no");
        return;
      }
      const { enabled } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { enabled: boolean };
      maintenance.push(enabled);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ maintenance: enabled }));
      return;
    }
    if (req.url === "/health") {
      const state = readFileSync(stateFile, "utf8");
      res.writeHead(state === "stopped" ? 503 : 200).end(state);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    maintenance,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("a database-restore rollback run by the engine", () => {
  const tag = `${Date.now().toString(36)}_${process.pid}`;
  const appDb = `backout_restore_app_${tag}`;
  const checkDb = `backout_restore_check_${tag}`;
  let tmp: string;
  let nightly: string;
  let stateFile: string;
  let app: App;
  let appDbUrl: string;
  const token = randomUUID();
  const workers: StepWorker[] = [];

  const withApp = async <T>(fn: (c: pg.Client) => Promise<T>, url = appDbUrl): Promise<T> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  const orderIds = (url?: string) =>
    withApp(async (c) => (await c.query<{ id: number }>("SELECT id FROM orders ORDER BY id")).rows.map((r) => r.id), url);

  beforeAll(async () => {
    await assertPgToolsFitServer();
    tmp = await mkdtemp(path.join(os.tmpdir(), "backout-restore-"));
    nightly = path.join(tmp, "nightly.dump");
    stateFile = path.join(tmp, "app-state");
    await adminQuery(`CREATE DATABASE "${appDb}"`);
    const url = new URL(adminUrl());
    url.pathname = `/${appDb}`;
    appDbUrl = url.toString();
    app = await startApp(stateFile, token);
    // What the runbook's steps read from the server environment, by name.
    process.env.RESTORE_TEST_APP_DB_URL = appDbUrl;
    process.env.RESTORE_TEST_UNREACHABLE_DB_URL = "postgres://postgres@127.0.0.1:1/unreachable";
    process.env.RESTORE_TEST_APP_AUTH = `Bearer ${token}`;
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  });

  afterAll(async () => {
    await app?.close();
    await adminQuery(`DROP DATABASE IF EXISTS "${appDb}" WITH (FORCE)`);
    await adminQuery(`DROP DATABASE IF EXISTS "${checkDb}" WITH (FORCE)`);
    await rm(tmp, { recursive: true, force: true });
  });

  /** Ten orders, last night's backup of them, then the bad release deletes four. */
  async function badReleaseAfterNightlyBackup() {
    await withApp(async (c) => {
      await c.query("DROP TABLE IF EXISTS orders");
      await c.query("CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL)");
      await c.query("INSERT INTO orders SELECT i, 'item ' || i FROM generate_series(1, 10) AS i");
    });
    await execFileP("pg_dump", ["--format=custom", "--file", nightly, appDbUrl]);
    writeFileSync(stateFile, "v2");
    await withApp((c) => c.query("DELETE FROM orders WHERE id IN (2, 4, 6, 8)"));
    expect(await orderIds()).toEqual([1, 3, 5, 7, 9, 10]);
  }

  const writeState = (value: string) => [
    process.execPath,
    "-e",
    `require("fs").writeFileSync(${JSON.stringify(stateFile)}, ${JSON.stringify(value)}); console.log(${JSON.stringify(value)})`,
  ];

  /** The service's database-restore runbook; `backupEnv` names the database the emergency backup is taken of. */
  function restoreRunbook(backupEnv: string) {
    const maintenance = (enabled: boolean) => ({
      method: "POST",
      url: `${app.url}/admin/maintenance`,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ enabled }),
      secretHeaders: { Authorization: "RESTORE_TEST_APP_AUTH" },
    });
    return [
      {
        key: "verify-backup",
        name: "Verify last night's backup",
        executor: "POSTGRES",
        config: { operation: "check-backup", backupPath: nightly },
      },
      { key: "maintenance-on", name: "Enable maintenance mode", executor: "HTTP", config: maintenance(true) },
      {
        key: "stop-instances",
        name: "Stop application instances",
        executor: "COMMAND",
        destructive: true,
        config: { argv: writeState("stopped") },
      },
      {
        key: "emergency-backup",
        name: "Take the emergency backup",
        executor: "POSTGRES",
        config: { operation: "backup", databaseUrlEnv: backupEnv, timeoutMs: 60_000 },
      },
      {
        key: "restore",
        name: "Restore last night's backup",
        executor: "POSTGRES",
        destructive: true,
        config: { operation: "restore", databaseUrlEnv: "RESTORE_TEST_APP_DB_URL", backupPath: nightly },
      },
      {
        key: "verify-integrity",
        name: "Verify data integrity",
        executor: "POSTGRES",
        config: {
          operation: "integrity",
          databaseUrlEnv: "RESTORE_TEST_APP_DB_URL",
          tables: ["orders"],
          rowCounts: [{ table: "orders", min: 10 }],
        },
      },
      { key: "start-previous", name: "Start v1", executor: "COMMAND", config: { argv: writeState("v1") } },
      {
        key: "verify-health",
        name: "Verify health",
        executor: "HEALTH_CHECK",
        config: { urls: [`${app.url}/health`], retries: 2, intervalMs: 200 },
      },
      { key: "maintenance-off", name: "Disable maintenance mode", executor: "HTTP", config: maintenance(false) },
    ];
  }

  /** An incident on a service with that runbook, its DATABASE_RESTORE plan approved by two release managers, and the run started. */
  async function approvedRestore(backupEnv: string) {
    const service = await makeService();
    const runbook = await db().runbook.create({ data: { serviceId: service.id, name: "Restore orders", strategy: "DATABASE_RESTORE" } });
    await db().runbookVersion.create({
      data: { runbookId: runbook.id, version: 1, steps: restoreRunbook(backupEnv) as unknown as Prisma.InputJsonValue },
    });
    const responder = await makeUser("RESPONDER");
    const ago = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
    const incident = await declareIncident(responder, {
      title: `Orders lost ${randomUUID().slice(0, 6)}`,
      serviceId: service.id,
      badVersion: "v2",
      previousVersion: "v1",
      severity: "SEV1",
      deployedAt: ago(40),
      detectedAt: ago(30),
    });
    const decision = await proposeDecision(responder, {
      incidentId: incident.id,
      tier: "PLANNED",
      strategy: "DATABASE_RESTORE",
      reason: "v2 deleted orders; restore last night's backup",
    });
    expect(decision.requiredApprovals).toBe(2);
    const approval = { decisionId: decision.id, planHash: decision.planHash, confirmation: service.name };
    expect((await approveDecision(await makeUser("RELEASE_MANAGER"), approval)).approved).toBe(false);
    expect((await approveDecision(await makeUser("RELEASE_MANAGER"), approval)).approved).toBe(true);
    const { run } = await startRun(responder, { decisionId: decision.id, planHash: decision.planHash });
    const worker = new StepWorker({ pollMs: 100, heartbeatMs: 300, workDir: path.join(tmp, "backups") });
    workers.push(worker);
    await worker.start();
    return { run, steps: run.steps, operator: responder, incident, service };
  }

  const stepIn = (id: string, ...states: string[]) =>
    waitFor(`step in ${states.join("/")}`, async () => {
      const s = await db().rollbackStep.findUniqueOrThrow({ where: { id } });
      return states.includes(s.state) ? s : null;
    });
  const autoRunStopped = (runId: string) =>
    waitFor(
      "the run-until to stop",
      async () => (await db().rollbackRun.findUniqueOrThrow({ where: { id: runId } })).autoRunUntil === null,
    );

  it("restores the rows the bad release deleted, behind an emergency backup that exists and restores", async () => {
    await badReleaseAfterNightlyBackup();
    const { run, steps, operator, incident, service } = await approvedRestore("RESTORE_TEST_APP_DB_URL");
    // The destructive steps want the service name typed, as in their dialog.
    const confirmation = service.name;
    const ids = (...positions: number[]) => positions.map((p) => steps[p].id);
    const key = () => randomUUID();

    // Verify the backup and enable maintenance: up to the destructive "stop instances".
    expect(await runUntilDestructive(operator, { runId: run.id, idempotencyKey: key(), stepIds: ids(0, 1) })).toMatchObject({
      outcome: "started",
      stopBefore: { position: 2 },
    });
    await stepIn(steps[1].id, "SUCCEEDED");
    await autoRunStopped(run.id);
    expect(app.maintenance).toEqual([true]);

    await requestStep(operator, { stepId: steps[2].id, idempotencyKey: key(), confirmation });
    await stepIn(steps[2].id, "SUCCEEDED");
    expect(readFileSync(stateFile, "utf8")).toBe("stopped");

    // The emergency backup, then it stops before the destructive restore.
    await runUntilDestructive(operator, { runId: run.id, idempotencyKey: key(), stepIds: ids(3) });
    const backupStep = await stepIn(steps[3].id, "SUCCEEDED", "FAILED");
    expect(backupStep.state, backupStep.error ?? "").toBe("SUCCEEDED");
    await autoRunStopped(run.id);
    expect((await db().rollbackStep.findUniqueOrThrow({ where: { id: steps[4].id } })).state).toBe("NOT_STARTED");

    await requestStep(operator, { stepId: steps[4].id, idempotencyKey: key(), confirmation });
    const restored = await stepIn(steps[4].id, "SUCCEEDED", "FAILED");
    expect(restored.state, restored.error ?? "").toBe("SUCCEEDED");
    expect(await orderIds()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    // Integrity, start v1, health, maintenance off: the rest of the plan.
    expect(await runUntilDestructive(operator, { runId: run.id, idempotencyKey: key(), stepIds: ids(5, 6, 7, 8) })).toMatchObject({
      outcome: "started",
      stopBefore: null,
    });
    const ended = await waitFor("the run to end", async () => {
      const r = await db().rollbackRun.findUniqueOrThrow({ where: { id: run.id }, include: { steps: { orderBy: { position: "asc" } } } });
      return r.status !== "RUNNING" ? r : null;
    });
    expect(ended.steps.map((s) => [s.name, s.state, s.error])).toEqual(ended.steps.map((s) => [s.name, "SUCCEEDED", null]));
    expect(ended.status).toBe("SUCCEEDED");
    expect(ended.steps[5].output).toMatchObject({ counts: { orders: 10 }, failures: [] });
    expect(app.maintenance).toEqual([true, false]);
    expect(readFileSync(stateFile, "utf8")).toBe("v1");
    // Every step ran exactly once, through the worker.
    expect(await db().stepExecution.count({ where: { step: { runId: run.id }, state: "SUCCEEDED", workerId: { not: null } } })).toBe(9);
    expect(await db().stepExecution.count({ where: { step: { runId: run.id } } })).toBe(9);

    // The emergency backup: a file in the worker's backup folder, readable, and it restores (the state just before the restore).
    const file = (backupStep.output as { path: string }).path;
    expect(path.dirname(file)).toBe(path.join(tmp, "backups"));
    expect((await stat(file)).size).toBeGreaterThan(0);
    expect((await execFileP("pg_restore", ["--list", file])).stdout).toContain("TABLE DATA public orders");
    await adminQuery(`CREATE DATABASE "${checkDb}"`);
    const checkUrl = new URL(adminUrl());
    checkUrl.pathname = `/${checkDb}`;
    await execFileP("pg_restore", ["--no-owner", "--dbname", checkUrl.toString(), file]);
    expect(await orderIds(checkUrl.toString())).toEqual([1, 3, 5, 7, 9, 10]);

    const doc = await waitFor("the rollback summary", async () => {
      await runDueJobs();
      return db().document.findFirst({ where: { runId: run.id, kind: "ROLLBACK_SUMMARY" }, include: { versions: true } });
    });
    const content = doc.versions[0].content as unknown as RollbackSummaryContent;
    expect(content.method).toMatchObject({ strategy: "DATABASE_RESTORE", tier: "PLANNED" });
    expect(content.stability.anchor?.stepName).toBe("Restore last night's backup");
    expect(content.nextSteps).toContain(`Keep the emergency backup ${file} until the data is verified.`);
    expect(await db().timelineEvent.count({ where: { incidentId: incident.id, kind: "STEP_SUCCEEDED" } })).toBe(9);
  });

  it("refuses the restore, touching nothing, when this run's emergency backup failed", async () => {
    await badReleaseAfterNightlyBackup();
    const { run, steps, operator, service } = await approvedRestore("RESTORE_TEST_UNREACHABLE_DB_URL");
    const confirmation = service.name;
    await runUntilDestructive(operator, { runId: run.id, idempotencyKey: randomUUID(), stepIds: [steps[0].id, steps[1].id] });
    await stepIn(steps[1].id, "SUCCEEDED");
    await autoRunStopped(run.id);
    await requestStep(operator, { stepId: steps[2].id, idempotencyKey: randomUUID(), confirmation });
    await stepIn(steps[2].id, "SUCCEEDED");

    await runUntilDestructive(operator, { runId: run.id, idempotencyKey: randomUUID(), stepIds: [steps[3].id] });
    const backup = await stepIn(steps[3].id, "FAILED", "SUCCEEDED");
    expect(backup.state).toBe("FAILED");
    expect(backup.error).toMatch(/^pg_dump exited with code 1: .*(refused|connect)/i);

    // The failed backup blocks the restore; skipping it does not let the restore through.
    await expect(requestStep(operator, { stepId: steps[4].id, idempotencyKey: randomUUID(), confirmation })).rejects.toThrow(
      /"Take the emergency backup" must succeed/,
    );
    await skipStep(operator, { stepId: steps[3].id, note: "the database host is unreachable from the backup runner" });
    await requestStep(operator, { stepId: steps[4].id, idempotencyKey: randomUUID(), confirmation });
    const refused = await stepIn(steps[4].id, "FAILED", "SUCCEEDED");
    expect(refused.state).toBe("FAILED");
    expect(refused.error).toBe(
      'restore refused, the database was not touched: the emergency backup step "emergency-backup" did not succeed (skipped by an operator: the database host is unreachable from the backup runner)',
    );
    expect(refused.output).toMatchObject({ errorKind: "refused" });
    const logged = (await db().stepLogLine.findMany({ where: { stepId: steps[4].id } })).map((l) => l.line);
    expect(logged.some((l) => l.startsWith("pg_restore of"))).toBe(false);
    expect(await orderIds()).toEqual([1, 3, 5, 7, 9, 10]);

    const open = await db().rollbackRun.findUniqueOrThrow({ where: { id: run.id }, include: { steps: true } });
    expect(runAttention(open.status, open.steps)).toMatchObject({ kind: "needs-operator", step: { id: steps[4].id } });
    expect((await abortRun(operator, { runId: run.id, reason: "restoring by hand with the DBA" })).status).toBe("FAILED");
  });
});
