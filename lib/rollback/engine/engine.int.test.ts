// The rollback engine against a real database, real processes and a real HTTP server: exactly-once
// queueing under concurrency, the approval gate, crash safety across processes, timeouts, and the
// operator's paths (mark done, skip, abort).
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@/generated/prisma/client";
import type { Actor } from "@/lib/audit/log";
import { getDb } from "@/lib/db";
import { ConflictError, ForbiddenError } from "@/lib/errors";
import { type Plan, parsePlan, planHash } from "@/lib/rollback/plans";
import { makeService, makeUser } from "@/lib/testing/factories";
import { abortRun, markStepDone, requestStep, retryStep, StepRefusedError, skipStep, startRun } from "./runs";
import { recoverInterrupted, StepWorker } from "./worker";

const db = () => getDb();
let tmp: string;
const workers: StepWorker[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "backout-engine-"));
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function startWorker(): Promise<StepWorker> {
  const w = new StepWorker({ pollMs: 100, heartbeatMs: 300, workDir: tmp });
  workers.push(w);
  await w.start();
  return w;
}

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const node = (script: string, extra: Record<string, unknown> = {}) => ({ argv: [process.execPath, "-e", script], ...extra });

/** An approved CUSTOM decision on a fresh incident, with the given plan. */
async function approvedDecision(rawPlan: unknown[]) {
  const plan: Plan = parsePlan(rawPlan);
  const service = await makeService();
  const proposer = await makeUser("RESPONDER");
  const rm = await makeUser("RELEASE_MANAGER");
  const operator = await makeUser("RESPONDER");
  const now = Date.now();
  const incident = await db().incident.create({
    data: {
      title: `Engine test ${randomUUID().slice(0, 6)}`,
      serviceId: service.id,
      badVersion: "v2",
      previousVersion: "v1",
      severity: "SEV2",
      status: "APPROVED",
      deployedAt: new Date(now - 30 * 60_000),
      detectedAt: new Date(now - 20 * 60_000),
    },
  });
  const evidence = await db().evidenceSnapshot.create({
    data: {
      incidentId: incident.id,
      baselineFrom: new Date(now - 3 * 3600_000),
      baselineTo: new Date(now - 3600_000),
      currentFrom: new Date(now - 300_000),
      currentTo: new Date(now),
      metrics: { assessments: [] },
      criteria: {},
      probes: [],
      impact: {},
    },
  });
  const hash = planHash(plan);
  const decision = await db().decision.create({
    data: {
      incidentId: incident.id,
      tier: "FAST",
      recommendedTier: "FAST",
      strategy: "CUSTOM",
      reason: "engine test",
      decidedById: proposer.id,
      evidenceId: evidence.id,
      plan: plan as unknown as Prisma.InputJsonValue,
      planHash: hash,
      status: "APPROVED",
    },
  });
  await db().approval.create({ data: { decisionId: decision.id, approverId: rm.id, verdict: "APPROVED", planHash: hash } });
  const { run } = await startRun(operator, { decisionId: decision.id, planHash: hash });
  return { incident, decision, hash, run, steps: run.steps, operator, rm };
}

const stepOf = (id: string) => db().rollbackStep.findUniqueOrThrow({ where: { id } });
const stepIn = (id: string, ...states: string[]) =>
  waitFor(`step in ${states.join("/")}`, async () => {
    const s = await stepOf(id);
    return states.includes(s.state) ? s : null;
  });
const lines = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : []);

