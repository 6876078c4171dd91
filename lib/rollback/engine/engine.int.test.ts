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
import type { RunStatus, StepState } from "@/generated/prisma/enums";
import type { Actor } from "@/lib/audit/log";
import { getDb } from "@/lib/db";
import { createPrismaClient } from "@/lib/db-client";
import { approveDecision, proposeDecision } from "@/lib/decision/mutations";
import { ConflictError, ForbiddenError } from "@/lib/errors";
import { planHash } from "@/lib/rollback/plan-hash";
import { parsePlan } from "@/lib/rollback/plans";
import { runAttention } from "@/lib/rollback/run-status";
import { makeUser } from "@/lib/testing/factories";
import { runDueJobs } from "@/lib/testing/jobs";
import { isAlive } from "@/lib/testing/processes";
import { approvedDecision, proposedDecision } from "@/lib/testing/rollback";
import { startRelay } from "@/lib/testing/tcp-relay";
import { readJournal, writeJournal } from "./journal";
import {
  abortRun,
  markStepDone,
  markStepDoneChange,
  requestStep,
  requestStepChange,
  retryStep,
  retryStepChange,
  runUntilDestructive,
  StepRefusedError,
  skipStep,
  startRun,
  startRunChange,
  stopRunUntil,
  stopStep,
  stopStepChange,
} from "./runs";
import { type RunEvent, runTransition, type StepEvent, stepTransition } from "./state-machine";
import { gapLine, MAX_PENDING_LINES, StepLogBuffer } from "./step-log";
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

  /** Runs the change and checks the refusal: its code, nothing changed, exactly one DENIED row filed under the incident. */
  async function refusedStart(actor: Actor, input: { decisionId: string; planHash: string }, incidentId: string) {
    const counts = () =>
      Promise.all([
        db().rollbackRun.count({ where: { incidentId } }),
        db().timelineEvent.count({ where: { incidentId } }),
        db().incident.findUniqueOrThrow({ where: { id: incidentId }, select: { status: true, version: true } }),
      ]);
    const before = await counts();
    const denied = { actorId: actor.id, action: "rollback.run_start", outcome: "DENIED" as const };
    const deniedBefore = await db().auditLog.count({ where: denied });
    const outcome = await startRunChange.run(actor, input);
    expect(await counts()).toEqual(before);
    expect(await db().auditLog.count({ where: denied })).toBe(deniedBefore + 1);
    const row = await db().auditLog.findFirstOrThrow({ where: denied, orderBy: { id: "desc" } });
    expect(row).toMatchObject({ entityType: "Decision", entityId: input.decisionId, incidentId });
    expect(await db().auditLog.count({ where: { incidentId, action: "rollback.run_start", outcome: "ALLOWED" } })).toBe(0);
    return { outcome, row };
  }

  it("refuses a decision that is not approved, audited DENIED once, starting nothing", async () => {
    const { decision, hash, incident, operator, rm } = await proposedDecision([
      { key: "a", name: "A", executor: "WAIT", config: { seconds: 1 } },
    ]);
    const { outcome, row } = await refusedStart(operator, { decisionId: decision.id, planHash: hash }, incident.id);
    expect(outcome).toMatchObject({ ok: false, code: "conflict", message: expect.stringMatching(/not approved as it stands/) });
    expect(row.details).toMatchObject({ code: "conflict" });

    // Approved, it starts.
    await db().approval.create({ data: { decisionId: decision.id, approverId: rm.id, verdict: "APPROVED", planHash: hash } });
    await db().decision.update({ where: { id: decision.id }, data: { status: "APPROVED" } });
    expect(await startRunChange.run(operator, { decisionId: decision.id, planHash: hash })).toMatchObject({
      ok: true,
      value: { created: true },
    });
  });

  it("refuses a plan that changed since the page showed it (stale, with the current hash), audited DENIED once", async () => {
    const { decision, hash, incident, operator } = await proposedDecision([
      { key: "a", name: "A", executor: "WAIT", config: { seconds: 1 } },
    ]);
    const shown = planHash(parsePlan([{ key: "a", name: "A", executor: "WAIT", config: { seconds: 2 } }]));
    const { outcome, row } = await refusedStart(operator, { decisionId: decision.id, planHash: shown }, incident.id);
    expect(outcome).toMatchObject({ ok: false, code: "stale", current: { planHash: hash } });
    expect(row.details).toMatchObject({ code: "stale" });
  });

  it("refuses a decision that does not exist, audited DENIED", async () => {
    const operator = await makeUser("RESPONDER");
    const decisionId = `missing-${randomUUID()}`;
    const outcome = await startRunChange.run(operator, { decisionId, planHash: "0".repeat(64) });
    expect(outcome).toMatchObject({ ok: false, code: "not_found" });
    expect(await db().auditLog.count({ where: { actorId: operator.id, entityId: decisionId, outcome: "DENIED" } })).toBe(1);
  });
});

describe("the typed confirmation of a destructive step", () => {
  it("refuses to run or retry it without the service name (one DENIED row each, nothing queued), and runs it with it", async () => {
    const { steps, operator, incident, service } = await approvedDecision([
      { key: "wipe", name: "Wipe the cache", executor: "COMMAND", destructive: true, config: node("process.exit(3)") },
    ]);
    const step = steps[0];
    const deniedRows = (action: string) => db().auditLog.count({ where: { entityId: step.id, action, outcome: "DENIED" } });
    const refusedWithout = async (change: typeof requestStepChange, action: string, confirmation?: string) => {
      const before = await stepOf(step.id);
      const executions = await db().stepExecution.count({ where: { stepId: step.id } });
      const denied = await deniedRows(action);
      const outcome = await change.run(operator, { stepId: step.id, idempotencyKey: randomUUID(), note: "again", confirmation });
      expect(outcome).toMatchObject({
        ok: false,
        code: "confirmation",
        field: "confirmation",
        message: `This step is destructive: type the service name (${service.name}) to run it.`,
      });
      expect(await stepOf(step.id)).toEqual(before);
      expect(await db().stepExecution.count({ where: { stepId: step.id } })).toBe(executions);
      expect(await deniedRows(action)).toBe(denied + 1);
      const row = await db().auditLog.findFirstOrThrow({
        where: { entityId: step.id, action, outcome: "DENIED" },
        orderBy: { id: "desc" },
      });
      expect(row).toMatchObject({ incidentId: incident.id, details: { code: "confirmation", field: "confirmation" } });
    };

    await refusedWithout(requestStepChange, "rollback.step_request");
    await refusedWithout(requestStepChange, "rollback.step_request", `${service.name}-typo`);
    await startWorker();
    const queued = await requestStepChange.run(operator, {
      stepId: step.id,
      idempotencyKey: randomUUID(),
      confirmation: ` ${service.name} `,
    });
    expect(queued).toMatchObject({ ok: true, value: { outcome: "queued", attempt: 1 } });
    expect((await stepIn(step.id, "FAILED", "SUCCEEDED")).state).toBe("FAILED");

    // Its retry asks again.
    await refusedWithout(retryStepChange, "rollback.step_retry");
    const retried = await retryStepChange.run(operator, {
      stepId: step.id,
      idempotencyKey: randomUUID(),
      note: "the cache host is back",
      confirmation: service.name,
    });
    expect(retried).toMatchObject({ ok: true, value: { outcome: "queued", attempt: 2 } });
    await stepIn(step.id, "FAILED", "SUCCEEDED");
    expect(await db().stepExecution.count({ where: { stepId: step.id } })).toBe(2);
    expect(await db().auditLog.count({ where: { entityId: step.id, action: "rollback.step_request", outcome: "ALLOWED" } })).toBe(1);
    expect(await db().auditLog.count({ where: { entityId: step.id, action: "rollback.step_retry", outcome: "ALLOWED" } })).toBe(1);
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
    // Started from a page that showed the old plan: stale. Started with the current plan: not approved.
    await expect(startRun(operator, { decisionId: decision.id, planHash: decision.planHash })).rejects.toMatchObject({ code: "stale" });
    await expect(startRun(operator, { decisionId: decision.id, planHash: planHash(changed) })).rejects.toBeInstanceOf(ConflictError);
    expect(await db().stepExecution.count({ where: { step: { runId: steps[0].runId } } })).toBe(0);
    expect(await db().auditLog.count({ where: { actorId: operator.id, action: "rollback.step_request", outcome: "DENIED" } })).toBe(3);
  });
});