describe("starting a run", () => {
  it("creates the steps, moves the incident to ROLLING_BACK, and a second start returns the same run", async () => {
    const { run, decision, hash, incident, operator } = await approvedDecision([
      { key: "a", name: "A", executor: "WAIT", config: { seconds: 1 } },
      { key: "b", name: "B", executor: "WAIT", config: { seconds: 1 } },
    ]);
    expect(run.steps.map((s) => [s.position, s.state])).toEqual([
      [0, "NOT_STARTED"],
      [1, "NOT_STARTED"],
    ]);
    expect((await db().incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe("ROLLING_BACK");
    const again = await Promise.all([1, 2, 3].map(() => startRun(operator, { decisionId: decision.id, planHash: hash })));
    expect(again.every((r) => !r.created && r.run.id === run.id)).toBe(true);
    expect(await db().rollbackRun.count({ where: { decisionId: decision.id } })).toBe(1);
    expect(await db().timelineEvent.count({ where: { incidentId: incident.id, kind: "RUN_STARTED" } })).toBe(1);
    expect(await db().auditLog.count({ where: { incidentId: incident.id, action: "rollback.run_start", outcome: "ALLOWED" } })).toBe(1);
  });
});

describe("requesting a step", () => {
  it("ten concurrent requests queue exactly one execution, audited once, and the step runs once", async () => {
    const file = path.join(tmp, `once-${randomUUID()}.txt`);
    const { steps, operator, incident } = await approvedDecision([
      {
        key: "append",
        name: "Append a line",
        executor: "COMMAND",
        config: node(`require("fs").appendFileSync(${JSON.stringify(file)}, "ran\\n")`),
      },
      { key: "pause", name: "Pause", executor: "WAIT", config: { seconds: 1 } },
    ]);
    await startWorker();
    await startWorker(); // two workers compete for the same queue
    const step = steps[0];
    const results = await Promise.all(
      Array.from({ length: 10 }, () => requestStep(operator, { stepId: step.id, idempotencyKey: randomUUID() })),
    );
    expect(results.filter((r) => r.outcome === "queued")).toHaveLength(1);
    expect(results.filter((r) => r.outcome === "already")).toHaveLength(9);
    const done = await stepIn(step.id, "SUCCEEDED", "FAILED");
    expect(done.state).toBe("SUCCEEDED");
    expect(done.attempts).toBe(1);
    // Once done, another request (same or new key) is still "already", not a second run.
    expect((await requestStep(operator, { stepId: step.id, idempotencyKey: randomUUID() })).outcome).toBe("already");
    expect(await db().stepExecution.count({ where: { stepId: step.id } })).toBe(1);
    expect(await db().auditLog.count({ where: { entityId: step.id, action: "rollback.step_request", outcome: "ALLOWED" } })).toBe(1);
    expect(lines(file)).toEqual(["ran"]);
    expect(await db().timelineEvent.count({ where: { incidentId: incident.id, kind: "STEP_STARTED" } })).toBe(1);
    expect(await db().timelineEvent.count({ where: { incidentId: incident.id, kind: "STEP_SUCCEEDED" } })).toBe(1);
    expect(await db().stepLogLine.count({ where: { stepId: step.id } })).toBeGreaterThan(0);
    expect((await db().rollbackRun.findUniqueOrThrow({ where: { id: step.runId } })).status).toBe("RUNNING");
  });

  it("refuses a step out of order, a changed plan, and a viewer (each audited DENIED)", async () => {
    const { steps, operator, decision } = await approvedDecision([
      { key: "one", name: "One", executor: "WAIT", config: { seconds: 1 } },
      { key: "two", name: "Two", executor: "WAIT", config: { seconds: 1 } },
    ]);
    await expect(requestStep(operator, { stepId: steps[1].id, idempotencyKey: randomUUID() })).rejects.toThrow(/must succeed/);
    await expect(requestStep(operator, { stepId: steps[1].id, idempotencyKey: randomUUID() })).rejects.toBeInstanceOf(StepRefusedError);

    const viewer = await makeUser("VIEWER");
    await expect(requestStep(viewer, { stepId: steps[0].id, idempotencyKey: randomUUID() })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await db().auditLog.count({ where: { actorId: viewer.id, action: "rollback.step_request", outcome: "DENIED" } })).toBe(1);

    // The plan changes after approval: the approval no longer covers it.
    const changed = parsePlan([{ key: "one", name: "One, changed", executor: "WAIT", config: { seconds: 2 } }]);
    await db().decision.update({
      where: { id: decision.id },
      data: { plan: changed as unknown as Prisma.InputJsonValue, planHash: planHash(changed) },
    });
    await expect(requestStep(operator, { stepId: steps[0].id, idempotencyKey: randomUUID() })).rejects.toThrow(/not approved as it stands/);
    await expect(startRun(operator, { decisionId: decision.id, planHash: decision.planHash })).rejects.toBeInstanceOf(ConflictError);
    expect(await db().stepExecution.count({ where: { step: { runId: steps[0].runId } } })).toBe(0);
    expect(await db().auditLog.count({ where: { actorId: operator.id, action: "rollback.step_request", outcome: "DENIED" } })).toBe(3);
  });
});

describe("crash safety", () => {
  it("a step whose worker process dies is INTERRUPTED, never re-run by itself, and runs again only on retry", async () => {
    const file = path.join(tmp, `crash-${randomUUID()}.txt`);
    const marker = path.join(tmp, `slow-${randomUUID()}`);
    writeFileSync(marker, "");
    const script = `const fs = require("fs"); fs.appendFileSync(${JSON.stringify(file)}, "ran\\n"); console.log("pid " + process.pid);
      if (fs.existsSync(${JSON.stringify(marker)})) setTimeout(() => {}, 30000);`;
    const { steps, operator, incident } = await approvedDecision([
      { key: "slow", name: "Slow step", executor: "COMMAND", config: node(script, { timeoutMs: 120_000 }) },
    ]);
    const step = steps[0];

    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "lib/rollback/engine/test-worker.ts"], {
      cwd: path.resolve(import.meta.dirname, "../../.."),
      env: { ...process.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let childOut = "";
    child.stdout?.on("data", (d) => {
      childOut += String(d);
    });
    child.stderr?.on("data", (d) => {
      childOut += String(d);
    });
    await waitFor("the child worker", async () => childOut.includes("ready "), 30_000).catch((e) => {
      throw new Error(`${e.message}: ${childOut}`);
    });

    expect((await requestStep(operator, { stepId: step.id, idempotencyKey: randomUUID() })).outcome).toBe("queued");
    const pidLine = await waitFor("the command's pid line", () =>
      db().stepLogLine.findFirst({ where: { stepId: step.id, line: { startsWith: "pid " } } }),
    );
    const execution = await db().stepExecution.findFirstOrThrow({ where: { stepId: step.id } });
    expect(execution.state).toBe("RUNNING");
    expect(execution.workerId).toMatch(new RegExp(`:${child.pid}:`));

    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    // The orphaned command (its own process group) is not our concern here; stop it.
    try {
      process.kill(-Number(pidLine.line.slice(4)), "SIGKILL");
    } catch {
      process.kill(Number(pidLine.line.slice(4)), "SIGKILL");
    }
    await rm(marker);

    // A new worker recovers at start: the heartbeat is fresh, but the process is gone.
    await startWorker();
    const interrupted = await stepIn(step.id, "INTERRUPTED");
    expect(interrupted.attempts).toBe(1);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await stepOf(step.id)).state).toBe("INTERRUPTED");
    expect(await db().stepExecution.count({ where: { stepId: step.id } })).toBe(1);
    expect((await db().stepExecution.findFirstOrThrow({ where: { stepId: step.id } })).state).toBe("INTERRUPTED");
    expect(lines(file)).toEqual(["ran"]);
    expect(await db().timelineEvent.count({ where: { incidentId: incident.id, kind: "STEP_INTERRUPTED" } })).toBe(1);
    expect(await db().auditLog.count({ where: { entityId: step.id, action: "rollback.step_interrupted" } })).toBe(1);
    // A plain request does not re-run it either.
    await expect(requestStep(operator, { stepId: step.id, idempotencyKey: randomUUID() })).rejects.toThrow(/retry it/);

    const retried = await retryStep(operator, { stepId: step.id, note: "checked: the command is safe to repeat" });
    expect(retried).toMatchObject({ outcome: "queued", attempt: 2 });
    const done = await stepIn(step.id, "SUCCEEDED", "FAILED");
    expect(done.state).toBe("SUCCEEDED");
    expect(done.attempts).toBe(2);
    expect(lines(file)).toEqual(["ran", "ran"]);
    expect(await db().stepExecution.count({ where: { stepId: step.id } })).toBe(2);
    expect(await db().auditLog.count({ where: { entityId: step.id, action: "rollback.step_retry", outcome: "ALLOWED" } })).toBe(1);
    const run = await db().rollbackRun.findUniqueOrThrow({ where: { id: step.runId } });
    expect(run.status).toBe("SUCCEEDED");
    expect((await db().incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe("VERIFYING");
    expect(await db().timelineEvent.count({ where: { incidentId: incident.id, kind: "RUN_ENDED" } })).toBe(1);
  });
});

describe("failures", () => {
  it("a command past its timeout FAILS with its output kept; an HTTP 503 FAILS with status and body", async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(503, { "content-type": "text/plain" });
      res.end("down for maintenance");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/switch`;
    try {
      const { steps, operator, incident } = await approvedDecision([
        {
          key: "too-slow",
          name: "Too slow",
          executor: "COMMAND",
          config: node(`console.log("first line"); console.error("second line"); setTimeout(() => {}, 30000)`, { timeoutMs: 1000 }),
        },
        { key: "switch", name: "Switch traffic", executor: "HTTP", config: { method: "POST", url } },
      ]);
      await startWorker();
      await requestStep(operator, { stepId: steps[0].id, idempotencyKey: randomUUID() });
      const slow = await stepIn(steps[0].id, "FAILED", "SUCCEEDED");
      expect(slow.state).toBe("FAILED");
      expect(slow.error).toMatch(/timed out after 1000 ms/);
      const logged = (await db().stepLogLine.findMany({ where: { stepId: steps[0].id }, orderBy: { id: "asc" } })).map((l) => l.line);
      expect(logged).toEqual(expect.arrayContaining(["first line", "second line"]));
      expect((await db().stepExecution.findFirstOrThrow({ where: { stepId: steps[0].id } })).state).toBe("FAILED");

      await skipStep(operator, { stepId: steps[0].id, note: "the service restarts on its own" });
      await requestStep(operator, { stepId: steps[1].id, idempotencyKey: randomUUID() });
      const call = await stepIn(steps[1].id, "FAILED", "SUCCEEDED");
      expect(call.state).toBe("FAILED");
      expect(call.output).toMatchObject({ status: 503, body: "down for maintenance" });
      expect((await db().stepExecution.findFirstOrThrow({ where: { stepId: steps[1].id } })).httpStatus).toBe(503);
      expect(await db().timelineEvent.count({ where: { incidentId: incident.id, kind: "STEP_FAILED" } })).toBe(2);
      expect(await db().auditLog.count({ where: { incidentId: incident.id, action: "rollback.step_complete", outcome: "FAILED" } })).toBe(
        2,
      );
      expect((await db().rollbackRun.findUniqueOrThrow({ where: { id: steps[0].runId } })).status).toBe("RUNNING");
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it("a step that is not configured FAILS with the executor's message", async () => {
    const { steps, operator } = await approvedDecision([{ key: "call", name: "Call", executor: "HTTP", config: {} }]);
    await startWorker();
    await requestStep(operator, { stepId: steps[0].id, idempotencyKey: randomUUID() });
    const s = await stepIn(steps[0].id, "FAILED", "SUCCEEDED");
    expect(s.state).toBe("FAILED");
    expect(s.error).toMatch(/http step needs config\.url/);
  });
});

describe("operator paths", () => {
  /** A RUNNING execution whose worker went silent (as after a crash on another host). */
  async function silentlyRunning(stepId: string, actor: Actor) {
    await requestStep(actor, { stepId, idempotencyKey: randomUUID() });
    const past = new Date(Date.now() - 60_000);
    await db().stepExecution.updateMany({
      where: { stepId },
      data: { state: "RUNNING", workerId: "another-host:1234:abcd", heartbeatAt: past, startedAt: past },
    });
    await db().rollbackStep.update({ where: { id: stepId }, data: { state: "RUNNING", startedAt: past } });
  }

  it("marks an interrupted step done by hand, skips the next, and the run ends SUCCEEDED", async () => {
    const { steps, operator, incident } = await approvedDecision([
      { key: "one", name: "One", executor: "WAIT", config: { seconds: 1 } },
      { key: "two", name: "Two", executor: "WAIT", config: { seconds: 1 } },
    ]);
    await silentlyRunning(steps[0].id, operator);
    expect(await recoverInterrupted({ staleAfterMs: 30_000 })).toHaveLength(1);
    expect((await stepOf(steps[0].id)).state).toBe("INTERRUPTED");

    await expect(markStepDone(operator, { stepId: steps[1].id, note: "done" })).rejects.toBeInstanceOf(StepRefusedError);
    await expect(markStepDone(operator, { stepId: steps[0].id, note: "  " })).rejects.toThrow(/note is required/);
    const marked = await markStepDone(operator, { stepId: steps[0].id, note: "verified on the load balancer by hand" });
    expect(marked).toMatchObject({ state: "SUCCEEDED", resultNote: "verified on the load balancer by hand", attempts: 1 });
    expect(await db().stepExecution.count({ where: { stepId: steps[0].id } })).toBe(1);

    await skipStep(operator, { stepId: steps[1].id, note: "not needed for this service" });
    expect((await stepOf(steps[1].id)).state).toBe("SKIPPED");
    expect((await db().rollbackRun.findUniqueOrThrow({ where: { id: steps[0].runId } })).status).toBe("SUCCEEDED");
    expect((await db().incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe("VERIFYING");
    const kinds = (await db().timelineEvent.findMany({ where: { incidentId: incident.id }, orderBy: { at: "asc" } })).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(["STEP_INTERRUPTED", "STEP_MARKED_DONE", "STEP_SKIPPED", "RUN_ENDED"]));
    for (const action of ["rollback.step_mark_done", "rollback.step_skip"]) {
      expect(await db().auditLog.count({ where: { incidentId: incident.id, action, outcome: "ALLOWED" } })).toBe(1);
    }
  });

  it("aborting cancels what has not started and stops the running step", async () => {
    const { steps, operator, incident } = await approvedDecision([
      { key: "long-wait", name: "Long wait", executor: "WAIT", config: { seconds: 60 } },
      { key: "after", name: "After", executor: "WAIT", config: { seconds: 1 } },
    ]);
    await startWorker();
    await requestStep(operator, { stepId: steps[0].id, idempotencyKey: randomUUID() });
    await stepIn(steps[0].id, "RUNNING");
    const started = Date.now();
    const aborted = await abortRun(operator, { runId: steps[0].runId, reason: "the deploy system is down; manual rollback instead" });
    expect(aborted.status).toBe("ABORTED");
    expect((await stepOf(steps[1].id)).state).toBe("CANCELED");
    const stopped = await stepIn(steps[0].id, "CANCELED", "FAILED", "SUCCEEDED");
    expect(stopped.state).toBe("CANCELED");
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(requestStep(operator, { stepId: steps[1].id, idempotencyKey: randomUUID() })).rejects.toBeInstanceOf(StepRefusedError);
    await expect(abortRun(operator, { runId: steps[0].runId, reason: "again" })).rejects.toThrow(/already ended/);
    expect(await db().timelineEvent.count({ where: { incidentId: incident.id, kind: "RUN_ABORTED" } })).toBe(1);
    expect(await db().auditLog.count({ where: { incidentId: incident.id, action: "rollback.run_abort", outcome: "ALLOWED" } })).toBe(1);
  });
});