describe("crash safety", () => {
  it("a step whose worker process dies is INTERRUPTED, never re-run by itself, and runs again only on retry", async () => {
    const file = path.join(tmp, `crash-${randomUUID()}.txt`);
    const marker = path.join(tmp, `slow-${randomUUID()}`);
    writeFileSync(marker, "");
    // Quiet while it runs (nothing it writes would notice the worker is gone), then "done".
    const script = `const fs = require("fs"); fs.appendFileSync(${JSON.stringify(file)}, "ran\\n"); console.log("pid " + process.pid);
      if (fs.existsSync(${JSON.stringify(marker)})) setTimeout(() => fs.appendFileSync(${JSON.stringify(file)}, "done\\n"), 4000);`;
    const { steps, operator, incident } = await approvedDecision([
      { key: "slow", name: "Slow step", executor: "COMMAND", config: node(script, { timeoutMs: 120_000 }) },
      { key: "after", name: "After", executor: "WAIT", config: { seconds: 1 } },
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

    // Started by "run until the next destructive step": the crash must stop that too.
    const started = await runUntilDestructive(operator, {
      runId: step.runId,
      idempotencyKey: randomUUID(),
      stepIds: [step.id, steps[1].id],
    });
    expect(started.outcome).toBe("started");
    const pidLine = await waitFor("the command's pid line", () =>
      db().stepLogLine.findFirst({ where: { stepId: step.id, line: { startsWith: "pid " } } }),
    );
    // The process was recorded as it started: its pid, its group and the host, beside the worker.
    const execution = await waitFor("the process record", () =>
      db().stepExecution.findFirst({ where: { stepId: step.id, pid: { not: null } } }),
    );
    expect(execution.state).toBe("RUNNING");
    expect(execution.workerId).toMatch(new RegExp(`:${child.pid}:`));
    expect(execution).toMatchObject({ pid: Number(pidLine.line.slice(4)), host: os.hostname() });
    expect(execution.pgid).not.toBe(execution.pid);
    expect(isAlive(execution.pid!)).toBe(true);

    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    // Nobody stops the command here: its group dies with its worker, before it can write "done".
    expect(
      await waitFor("the command to die with its worker", async () => !isAlive(execution.pid!) && !isAlive(execution.pgid!), 5000),
    ).toBe(true);
    await rm(marker);

    // A new worker recovers at start: the heartbeat is fresh, but the process is gone.
    await startWorker();
    const interrupted = await stepIn(step.id, "INTERRUPTED");
    expect(interrupted.attempts).toBe(1);
    expect(interrupted.error).toContain(`its process (pid ${execution.pid}) had already ended`);
    expect(await db().stepExecution.findFirstOrThrow({ where: { stepId: step.id } })).toMatchObject({
      processEndedAt: expect.any(Date),
    });
    await new Promise((r) => setTimeout(r, 4000));
    expect((await stepOf(step.id)).state).toBe("INTERRUPTED");
    expect(await db().stepExecution.count({ where: { stepId: step.id } })).toBe(1);
    expect((await db().stepExecution.findFirstOrThrow({ where: { stepId: step.id } })).state).toBe("INTERRUPTED");
    expect(lines(file)).toEqual(["ran"]);
    expect(await db().timelineEvent.count({ where: { incidentId: incident.id, kind: "STEP_INTERRUPTED" } })).toBe(1);
    expect(await db().auditLog.count({ where: { entityId: step.id, action: "rollback.step_interrupted" } })).toBe(1);
    // A plain request does not re-run it either, and the run-until did not move on to the next step.
    await expect(requestStep(operator, { stepId: step.id, idempotencyKey: randomUUID() })).rejects.toThrow(/retry it/);
    expect((await stepOf(steps[1].id)).state).toBe("NOT_STARTED");
    expect(await db().stepExecution.count({ where: { stepId: steps[1].id } })).toBe(0);
    expect((await db().rollbackRun.findUniqueOrThrow({ where: { id: step.runId } })).autoRunUntil).toBeNull();
    expect(await db().timelineEvent.count({ where: { incidentId: incident.id, kind: "AUTO_RUN_STOPPED" } })).toBe(1);

    const retried = await retryStep(operator, {
      stepId: step.id,
      idempotencyKey: randomUUID(),
      note: "checked: the command is safe to repeat",
    });
    expect(retried).toMatchObject({ outcome: "queued", attempt: 2 });
    const done = await stepIn(step.id, "SUCCEEDED", "FAILED");
    expect(done.state).toBe("SUCCEEDED");
    expect(done.attempts).toBe(2);
    expect(lines(file)).toEqual(["ran", "ran"]);
    expect(await db().stepExecution.count({ where: { stepId: step.id } })).toBe(2);
    expect(await db().auditLog.count({ where: { entityId: step.id, action: "rollback.step_retry", outcome: "ALLOWED" } })).toBe(1);
    // A retry is one step: the interrupted run-until does not resume by itself.
    await new Promise((r) => setTimeout(r, 500));
    expect((await stepOf(steps[1].id)).state).toBe("NOT_STARTED");
    await requestStep(operator, { stepId: steps[1].id, idempotencyKey: randomUUID() });
    await stepIn(steps[1].id, "SUCCEEDED");
    const run = await waitFor("the run to end", async () => {
      const r = await db().rollbackRun.findUniqueOrThrow({ where: { id: step.runId } });
      return r.status !== "RUNNING" ? r : null;
    });
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
          // A background grandchild in the same process group must die with it.
          config: {
            argv: ["bash", "-c", 'echo "first line"; echo "second line" >&2; sleep 60 & echo "grandchild $!"; sleep 60'],
            timeoutMs: 1000,
          },
        },
        { key: "switch", name: "Switch traffic", executor: "HTTP", config: { method: "POST", url } },
      ]);
      await startWorker();
      await requestStep(operator, { stepId: steps[0].id, idempotencyKey: randomUUID() });
      const slow = await stepIn(steps[0].id, "FAILED", "SUCCEEDED");
      expect(slow.state).toBe("FAILED");
      expect(slow.error).toMatch(/timed out after 1000 ms/);
      const logged = (await db().stepLogLine.findMany({ where: { stepId: steps[0].id }, orderBy: { id: "asc" } })).map((l) => l.line);
      expect(logged).toEqual(expect.arrayContaining(["first line", "second line", expect.stringMatching(/^stopped the process group/)]));
      const grandchild = Number(logged.find((l) => l.startsWith("grandchild "))?.split(" ")[1]);
      const child = (slow.output as { pid: number }).pid;
      expect(grandchild).toBeGreaterThan(0);
      expect(await waitFor("the process group to be gone", async () => !isAlive(grandchild) && !isAlive(child), 5000)).toBe(true);
      expect(slow.output).toMatchObject({ timedOut: true, lastLines: expect.arrayContaining(["first line", "[stderr] second line"]) });
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
      // A failed step keeps the run open, waiting for an operator.
      const run = await db().rollbackRun.findUniqueOrThrow({ where: { id: steps[0].runId }, include: { steps: true } });
      expect(run.status).toBe("RUNNING");
      expect(runAttention(run.status, run.steps)).toMatchObject({ kind: "needs-operator", step: { id: steps[1].id } });
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

  /** An execution left RUNNING by a worker that is gone, as recovery finds it. */
  async function leftRunning(stepId: string, actor: Actor, data: Prisma.StepExecutionUpdateManyMutationInput) {
    await requestStep(actor, { stepId, idempotencyKey: randomUUID() });
    const past = new Date(Date.now() - 60_000);
    await db().stepExecution.updateMany({ where: { stepId }, data: { state: "RUNNING", heartbeatAt: past, startedAt: past, ...data } });
    await db().rollbackStep.update({ where: { id: stepId }, data: { state: "RUNNING", startedAt: past } });
    return db().stepExecution.findFirstOrThrow({ where: { stepId } });
  }

  /** A worker id of this host whose process has exited. */
  async function deadLocalWorkerId(): Promise<string> {
    const gone = spawn("true");
    await new Promise((r) => gone.once("exit", r));
    return `${os.hostname()}:${gone.pid}:dead`;
  }

  it("on this host, recovery ends a process group that outlived its worker before the step says INTERRUPTED", async () => {
    const { steps, operator } = await approvedDecision([{ key: "one", name: "One", executor: "WAIT", config: { seconds: 1 } }]);
    // A group as the supervisor makes one (leader tagged with the execution id), whose worker is gone.
    await requestStep(operator, { stepId: steps[0].id, idempotencyKey: randomUUID() });
    const queued = await db().stepExecution.findFirstOrThrow({ where: { stepId: steps[0].id } });
    const group = spawn(
      process.execPath,
      ["-e", "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)", "backout-step-supervisor", queued.id],
      {
        detached: true,
        stdio: "ignore",
      },
    );
    children.push(group);
    await new Promise((r) => setTimeout(r, 300));
    const past = new Date(Date.now() - 60_000);
    await db().stepExecution.update({
      where: { id: queued.id },
      data: {
        state: "RUNNING",
        heartbeatAt: past,
        startedAt: past,
        workerId: await deadLocalWorkerId(),
        host: os.hostname(),
        pid: group.pid!,
        pgid: group.pid!,
      },
    });
    await db().rollbackStep.update({ where: { id: steps[0].id }, data: { state: "RUNNING", startedAt: past } });

    const started = performance.now();
    expect(await recoverInterrupted({ staleAfterMs: 30_000 })).toEqual([queued.id]);
    // It ignored SIGTERM: SIGKILL after the grace period, and only then the step was marked.
    expect(performance.now() - started).toBeGreaterThan(1900);
    expect(isAlive(group.pid!)).toBe(false);
    const step = await stepOf(steps[0].id);
    expect(step.state).toBe("INTERRUPTED");
    expect(step.error).toContain(`its process group ${group.pid} (pid ${group.pid}) was still running and was ended`);
    // Ended here: a retry needs no further word from the operator.
    await expect(retryStep(operator, { stepId: steps[0].id, idempotencyKey: randomUUID() })).resolves.toMatchObject({ outcome: "queued" });
  });

  it("a step that finished just before its server died is INTERRUPTED with how it ended, from the local journal", async () => {
    const { steps, operator } = await approvedDecision([{ key: "one", name: "One", executor: "WAIT", config: { seconds: 1 } }]);
    const e = await leftRunning(steps[0].id, operator, { workerId: await deadLocalWorkerId(), host: os.hostname() });
    const journal = path.join(tmp, `journal-${randomUUID()}`);
    await writeJournal(journal, e.id, {
      ok: true,
      summary: "bash exited with code 0",
      exitCode: 0,
      finishedAt: "2026-12-04T10:00:00.000Z",
    });
    expect(await recoverInterrupted({ staleAfterMs: 30_000, journalDir: journal })).toEqual([e.id]);
    expect((await stepOf(steps[0].id)).error).toMatch(
      /is no longer running; it had finished with exit code 0 at 2026-12-04T10:00:00.000Z but its result was not recorded$/,
    );
    // Read once: the journal entry is gone with the interruption it explained.
    expect(await readJournal(journal, e.id)).toBeNull();
  });

  it("leaves alone a group whose leader is not the step's supervisor (a reused pid)", async () => {
    const { steps, operator } = await approvedDecision([{ key: "one", name: "One", executor: "WAIT", config: { seconds: 1 } }]);
    const stranger = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)", "backout-step-supervisor", "another-execution"], {
      detached: true,
      stdio: "ignore",
    });
    children.push(stranger);
    await new Promise((r) => setTimeout(r, 300));
    await leftRunning(steps[0].id, operator, {
      workerId: await deadLocalWorkerId(),
      host: os.hostname(),
      pid: stranger.pid!,
      pgid: stranger.pid!,
    });
    expect(await recoverInterrupted({ staleAfterMs: 30_000 })).toHaveLength(1);
    expect(isAlive(stranger.pid!)).toBe(true);
    expect((await stepOf(steps[0].id)).error).toContain(`its process (pid ${stranger.pid}) had already ended`);
  });

  it("on another host, the step says where its process may still run, and a retry needs the operator's word", async () => {
    const { steps, operator } = await approvedDecision([{ key: "one", name: "One", executor: "WAIT", config: { seconds: 1 } }]);
    const e = await leftRunning(steps[0].id, operator, { workerId: "db-host-2:4242:abcd", host: "db-host-2", pid: 4243, pgid: 4242 });
    expect(await recoverInterrupted({ staleAfterMs: 30_000 })).toEqual([e.id]);
    const step = await stepOf(steps[0].id);
    expect(step.state).toBe("INTERRUPTED");
    expect(step.error).toBe(
      "no heartbeat from worker db-host-2:4242:abcd for 30 s; its process may still be running on db-host-2 (pid 4243)",
    );
    expect((await db().stepExecution.findUniqueOrThrow({ where: { id: e.id } })).processEndedAt).toBeNull();

    const refused = await retryStepChange.run(operator, { stepId: step.id, idempotencyKey: randomUUID() });
    expect(refused).toMatchObject({
      ok: false,
      field: "processChecked",
      message:
        "The interrupted attempt may still be running on db-host-2 (pid 4243). Check that it is no longer running there, then confirm to retry.",
    });
    expect(await db().stepExecution.count({ where: { stepId: step.id } })).toBe(1);
    expect(await db().auditLog.count({ where: { entityId: step.id, action: "rollback.step_retry", outcome: "DENIED" } })).toBe(1);

    const retried = await retryStep(operator, { stepId: step.id, idempotencyKey: randomUUID(), processChecked: true });
    expect(retried).toMatchObject({ outcome: "queued", attempt: 2 });
    const audit = await db().auditLog.findFirstOrThrow({ where: { entityId: step.id, action: "rollback.step_retry", outcome: "ALLOWED" } });
    expect(audit.details).toMatchObject({ processChecked: { host: "db-host-2", pid: 4243 } });
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
    // The schema is the one rule: a blank note is refused on its field, audited like any refusal.
    const invalidBefore = await db().auditLog.count({
      where: { entityId: steps[0].id, action: "rollback.step_mark_done", outcome: "DENIED" },
    });
    expect(await markStepDoneChange.run(operator, { stepId: steps[0].id, note: "  " })).toMatchObject({
      ok: false,
      code: "invalid",
      field: "note",
      message: "Say how you know it is done (a few words for the timeline).",
    });
    expect(await db().auditLog.count({ where: { entityId: steps[0].id, action: "rollback.step_mark_done", outcome: "DENIED" } })).toBe(
      invalidBefore + 1,
    );
    expect((await stepOf(steps[0].id)).state).toBe("INTERRUPTED");
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
    expect((await db().incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe("ASSESSING");
    // The summary is written once the running step has stopped, and shows it stopped.
    const doc = await waitFor("the rollback summary", async () => {
      await runDueJobs();
      return db().document.findFirst({ where: { runId: steps[0].runId, kind: "ROLLBACK_SUMMARY" }, include: { versions: true } });
    });
    const content = doc.versions[0].content as { run: { status: string; endReason: string }; steps: { state: string }[] };
    expect(content.run).toMatchObject({ status: "ABORTED", endReason: "the deploy system is down; manual rollback instead" });
    expect(content.steps.map((s) => s.state)).toEqual(["CANCELED", "CANCELED"]);
  });

  it("refuses in the state machine's words, each refusal audited DENIED with them, changing nothing", async () => {
    const { steps, operator, incident } = await approvedDecision([
      { key: "one", name: "One", executor: "WAIT", config: { seconds: 1 } },
      { key: "two", name: "Two", executor: "WAIT", config: { seconds: 1 } },
    ]);
    const runId = steps[0].runId;
    const snapshot = () =>
      db().rollbackRun.findUniqueOrThrow({ where: { id: runId }, include: { steps: { orderBy: { position: "asc" } } } });
    const refusedWith = async (call: () => Promise<unknown>, action: string, entityId: string, reason: string) => {
      const before = await snapshot();
      const denied = { incidentId: incident.id, action, entityId, outcome: "DENIED" as const };
      const auditsBefore = await db().auditLog.count({ where: denied });
      const error = await call().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StepRefusedError);
      expect((error as Error).message).toBe(reason);
      expect(await db().auditLog.count({ where: denied })).toBe(auditsBefore + 1);
      expect((await db().auditLog.findFirstOrThrow({ where: denied, orderBy: { id: "desc" } })).details).toEqual({
        code: "conflict",
        reason,
      });
      expect(await snapshot()).toEqual(before);
    };
    const stepReason = (state: StepState, event: StepEvent) => {
      const t = stepTransition(state, event);
      if (t.ok) throw new Error(`${state} × ${event} is allowed`);
      return t.reason;
    };
    const runReason = (status: RunStatus, event: RunEvent) => {
      const t = runTransition(status, event);
      if (t.ok) throw new Error(`${status} × ${event} is allowed`);
      return t.reason;
    };
    const [one, two] = steps;
    const key = () => randomUUID();

    // A step that has not run: nothing to retry or mark done.
    await refusedWith(
      () => retryStep(operator, { stepId: one.id, idempotencyKey: key() }),
      "rollback.step_retry",
      one.id,
      stepReason("NOT_STARTED", "retry"),
    );
    await refusedWith(
      () => markStepDone(operator, { stepId: one.id, note: "looks fine" }),
      "rollback.step_mark_done",
      one.id,
      stepReason("NOT_STARTED", "markDone"),
    );

    // Interrupted: a plain request does not run it again.
    await silentlyRunning(one.id, operator);
    expect(await recoverInterrupted({ staleAfterMs: 30_000 })).toHaveLength(1);
    const interrupted = stepReason("INTERRUPTED", "request");
    expect(interrupted).toBe("This step is interrupted: retry it, mark it done or skip it explicitly.");
    await refusedWith(() => requestStep(operator, { stepId: one.id, idempotencyKey: key() }), "rollback.step_request", one.id, interrupted);

    // Ended while it needs an operator: the run is FAILED, the step that had not run CANCELED.
    const ended = await abortRun(operator, { runId, reason: "the service is being rebuilt by hand" });
    expect(ended.status).toBe("FAILED");
    expect((await stepOf(two.id)).state).toBe("CANCELED");
    expect(await db().timelineEvent.count({ where: { incidentId: incident.id, kind: "RUN_ENDED" } })).toBe(1);
    const afterEnd: [() => Promise<unknown>, string, string, string][] = [
      [
        () => retryStep(operator, { stepId: one.id, idempotencyKey: key() }),
        "rollback.step_retry",
        one.id,
        runReason("FAILED", "queueStep"),
      ],
      [
        () => markStepDone(operator, { stepId: one.id, note: "fixed" }),
        "rollback.step_mark_done",
        one.id,
        runReason("FAILED", "markStepDone"),
      ],
      [() => skipStep(operator, { stepId: one.id, note: "not needed" }), "rollback.step_skip", one.id, runReason("FAILED", "skipStep")],
      // Its canceled step waits for nobody: the ended run refuses what a canceled step of an open run allows.
      [() => skipStep(operator, { stepId: two.id, note: "not needed" }), "rollback.step_skip", two.id, runReason("FAILED", "skipStep")],
      [
        () => requestStep(operator, { stepId: two.id, idempotencyKey: key() }),
        "rollback.step_request",
        two.id,
        runReason("FAILED", "queueStep"),
      ],
      [() => abortRun(operator, { runId, reason: "again" }), "rollback.run_abort", runId, runReason("FAILED", "abort")],
    ];
    for (const [call, action, entityId, reason] of afterEnd) await refusedWith(call, action, entityId, reason);
  });
});

describe("run until the next destructive step", () => {
  const append = (file: string, text: string) =>
    node(`require("fs").appendFileSync(${JSON.stringify(file)}, ${JSON.stringify(`${text}\n`)})`);

  it("ten concurrent confirmations start it once; it runs the steps in order and stops before the destructive one", async () => {
    const file = path.join(tmp, `auto-${randomUUID()}.txt`);
    const { steps, operator, incident, run, service } = await approvedDecision([
      { key: "one", name: "One", executor: "COMMAND", config: append(file, "one") },
      { key: "two", name: "Two", executor: "COMMAND", config: append(file, "two"), changesTraffic: true },
      { key: "three", name: "Three (destructive)", executor: "COMMAND", config: append(file, "three"), destructive: true },
      { key: "four", name: "Four", executor: "COMMAND", config: append(file, "four") },
    ]);
    await startWorker();
    await startWorker();
    const listed = [steps[0].id, steps[1].id];
    const keys = Array.from({ length: 10 }, () => randomUUID());
    const results = await Promise.all(
      keys.map((k) => runUntilDestructive(operator, { runId: run.id, idempotencyKey: k, stepIds: listed })),
    );
    expect(results.filter((r) => r.outcome === "started")).toHaveLength(1);
    expect(results.filter((r) => r.outcome === "already")).toHaveLength(9);
    expect(results.find((r) => r.outcome === "started")).toMatchObject({ stopBefore: { id: steps[2].id, position: 2 } });

    await stepIn(steps[1].id, "SUCCEEDED");
    await waitFor("the run-until to stop", async () => {
      const r = await db().rollbackRun.findUniqueOrThrow({ where: { id: run.id } });
      return r.autoRunUntil === null;
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(lines(file)).toEqual(["one", "two"]);
    expect((await stepOf(steps[2].id)).state).toBe("NOT_STARTED");
    for (const s of steps) expect(await db().stepExecution.count({ where: { stepId: s.id } })).toBe(s.position < 2 ? 1 : 0);
    expect(
      await db().auditLog.count({ where: { incidentId: incident.id, action: "rollback.run_until_destructive", outcome: "ALLOWED" } }),
    ).toBe(1);
    // Each queued step is audited: the first as the operator's request, the next by the system on their behalf.
    const requests = await db().auditLog.findMany({
      where: { incidentId: incident.id, action: "rollback.step_request" },
      orderBy: { id: "asc" },
    });
    expect(requests.map((a) => [a.entityId, a.actorId])).toEqual([
      [steps[0].id, operator.id],
      [steps[1].id, null],
    ]);
    expect((await db().stepExecution.findFirstOrThrow({ where: { stepId: steps[1].id } })).requestedById).toBe(operator.id);
    const started = await db().timelineEvent.findMany({ where: { incidentId: incident.id, kind: "AUTO_RUN_STARTED" } });
    expect(started).toHaveLength(1);
    expect(started[0].message).toContain('stops before step 3 "Three (destructive)" (destructive)');
    const stopped = await db().timelineEvent.findMany({ where: { incidentId: incident.id, kind: "AUTO_RUN_STOPPED" } });
    expect(stopped.map((e) => e.message)).toEqual([
      '"Run until the next destructive step" stopped: step 3 "Three (destructive)" is destructive and waits for its own confirmation',
    ]);

    // A viewer may not; the refusal is audited.
    const viewer = await makeUser("VIEWER");
    await expect(
      runUntilDestructive(viewer, { runId: run.id, idempotencyKey: randomUUID(), stepIds: [steps[2].id] }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(await db().auditLog.count({ where: { actorId: viewer.id, action: "rollback.run_until_destructive", outcome: "DENIED" } })).toBe(
      1,
    );

    // The same confirmation again changes nothing; the destructive step is refused to the run-until.
    expect(
      await runUntilDestructive(operator, {
        runId: run.id,
        idempotencyKey: keys[results.findIndex((r) => r.outcome === "started")],
        stepIds: listed,
      }),
    ).toEqual({
      outcome: "already",
      active: false,
    });
    await expect(runUntilDestructive(operator, { runId: run.id, idempotencyKey: randomUUID(), stepIds: [steps[2].id] })).rejects.toThrow(
      /destructive: run it from its own button/,
    );
    await requestStep(operator, { stepId: steps[2].id, idempotencyKey: randomUUID(), confirmation: service.name });
    await stepIn(steps[2].id, "SUCCEEDED");

    // A confirmation that listed other steps than the run would now run starts nothing.
    await expect(runUntilDestructive(operator, { runId: run.id, idempotencyKey: randomUUID(), stepIds: listed })).rejects.toThrow(
      /moved on since this confirmation was shown: it would now run step 4/,
    );
    // The operator's two refusals above (destructive next, moved on), besides the viewer's.
    expect(
      await db().auditLog.count({
        where: { incidentId: incident.id, actorId: operator.id, action: "rollback.run_until_destructive", outcome: "DENIED" },
      }),
    ).toBe(2);
    expect(await runUntilDestructive(operator, { runId: run.id, idempotencyKey: randomUUID(), stepIds: [steps[3].id] })).toMatchObject({
      outcome: "started",
      stopBefore: null,
    });
    const ended = await waitFor("the run to end", async () => {
      const r = await db().rollbackRun.findUniqueOrThrow({ where: { id: run.id } });
      return r.status === "SUCCEEDED" ? r : null;
    });
    expect(ended.autoRunUntil).toBeNull();
    expect(lines(file)).toEqual(["one", "two", "three", "four"]);

    // The summary: once, linked from the timeline.
    const doc = await waitFor("the rollback summary", async () => {
      await runDueJobs();
      return db().document.findFirst({ where: { runId: run.id, kind: "ROLLBACK_SUMMARY" }, include: { versions: true } });
    });
    expect(doc.versions).toHaveLength(1);
    expect(doc.versions[0].markdown).toContain("| Version rolled back | v2 → v1 |");
    expect(doc.versions[0].markdown).toContain("| Status | Succeeded |");
    const event = await db().timelineEvent.findFirstOrThrow({ where: { incidentId: incident.id, kind: "DOCUMENT_UPDATED" } });
    expect(event.payload).toMatchObject({ documentId: doc.id, kind: "ROLLBACK_SUMMARY", runId: run.id });
    expect(await db().auditLog.count({ where: { entityId: doc.id, action: "document.rollback_summary" } })).toBe(1);
  });

  it("stops on a failure; the run then needs an operator, and ending it makes it FAILED with its summary", async () => {
    const { steps, operator, incident, run, rm } = await approvedDecision([
      { key: "ok", name: "Fine", executor: "WAIT", config: { seconds: 1 } },
      { key: "bad", name: "Breaks", executor: "COMMAND", config: node(`console.error("no route to the router"); process.exit(3)`) },
      { key: "later", name: "Later", executor: "WAIT", config: { seconds: 1 } },
    ]);
    await startWorker();
    const r = await runUntilDestructive(operator, { runId: run.id, idempotencyKey: randomUUID(), stepIds: steps.map((s) => s.id) });
    expect(r).toMatchObject({ outcome: "started", stopBefore: null });
    const failed = await stepIn(steps[1].id, "FAILED");
    expect(failed.error).toBe(`${process.execPath} exited with code 3`);
    await new Promise((res) => setTimeout(res, 500));
    expect((await stepOf(steps[2].id)).state).toBe("NOT_STARTED");
    const open = await db().rollbackRun.findUniqueOrThrow({ where: { id: run.id }, include: { steps: true } });
    expect(open).toMatchObject({ status: "RUNNING", autoRunUntil: null });
    expect(runAttention(open.status, open.steps)).toMatchObject({ kind: "needs-operator", step: { position: 1, state: "FAILED" } });
    const stopped = await db().timelineEvent.findFirstOrThrow({ where: { incidentId: incident.id, kind: "AUTO_RUN_STOPPED" } });
    expect(stopped.message).toBe('"Run until the next destructive step" stopped: step 2 "Breaks" failed');

    const ended = await abortRun(operator, { runId: run.id, reason: "the router is gone; rolling back by hand" });
    expect(ended.status).toBe("FAILED");
    expect((await stepOf(steps[2].id)).state).toBe("CANCELED");
    expect((await stepOf(steps[1].id)).state).toBe("FAILED");
    expect((await db().incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe("ASSESSING");
    const endEvent = await db().timelineEvent.findFirstOrThrow({ where: { incidentId: incident.id, kind: "RUN_ENDED" } });
    expect(endEvent.message).toMatch(/ended the rollback run as failed after step 2 "Breaks" was failed: the router is gone/);
    expect(await db().timelineEvent.count({ where: { incidentId: incident.id, kind: "RUN_ABORTED" } })).toBe(0);
    const audit = await db().auditLog.findFirstOrThrow({ where: { incidentId: incident.id, action: "rollback.run_abort" } });
    expect(audit.details).toMatchObject({ status: "FAILED" });

    // Queued by the action's own transaction: there once the job has run.
    await runDueJobs();
    const doc = await db().document.findFirstOrThrow({ where: { runId: run.id, kind: "ROLLBACK_SUMMARY" }, include: { versions: true } });
    const content = doc.versions[0].content as { run: { status: string }; nextSteps: string[] };
    expect(content.run.status).toBe("FAILED");
    expect(content.nextSteps[0]).toMatch(/^Find out why step 2 "Breaks" failed/);
    expect(doc.title).toBe("Rollback summary: v2 → v1 (failed)");

    // The incident is open for a new decision, whose approved plan starts a run of its own.
    const again = await proposeDecision(operator, {
      incidentId: incident.id,
      tier: "FAST",
      strategy: "FEATURE_FLAG",
      reason: "turn the flag off instead",
    });
    await approveDecision(rm, { decisionId: again.id, planHash: again.planHash });
    const second = await startRun(operator, { decisionId: again.id, planHash: again.planHash });
    expect(second.created).toBe(true);
    expect(second.run.id).not.toBe(run.id);
    expect((await db().incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe("ROLLING_BACK");
  });
});

describe("stop after this step (ending a run-until, keeping the run)", () => {
  const append = (file: string, text: string) =>
    node(`require("fs").appendFileSync(${JSON.stringify(file)}, ${JSON.stringify(`${text}\n`)})`);
  /** Appends its line once the file `go` exists: the test decides when the step finishes. */
  const appendWhen = (go: string, file: string, text: string) =>
    node(
      `const fs = require("fs"); const t = setInterval(() => { if (fs.existsSync(${JSON.stringify(go)})) { clearInterval(t); fs.appendFileSync(${JSON.stringify(file)}, ${JSON.stringify(`${text}\n`)}); } }, 50)`,
    );
  const runOf = (id: string) => db().rollbackRun.findUniqueOrThrow({ where: { id } });
  const executions = (stepId: string) => db().stepExecution.count({ where: { stepId } });
  const settle = () => new Promise((r) => setTimeout(r, 1000));

  async function threeSteps() {
    const file = path.join(tmp, `stop-${randomUUID()}.txt`);
    const go = path.join(tmp, `go-${randomUUID()}`);
    const ctx = await approvedDecision([
      { key: "one", name: "One", executor: "COMMAND", config: appendWhen(go, file, "one") },
      { key: "two", name: "Two", executor: "COMMAND", config: append(file, "two") },
      { key: "three", name: "Three", executor: "COMMAND", config: append(file, "three") },
    ]);
    return { ...ctx, file, go };
  }

  it("stopped while a step runs: that step succeeds, the next is not queued, the run stays RUNNING; a second click is 'already'", async () => {
    const { steps, operator, incident, run, file, go } = await threeSteps();
    await startWorker();
    await runUntilDestructive(operator, { runId: run.id, idempotencyKey: randomUUID(), stepIds: steps.map((s) => s.id) });
    await stepIn(steps[0].id, "RUNNING");

    const stopped = await stopRunUntil(operator, { runId: run.id, incidentId: incident.id });
    expect(stopped).toEqual({ outcome: "stopped", runningStep: { id: steps[0].id, position: 0, name: "One" } });
    expect((await runOf(run.id)).autoRunUntil).toBeNull();
    expect((await stepOf(steps[0].id)).state).toBe("RUNNING"); // never killed

    writeFileSync(go, "");
    expect((await stepIn(steps[0].id, "SUCCEEDED", "FAILED", "CANCELED")).state).toBe("SUCCEEDED");
    await settle();
    expect((await stepOf(steps[1].id)).state).toBe("NOT_STARTED");
    expect(await executions(steps[1].id)).toBe(0);
    expect(lines(file)).toEqual(["one"]);
    expect(await runOf(run.id)).toMatchObject({ status: "RUNNING", autoRunUntil: null });

    const events = await db().timelineEvent.findMany({ where: { incidentId: incident.id, kind: "AUTO_RUN_STOPPED" } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: operator.id, source: "USER", payload: { runId: run.id, stoppedById: operator.id } });
    expect(events[0].message).toBe(
      `"Run until the next destructive step" stopped: ${operator.name} stopped it; step 1 "One" finishes normally, then the rollback waits for an operator to run each step`,
    );
    const audit = await db().auditLog.findMany({ where: { entityId: run.id, action: "rollback.run_until_stop" } });
    expect(audit.map((a) => [a.actorId, a.outcome])).toEqual([[operator.id, "ALLOWED"]]);

    // The same click again: already stopped, nothing written.
    expect(await stopRunUntil(operator, { runId: run.id, incidentId: incident.id })).toEqual({ outcome: "already" });
    expect(await db().timelineEvent.count({ where: { incidentId: incident.id, kind: "AUTO_RUN_STOPPED" } })).toBe(1);
    expect(await db().auditLog.count({ where: { entityId: run.id, action: "rollback.run_until_stop" } })).toBe(1);

    // The operator carries on step by step.
    await requestStep(operator, { stepId: steps[1].id, idempotencyKey: randomUUID() });
    expect((await stepIn(steps[1].id, "SUCCEEDED", "FAILED")).state).toBe("SUCCEEDED");
    await settle();
    expect(await executions(steps[2].id)).toBe(0);
    expect(lines(file)).toEqual(["one", "two"]);
  });

  it("refuses when no run-until is active, for another incident, on an ended run, and to a viewer (each audited DENIED)", async () => {
    const { steps, operator, incident, run } = await approvedDecision([
      { key: "one", name: "One", executor: "WAIT", config: { seconds: 1 } },
      { key: "two", name: "Two", executor: "WAIT", config: { seconds: 1 } },
    ]);
    const denied = (actorId: string) =>
      db().auditLog.count({ where: { actorId, entityId: run.id, action: "rollback.run_until_stop", outcome: "DENIED" } });

    await expect(stopRunUntil(operator, { runId: run.id, incidentId: incident.id })).rejects.toThrow(/is not running on this rollback/);
    expect(await denied(operator.id)).toBe(1);

    const other = await approvedDecision([{ key: "x", name: "X", executor: "WAIT", config: { seconds: 1 } }]);
    await expect(stopRunUntil(operator, { runId: run.id, incidentId: other.incident.id })).rejects.toThrow(/belongs to another incident/);
    expect(await denied(operator.id)).toBe(2);

    // Active now (no worker: the first step stays queued); a viewer still may not stop it.
    await runUntilDestructive(operator, { runId: run.id, idempotencyKey: randomUUID(), stepIds: steps.map((s) => s.id) });
    const viewer = await makeUser("VIEWER");
    await expect(stopRunUntil(viewer, { runId: run.id, incidentId: incident.id })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await denied(viewer.id)).toBe(1);
    expect((await runOf(run.id)).autoRunUntil).not.toBeNull();

    await abortRun(operator, { runId: run.id, reason: "changed our mind" });
    await expect(stopRunUntil(operator, { runId: run.id, incidentId: incident.id })).rejects.toBeInstanceOf(StepRefusedError);
    expect(await denied(operator.id)).toBe(3);
    expect(await db().auditLog.count({ where: { entityId: run.id, action: "rollback.run_until_stop", outcome: "ALLOWED" } })).toBe(0);
  });

  describe("racing the worker's hand-over (both take the run's FOR UPDATE lock; the test orders them)", () => {
    /** Holds the run's row lock until released; the waiters queue behind it in arrival order. */
    async function holdRunLock(runId: string) {
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      let locked!: () => void;
      const ready = new Promise<void>((r) => {
        locked = r;
      });
      const done = db().$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT id FROM "RollbackRun" WHERE id = ${runId} FOR UPDATE`;
          locked();
          await gate;
        },
        { timeout: 30_000 },
      );
      await ready;
      return {
        release: async () => {
          release();
          await done;
        },
      };
    }
    const lockWaiters = (n: number) =>
      waitFor(`${n} session(s) waiting on the run's lock`, async () => {
        const [{ count }] = await db().$queryRaw<{ count: number }[]>`
          SELECT count(*)::int AS count FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%"RollbackRun"%FOR UPDATE%'`;
        return count >= n;
      });

    it("stop first, then the step completes: the completion queues nothing", async () => {
      const { steps, operator, incident, run, file, go } = await threeSteps();
      await startWorker();
      await runUntilDestructive(operator, { runId: run.id, idempotencyKey: randomUUID(), stepIds: steps.map((s) => s.id) });
      await stepIn(steps[0].id, "RUNNING");
      const lock = await holdRunLock(run.id);
      const stop = stopRunUntil(operator, { runId: run.id, incidentId: incident.id });
      await lockWaiters(1); // the stop
      writeFileSync(go, "");
      await lockWaiters(2); // the worker recording the success
      await lock.release();
      expect(await stop).toMatchObject({ outcome: "stopped", runningStep: { position: 0 } });
      expect((await stepIn(steps[0].id, "SUCCEEDED", "FAILED")).state).toBe("SUCCEEDED");
      await settle();
      expect(await executions(steps[1].id)).toBe(0);
      expect(lines(file)).toEqual(["one"]);
      expect(await runOf(run.id)).toMatchObject({ status: "RUNNING", autoRunUntil: null });
    });

    it("the completion first, then the stop: the step it handed over finishes and nothing after it is queued", async () => {
      const { steps, operator, incident, run, file, go } = await threeSteps();
      await startWorker();
      await runUntilDestructive(operator, { runId: run.id, idempotencyKey: randomUUID(), stepIds: steps.map((s) => s.id) });
      await stepIn(steps[0].id, "RUNNING");
      const lock = await holdRunLock(run.id);
      writeFileSync(go, "");
      await lockWaiters(1); // the worker recording the success
      const stop = stopRunUntil(operator, { runId: run.id, incidentId: incident.id });
      await lockWaiters(2); // the stop
      await lock.release();
      expect(await stop).toMatchObject({ outcome: "stopped", runningStep: { position: 1, name: "Two" } });
      expect((await stepIn(steps[1].id, "SUCCEEDED", "FAILED")).state).toBe("SUCCEEDED");
      await settle();
      expect(await executions(steps[2].id)).toBe(0);
      expect(lines(file)).toEqual(["one", "two"]);
      expect(await runOf(run.id)).toMatchObject({ status: "RUNNING", autoRunUntil: null });
      expect(await db().timelineEvent.count({ where: { incidentId: incident.id, kind: "AUTO_RUN_STOPPED" } })).toBe(1);
    });
  });
});

describe("stopping one step", () => {
  /** The run, its incident and its attention as the page shows them. */
  async function standing(runId: string) {
    const run = await db().rollbackRun.findUniqueOrThrow({ where: { id: runId }, include: { steps: true, incident: true } });
    return { run: run.status, incident: run.incident.status, attention: runAttention(run.status, run.steps).kind };
  }

  it("a 10-minute command that ignores SIGTERM ends CANCELED within the grace period; the run waits for an operator", async () => {
    const { steps, operator, incident, run } = await approvedDecision([
      {
        key: "hangs",
        name: "Hangs",
        executor: "COMMAND",
        config: { argv: ["bash", "-c", "trap '' TERM; sleep 600 & echo child $!; wait"], timeoutMs: 900_000 },
      },
      { key: "after", name: "After", executor: "WAIT", config: { seconds: 1 } },
    ]);
    await startWorker();
    await requestStep(operator, { stepId: steps[0].id, idempotencyKey: randomUUID() });
    const e = await waitFor("the process record", () =>
      db().stepExecution.findFirst({ where: { stepId: steps[0].id, pid: { not: null } } }),
    );
    const childLine = await waitFor("the grandchild", () =>
      db().stepLogLine.findFirst({ where: { stepId: steps[0].id, line: { startsWith: "child " } } }),
    );
    const grandchild = Number(childLine.line.slice(6));

    const asked = performance.now();
    expect(await stopStep(operator, { stepId: steps[0].id, reason: "the migration hangs on a lock" })).toMatchObject({
      outcome: "stopping",
      executionId: e.id,
    });
    // A second click is the same stop: nothing more is recorded.
    expect(await stopStep(operator, { stepId: steps[0].id, reason: "again" })).toMatchObject({ outcome: "already" });
    const stopped = await stepIn(steps[0].id, "CANCELED", "FAILED", "SUCCEEDED");
    const took = performance.now() - asked;
    expect(stopped.state).toBe("CANCELED");
    // SIGTERM ignored: SIGKILL after the 2 s grace period, and nothing waits longer than that.
    expect(took).toBeGreaterThan(1900);
    expect(took).toBeLessThan(2000 + 1500);
    expect(isAlive(e.pid!)).toBe(false);
    expect(isAlive(grandchild)).toBe(false);
    expect(stopped.error).toMatch(/^Stopped by .+: the migration hangs on a lock \(aborted, bash stopped\)$/);
    expect(await db().stepExecution.findUniqueOrThrow({ where: { id: e.id } })).toMatchObject({
      state: "CANCELED",
      stopRequestedById: operator.id,
      stopReason: "the migration hangs on a lock",
      processEndedAt: expect.any(Date),
    });

    // Not an abort: the run is open and needs an operator, the incident is still rolling back.
    expect(await standing(run.id)).toEqual({ run: "RUNNING", incident: "ROLLING_BACK", attention: "needs-operator" });
    const kinds = (await db().timelineEvent.findMany({ where: { incidentId: incident.id }, orderBy: { at: "asc" } })).map((t) => t.kind);
    expect(kinds.filter((k) => k === "STEP_CANCELED")).toHaveLength(1);
    expect(kinds).not.toContain("STEP_FAILED");
    expect(kinds).not.toContain("RUN_ABORTED");
    expect(await db().auditLog.count({ where: { entityId: steps[0].id, action: "rollback.step_stop", outcome: "ALLOWED" } })).toBe(1);
    // A plain run is refused; the operator marks it done (checked by hand) and the run carries on.
    await expect(requestStep(operator, { stepId: steps[0].id, idempotencyKey: randomUUID() })).rejects.toThrow(/retry it/);
    await markStepDone(operator, { stepId: steps[0].id, note: "finished the migration by hand" });
    await requestStep(operator, { stepId: steps[1].id, idempotencyKey: randomUUID() });
    await stepIn(steps[1].id, "SUCCEEDED");
    expect((await standing(run.id)).run).toBe("SUCCEEDED");
  });

  it("a hanging HTTP request is cancelled: CANCELED at once, the run waits, and a retry runs it again", async () => {
    let answer = false;
    const hanging = new Set<http.ServerResponse>();
    const server = http.createServer((_req, res) => {
      if (answer) res.end("ok");
      else hanging.add(res); // never answers
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/switch`;
    try {
      const { steps, operator, incident, run } = await approvedDecision([
        { key: "switch", name: "Switch", executor: "HTTP", config: { url, method: "POST", timeoutMs: 600_000 } },
      ]);
      await startWorker();
      await requestStep(operator, { stepId: steps[0].id, idempotencyKey: randomUUID() });
      await waitFor("the request to hang", async () => hanging.size > 0);
      const asked = performance.now();
      await stopStep(operator, { stepId: steps[0].id, reason: "the switch endpoint hangs" });
      const stopped = await stepIn(steps[0].id, "CANCELED", "FAILED", "SUCCEEDED");
      expect(stopped.state).toBe("CANCELED");
      expect(performance.now() - asked).toBeLessThan(2000);
      expect(stopped.error).toMatch(/^Stopped by .+: the switch endpoint hangs/);
      expect(await standing(run.id)).toEqual({ run: "RUNNING", incident: "ROLLING_BACK", attention: "needs-operator" });
      expect(await db().timelineEvent.count({ where: { incidentId: incident.id, kind: "STEP_CANCELED" } })).toBe(1);

      answer = true;
      await retryStep(operator, { stepId: steps[0].id, idempotencyKey: randomUUID(), note: "the endpoint answers again" });
      expect((await stepIn(steps[0].id, "SUCCEEDED", "FAILED")).state).toBe("SUCCEEDED");
      expect((await standing(run.id)).run).toBe("SUCCEEDED");
    } finally {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it("a queued step is canceled at once; a step that is not queued or running cannot be stopped; an abort's cancel is STEP_CANCELED", async () => {
    const { steps, operator, incident, run } = await approvedDecision([
      { key: "one", name: "One", executor: "WAIT", config: { seconds: 1 } },
      { key: "two", name: "Two", executor: "WAIT", config: { seconds: 1 } },
    ]);
    const refused = await stopStepChange.run(operator, { stepId: steps[1].id, reason: "not yet" });
    expect(refused).toMatchObject({ ok: false, message: "Only a queued or running step can be stopped (this one is not_started)." });
    // No worker runs here: the step stays queued until the stop cancels it.
    await requestStep(operator, { stepId: steps[0].id, idempotencyKey: randomUUID() });
    expect(await stopStep(operator, { stepId: steps[0].id, reason: "wrong order" })).toEqual({ outcome: "canceled", stepId: steps[0].id });
    expect(await stepOf(steps[0].id)).toMatchObject({ state: "CANCELED", error: expect.stringMatching(/before it started: wrong order$/) });
    expect((await db().stepExecution.findFirstOrThrow({ where: { stepId: steps[0].id } })).state).toBe("CANCELED");
    expect(await standing(run.id)).toEqual({ run: "RUNNING", incident: "ROLLING_BACK", attention: "needs-operator" });

    // An abort while a step runs: that step ends CANCELED with STEP_CANCELED (never STEP_FAILED).
    await retryStep(operator, { stepId: steps[0].id, idempotencyKey: randomUUID() });
    await db().rollbackStep.update({ where: { id: steps[0].id }, data: { config: { seconds: 30 } } });
    await startWorker();
    await stepIn(steps[0].id, "RUNNING");
    await abortRun(operator, { runId: run.id, reason: "the plan is wrong" });
    expect((await stepIn(steps[0].id, "CANCELED")).state).toBe("CANCELED");
    const kinds = (await db().timelineEvent.findMany({ where: { incidentId: incident.id } })).map((t) => t.kind);
    expect(kinds.filter((k) => k === "STEP_CANCELED")).toHaveLength(2);
    expect(kinds).not.toContain("STEP_FAILED");
    // The ended run refuses the operator's choices on its canceled step.
    await expect(retryStep(operator, { stepId: steps[0].id, idempotencyKey: randomUUID() })).rejects.toThrow(/aborted/);
  });
});

describe("database outage", () => {
  it("a step that finishes while the database refuses connections ends SUCCEEDED with its exit code and every line, once", async () => {
    const relay = await startRelay(process.env.DATABASE_URL as string);
    const workerDb = createPrismaClient(relay.url, 4);
    const go = path.join(tmp, `go-${randomUUID()}`);
    const exited = path.join(tmp, `exited-${randomUUID()}`);
    // Five lines, then (once told) five more and exit 0: the second half happens during the outage.
    const script = `const fs = require("fs"); let n = 0;
      const out = () => console.log("line " + ++n);
      for (let i = 0; i < 5; i++) out();
      const t = setInterval(() => { if (!fs.existsSync(${JSON.stringify(go)})) return; clearInterval(t);
        for (let i = 0; i < 5; i++) out(); fs.writeFileSync(${JSON.stringify(exited)}, ""); }, 50);`;
    try {
      const { steps, operator, incident } = await approvedDecision([
        { key: "migrate", name: "Migrate", executor: "COMMAND", config: node(script, { timeoutMs: 120_000 }) },
      ]);
      const worker = new StepWorker({ pollMs: 100, heartbeatMs: 300, workDir: tmp, db: workerDb });
      workers.push(worker);
      await worker.start();
      await requestStep(operator, { stepId: steps[0].id, idempotencyKey: randomUUID() });
      await waitFor(
        "the first five lines",
        async () => (await db().stepLogLine.count({ where: { stepId: steps[0].id, stream: "STDOUT" } })) === 5,
      );

      await relay.cut();
      writeFileSync(go, "");
      await waitFor("the command to finish", async () => existsSync(exited));
      // The database stays away for 20 s after the command finished. Nobody takes the
      // finished-but-unrecorded step for dead meanwhile: its worker is alive on this host, even
      // though its heartbeat is older than the (here very short) staleness limit.
      await new Promise((r) => setTimeout(r, 20_000));
      expect(await recoverInterrupted({ staleAfterMs: 1000 })).toEqual([]);
      expect((await stepOf(steps[0].id)).state).toBe("RUNNING");
      await relay.restore();

      const done = await stepIn(steps[0].id, "SUCCEEDED", "FAILED", "INTERRUPTED");
      expect(done.state).toBe("SUCCEEDED");
      expect(await db().stepExecution.findFirstOrThrow({ where: { stepId: steps[0].id } })).toMatchObject({
        state: "SUCCEEDED",
        exitCode: 0,
      });
      const stdout = await db().stepLogLine.findMany({ where: { stepId: steps[0].id, stream: "STDOUT" }, orderBy: { id: "asc" } });
      expect(stdout.map((l) => l.line)).toEqual(Array.from({ length: 10 }, (_, i) => `line ${i + 1}`));
      const info = await db().stepLogLine.findMany({ where: { stepId: steps[0].id, stream: "INFO" }, orderBy: { id: "asc" } });
      expect(info.at(-1)?.line).toMatch(/^exited with code 0 in \d+ ms$/);
      expect(await db().timelineEvent.count({ where: { incidentId: incident.id, kind: "STEP_INTERRUPTED" } })).toBe(0);
      expect(await db().timelineEvent.count({ where: { incidentId: incident.id, kind: "STEP_SUCCEEDED" } })).toBe(1);
    } finally {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
      await workerDb.$disconnect();
      await relay.close();
    }
  }, 60_000);

  it("output lines wait out the outage; lines past a full buffer are given up and the gap is marked where they belong", async () => {
    const relay = await startRelay(process.env.DATABASE_URL as string);
    const outputDb = createPrismaClient(relay.url, 2);
    try {
      const { steps, operator } = await approvedDecision([{ key: "one", name: "One", executor: "WAIT", config: { seconds: 1 } }]);
      const queued = await requestStep(operator, { stepId: steps[0].id, idempotencyKey: randomUUID() });
      const ids = { stepId: steps[0].id, executionId: queued.executionId! };
      const errors: unknown[] = [];
      const output = new StepLogBuffer(outputDb, ids, (e) => errors.push(e));
      output.push("STDOUT", "before");
      await output.flush();
      await relay.cut();
      for (let i = 1; i <= MAX_PENDING_LINES + 3; i++) output.push("STDOUT", `during ${i}`);
      output.push("STDERR", "last");
      await output.flush();
      expect(errors.length).toBeGreaterThan(0);
      setTimeout(() => void relay.restore(), 1500);
      await output.drain();
      const stored = await db().stepLogLine.findMany({ where: { executionId: ids.executionId }, orderBy: { id: "asc" } });
      // "before", the first MAX_PENDING_LINES lines held during the outage, then the mark of the 4 given up.
      expect(stored).toHaveLength(1 + MAX_PENDING_LINES + 1);
      expect(stored[0].line).toBe("before");
      expect(stored[MAX_PENDING_LINES].line).toBe(`during ${MAX_PENDING_LINES}`);
      expect(stored.at(-1)).toMatchObject({ stream: "INFO", line: gapLine(4) });
    } finally {
      await outputDb.$disconnect();
      await relay.close();
    }
  }, 60_000);
});
