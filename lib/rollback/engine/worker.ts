// The step worker: every app instance runs one. It claims QUEUED executions with
// FOR UPDATE SKIP LOCKED (so instances share the work and never take the same one), runs the
// executor while heartbeating, streams log lines into StepLogLine, and records the outcome with its
// timeline event and audit row in one transaction. A RUNNING execution whose worker died is marked
// INTERRUPTED by recoverInterrupted: nothing is re-run without an operator.
// Every state it moves a step or an execution to, and every state it selects by, comes from
// state-machine.ts.
import "server-only";
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Prisma } from "@/generated/prisma/client";
import type { ExecutorKind, StepState } from "@/generated/prisma/enums";
import { writeAudit } from "@/lib/audit/log";
import { type Db, getDb } from "@/lib/db";
import { untilDatabaseAnswers } from "@/lib/db-retry";
import { resolveMateriality } from "@/lib/metrics/materiality";
import { providerFor } from "@/lib/metrics/provider";
import { preDeployWindow } from "@/lib/metrics/verdict-windows";
import { type ExecutionContext, NotConfiguredError, RefusedError, runExecutor, type StepResult } from "@/lib/rollback/executors";
import { redactDeep, stepRedactor } from "@/lib/rollback/executors/environment";
import { endProcessGroup, type StartedProcess } from "@/lib/rollback/executors/process";
import { parsePlan } from "@/lib/rollback/plans";
import { enqueueRollbackSummary } from "@/lib/rollback/summary/generate";
import { switchAnchor } from "@/lib/rollback/switch-anchor";
import { recordTimelineEvent } from "@/lib/timeline/record";
import { advanceAutoRun, stopAutoRun } from "./auto-run";
import { journalDir, journalNote, readJournal, removeJournal, writeJournal } from "./journal";
import {
  assertExecutable,
  finishRunIfDone,
  lockRun,
  lockStep,
  notifyIncident,
  onStepQueued,
  onStepStopRequested,
  requireStepMove,
  StepRefusedError,
} from "./shared";
import {
  CLAIMABLE_STEP_STATES,
  DONE_STEP_STATES,
  isRunOpen,
  isStepSkipped,
  RUNNING_STEP_STATES,
  runTransition,
  stepStatesAccepting,
  stepTransition,
} from "./state-machine";
import { StepLogBuffer } from "./step-log";

export type WorkerOptions = {
  /** How often to look for queued steps. */
  pollMs?: number;
  heartbeatMs?: number;
  /** A RUNNING execution whose heartbeat is older than this is INTERRUPTED. */
  staleAfterMs?: number;
  /** How often recoverInterrupted runs (it also runs at start). */
  recoverEveryMs?: number;
  /** Executions this worker runs at the same time (steps of one run are sequential anyway). */
  concurrency?: number;
  /** Where backups go; BACKOUT_BACKUP_DIR or .data/backups by default. */
  workDir?: string;
  /** Log lines are written in batches at this interval. */
  logFlushMs?: number;
  /** The worker's own database client (tests reach the database through a relay they can cut); the app's by default. */
  db?: Db;
};

/** Worker ids alive in this process: recovery never interrupts one of these. */
const liveWorkerIds = new Set<string>();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether the worker id names a worker of this host, and if so whether it still exists. */
function localWorker(workerId: string | null): "not-local" | "alive" | "dead" {
  if (!workerId) return "not-local";
  const parts = workerId.split(":");
  if (parts.length < 3) return "not-local";
  const random = parts.pop();
  const pid = Number(parts.pop());
  const host = parts.join(":");
  if (host !== os.hostname() || !Number.isInteger(pid) || !random) return "not-local";
  if (pid === process.pid) return liveWorkerIds.has(workerId) ? "alive" : "dead";
  return pidAlive(pid) ? "alive" : "dead";
}

/**
 * What became of the process an interrupted execution started. On this host its group is ended
 * (and seen gone) before the step is marked INTERRUPTED; on another host nobody here can know.
 */
async function settleProcess(e: {
  id: string;
  host: string | null;
  pid: number | null;
  pgid: number | null;
}): Promise<{ note: string | null; endedAt: Date | null }> {
  if (e.pid === null || e.pgid === null) return { note: null, endedAt: null };
  if (e.host !== os.hostname()) {
    return { note: `its process may still be running on ${e.host ?? "another host"} (pid ${e.pid})`, endedAt: null };
  }
  const end = await endProcessGroup(e.pgid, e.id);
  if (end === "ended") return { note: `its process group ${e.pgid} (pid ${e.pid}) was still running and was ended`, endedAt: new Date() };
  if (end === "was-gone") return { note: `its process (pid ${e.pid}) had already ended`, endedAt: new Date() };
  return { note: `its process group ${e.pgid} (pid ${e.pid}) could not be ended and may still be running on ${e.host}`, endedAt: null };
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Marks RUNNING executions whose worker is gone INTERRUPTED (step too), with timeline and audit.
 * Gone: no heartbeat for staleAfterMs (database clock), or a worker of this host whose process died.
 */
export async function recoverInterrupted(opts: { staleAfterMs: number; db?: Db; journalDir?: string }): Promise<string[]> {
  const db = opts.db ?? getDb();
  const journal = opts.journalDir ?? journalDir();
  const seconds = opts.staleAfterMs / 1000;
  const interruptible = stepStatesAccepting("interrupt");
  const candidates = await db.$queryRaw<
    { id: string; workerId: string | null; stale: boolean; host: string | null; pid: number | null; pgid: number | null }[]
  >`
    SELECT id, "workerId", host, pid, pgid,
      ("heartbeatAt" IS NULL OR "heartbeatAt" < now() - make_interval(secs => ${seconds}::float8)) AS stale
    FROM "StepExecution" WHERE state = ANY(${interruptible}::"StepState"[])`;
  const interrupted: string[] = [];
  for (const c of candidates) {
    const local = localWorker(c.workerId);
    // A worker of this host that is alive keeps its step even when its heartbeat is late (the
    // database was unreachable): it records the result itself once the database answers.
    if (local === "alive") continue;
    const deadLocal = local === "dead";
    if (!c.stale && !deadLocal) continue;
    const gone = deadLocal ? `worker ${c.workerId} is no longer running` : `no heartbeat from worker ${c.workerId} for ${seconds} s`;
    // Before the step says INTERRUPTED, the process it started is ended (or said to be out of reach).
    const proc = await settleProcess(c);
    // Only this host has the journal of its own workers' finished steps.
    const finished = local === "dead" ? await readJournal(journal, c.id) : null;
    const reason = [gone, finished && journalNote(finished), proc.note].filter(Boolean).join("; ");
    const done = await db.$transaction(async (tx) => {
      const peek = await tx.stepExecution.findUnique({ where: { id: c.id }, select: { step: { select: { id: true, runId: true } } } });
      if (!peek) return false;
      await lockRun(tx, peek.step.runId, "share");
      await lockStep(tx, peek.step.id);
      // Re-checked under the lock: the worker may have finished (or heartbeated) meanwhile.
      const e = await tx.stepExecution.findUniqueOrThrow({ where: { id: c.id }, include: { step: { include: { run: true } } } });
      const interrupt = stepTransition(e.state, "interrupt");
      if (!interrupt.ok || e.workerId !== c.workerId) return false;
      if (!deadLocal) {
        const [{ stale }] = await tx.$queryRaw<{ stale: boolean }[]>`
          SELECT ("heartbeatAt" IS NULL OR "heartbeatAt" < now() - make_interval(secs => ${seconds}::float8)) AS stale
          FROM "StepExecution" WHERE id = ${c.id}`;
        if (!stale) return false;
      }
      const now = new Date();
      await tx.stepExecution.update({
        where: { id: e.id },
        data: { state: interrupt.to, endedAt: now, error: reason, processEndedAt: proc.endedAt },
      });
      // The step follows only when this execution is its current attempt.
      const stepInterrupt = stepTransition(e.step.state, "interrupt");
      if (stepInterrupt.ok && e.step.attempts === e.attempt) {
        await tx.rollbackStep.update({
          where: { id: e.step.id },
          data: { state: stepInterrupt.to, endedAt: now, error: reason, version: { increment: 1 } },
        });
      }
      const incidentId = e.step.run.incidentId;
      await stopAutoRun(tx, e.step.run, `step ${e.step.position + 1} "${e.step.name}" was interrupted`);
      await recordTimelineEvent(tx, {
        incidentId,
        kind: interrupt.timelineKind,
        source: "SYSTEM",
        at: now,
        message: `Step ${e.step.position + 1} "${e.step.name}" was interrupted (${reason}); it will not run again unless someone retries it`,
        payload: { runId: e.step.runId, stepId: e.step.id, executionId: e.id, attempt: e.attempt, workerId: c.workerId },
      });
      await writeAudit(tx, {
        actor: null,
        action: "rollback.step_interrupted",
        outcome: "FAILED",
        entityType: "RollbackStep",
        entityId: e.step.id,
        incidentId,
        details: { executionId: e.id, attempt: e.attempt, workerId: c.workerId, reason, host: c.host, pid: c.pid, pgid: c.pgid },
      });
      await notifyIncident(tx, incidentId);
      return true;
    });
    if (done) interrupted.push(c.id);
    if (done && finished) await removeJournal(journal, c.id);
  }
  return interrupted;
}

type Claimed = {
  executionId: string;
  stepId: string;
  runId: string;
  incidentId: string;
  position: number;
  name: string;
  attempt: number;
  executor: ExecutorKind;
  config: unknown;
  previous: Record<string, StepResult | undefined>;
  run: NonNullable<ExecutionContext["run"]>;
  metrics?: ExecutionContext["metrics"];
};

export class StepWorker {
  readonly workerId = `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  private readonly opts: Required<Omit<WorkerOptions, "db">>;
  private readonly ownDb: Db | undefined;
  private stopped = true;
  private ticking = false;
  private tickAgain = false;
  private timer: NodeJS.Timeout | undefined;
  private lastRecover = 0;
  private readonly inFlight = new Set<Promise<void>>();
  /** The executions this worker runs, by id: how an operator's stop reaches one at once. */
  private readonly stoppers = new Map<string, () => void>();
  private unsubscribe: (() => void) | undefined;
  private unsubscribeStop: (() => void) | undefined;

  constructor(options: WorkerOptions = {}) {
    this.opts = {
      pollMs: options.pollMs ?? 500,
      heartbeatMs: options.heartbeatMs ?? 2000,
      staleAfterMs: options.staleAfterMs ?? 30_000,
      recoverEveryMs: options.recoverEveryMs ?? 10_000,
      concurrency: options.concurrency ?? 4,
      workDir: options.workDir ?? process.env.BACKOUT_BACKUP_DIR ?? path.resolve(".data/backups"),
      logFlushMs: options.logFlushMs ?? 250,
    };
    this.ownDb = options.db;
  }

  private get db(): Db {
    return this.ownDb ?? getDb();
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    liveWorkerIds.add(this.workerId);
    this.unsubscribe = onStepQueued(() => this.wake());
    this.unsubscribeStop = onStepStopRequested((id) => this.stoppers.get(id)?.());
    await this.recoverInterrupted();
    this.schedule(0);
  }

  /** Stops polling and waits for the executions in flight to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.unsubscribe?.();
    this.unsubscribeStop?.();
    while (this.ticking || this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
      if (this.ticking) await new Promise((r) => setTimeout(r, 20));
    }
    liveWorkerIds.delete(this.workerId);
  }

  /** Look for queued work now rather than at the next poll. */
  wake(): void {
    if (this.stopped) return;
    if (this.ticking) this.tickAgain = true;
    else this.schedule(0);
  }

  recoverInterrupted(): Promise<string[]> {
    this.lastRecover = Date.now();
    return recoverInterrupted({ staleAfterMs: this.opts.staleAfterMs, db: this.db });
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.ticking) return;
    this.ticking = true;
    try {
      if (Date.now() - this.lastRecover >= this.opts.recoverEveryMs) {
        await this.recoverInterrupted();
      }
      while (!this.stopped && this.inFlight.size < this.opts.concurrency) {
        const claimed = await this.claim();
        if (!claimed) break;
        const p: Promise<void> = this.execute(claimed)
          .catch((e) => console.error(`[worker ${this.workerId}] execution ${claimed.executionId} failed to record:`, e))
          .finally(() => {
            this.inFlight.delete(p);
            this.wake();
          });
        this.inFlight.add(p);
      }
    } catch (e) {
      console.error(`[worker ${this.workerId}] poll failed:`, e);
    } finally {
      this.ticking = false;
      const again = this.tickAgain;
      this.tickAgain = false;
      this.schedule(again ? 0 : this.opts.pollMs);
    }
  }

  /** Claims one queued execution (skipping those another instance holds) and starts it. */
  async claim(): Promise<Claimed | null> {
    const claimable = [...CLAIMABLE_STEP_STATES];
    return this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string }[]>`
        SELECT e.id FROM "StepExecution" e JOIN "RollbackStep" s ON s.id = e."stepId"
        WHERE e.state = ANY(${claimable}::"StepState"[]) AND s.state = ANY(${claimable}::"StepState"[]) AND s.attempts = e.attempt
        ORDER BY e."createdAt" LIMIT 1
        FOR UPDATE OF e, s SKIP LOCKED`;
      if (rows.length === 0) return null;
      const e = await tx.stepExecution.findUniqueOrThrow({
        where: { id: rows[0].id },
        include: {
          step: {
            include: {
              run: {
                include: {
                  decision: { select: { plan: true } },
                  incident: {
                    select: {
                      title: true,
                      deployedAt: true,
                      service: {
                        select: {
                          id: true,
                          name: true,
                          metricsProvider: true,
                          prometheusUrl: true,
                          prometheusSelector: true,
                          prometheusQueries: true,
                          baselineWindowMinutes: true,
                          verdictMateriality: true,
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      });
      const step = e.step;
      const run = step.run;
      const incidentId = run.incidentId;
      const now = new Date();

      // The execution and its step were selected claimable: the table moves both the same way.
      const refuse = async (event: "cancel" | "refuseStart", reason: string) => {
        const t = requireStepMove(step.state, event);
        await tx.stepExecution.update({
          where: { id: e.id },
          data: { state: requireStepMove(e.state, event).to, endedAt: now, error: reason, workerId: this.workerId },
        });
        await tx.rollbackStep.update({
          where: { id: step.id },
          data: { state: t.to, endedAt: now, error: reason, version: { increment: 1 } },
        });
        await stopAutoRun(tx, run, `step ${step.position + 1} "${step.name}" did not start`);
        if (t.timelineKind) {
          await recordTimelineEvent(tx, {
            incidentId,
            kind: t.timelineKind,
            source: "EXECUTOR",
            message: `Step ${step.position + 1} "${step.name}" did not start: ${reason}`,
            payload: { runId: run.id, stepId: step.id, executionId: e.id, attempt: e.attempt },
          });
        }
        await writeAudit(tx, {
          actor: null,
          action: "rollback.step_start",
          outcome: "DENIED",
          entityType: "RollbackStep",
          entityId: step.id,
          incidentId,
          details: { executionId: e.id, attempt: e.attempt, workerId: this.workerId, reason },
        });
        await notifyIncident(tx, incidentId);
      };

      const open = runTransition(run.status, "startStep");
      if (!open.ok) {
        await refuse("cancel", open.reason);
        return null;
      }
      try {
        await assertExecutable(tx, run.decisionId, run.planHash);
      } catch (err) {
        if (!(err instanceof StepRefusedError)) throw err;
        await refuse("refuseStart", err.message);
        return null;
      }

      const start = requireStepMove(step.state, "start");
      await tx.stepExecution.update({
        where: { id: e.id },
        data: {
          state: requireStepMove(e.state, "start").to,
          workerId: this.workerId,
          host: os.hostname(),
          heartbeatAt: now,
          startedAt: now,
        },
      });
      await tx.rollbackStep.update({ where: { id: step.id }, data: { state: start.to, startedAt: now, version: { increment: 1 } } });
      await recordTimelineEvent(tx, {
        incidentId,
        kind: start.timelineKind,
        source: "EXECUTOR",
        at: now,
        message: `Step ${step.position + 1} "${step.name}" started${e.attempt > 1 ? ` (attempt ${e.attempt})` : ""}`,
        payload: { runId: run.id, stepId: step.id, executionId: e.id, attempt: e.attempt, workerId: this.workerId },
      });
      await writeAudit(tx, {
        actor: null,
        action: "rollback.step_start",
        outcome: "ALLOWED",
        entityType: "RollbackStep",
        entityId: step.id,
        incidentId,
        details: { executionId: e.id, attempt: e.attempt, workerId: this.workerId, requestedById: e.requestedById },
      });
      await notifyIncident(tx, incidentId);

      // Results of earlier steps, by plan key: a skipped one is not a success (a restore refuses without its backup).
      const plan = parsePlan(run.decision.plan);
      const earlier = await tx.rollbackStep.findMany({
        where: { runId: run.id, position: { lt: step.position }, state: { in: [...DONE_STEP_STATES] } },
        select: { position: true, state: true, resultNote: true, output: true, endedAt: true, changesTraffic: true, destructive: true },
      });
      const previous: Record<string, StepResult | undefined> = {};
      for (const s of earlier) {
        const key = plan[s.position]?.key;
        if (!key) continue;
        previous[key] = isStepSkipped(s.state)
          ? { ok: false, summary: `skipped by an operator${s.resultNote ? `: ${s.resultNote}` : ""}`, output: { skipped: true } }
          : { ok: true, summary: s.resultNote ?? "", output: (s.output ?? {}) as Record<string, unknown> };
      }

      // The verify step judges what came after this run's switch (or restore), against the incident page's baselines.
      let metrics: ExecutionContext["metrics"];
      if (step.executor === "VERIFY_METRICS") {
        const service = run.incident.service;
        try {
          metrics = {
            provider: providerFor(service),
            baselineWindow: preDeployWindow(service, run.incident.deployedAt),
            switchedAt: switchAnchor(earlier)?.endedAt.getTime() ?? null,
            materiality: resolveMateriality(service.verdictMateriality),
          };
        } catch {
          metrics = undefined; // no provider (a Prometheus service without an address): the executor says what is missing
        }
      }

      return {
        executionId: e.id,
        stepId: step.id,
        runId: run.id,
        incidentId,
        position: step.position,
        name: step.name,
        attempt: e.attempt,
        executor: step.executor,
        config: step.config,
        previous,
        run: { id: run.id, incidentTitle: run.incident.title, serviceName: run.incident.service.name },
        metrics,
      };
    });
  }

  private async execute(c: Claimed): Promise<void> {
    const db = this.db;
    const controller = new AbortController();
    let lostOwnership = false;
    // Every role can read a step's log and result: whatever an executor lets through, the server's
    // secrets and those the step names are replaced by [redacted] here, before anything is stored.
    const redact = stepRedactor(c.executor, c.config, process.env);

    // Log lines: buffered and written in order, in batches; kept and retried while the database
    // does not answer (step-log.ts).
    const output = new StepLogBuffer(db, { stepId: c.stepId, executionId: c.executionId }, (e) =>
      console.error(`[worker ${this.workerId}] could not write log lines (kept, will retry):`, errorMessage(e)),
    );
    const flushTimer = setInterval(() => void output.flush(), this.opts.logFlushMs);

    const beat = async () => {
      try {
        const r = await db.stepExecution.updateMany({
          where: { id: c.executionId, state: { in: [...RUNNING_STEP_STATES] }, workerId: this.workerId },
          data: { heartbeatAt: new Date() },
        });
        if (r.count === 0) {
          lostOwnership = true;
          controller.abort();
          return;
        }
        const e = await db.stepExecution.findUnique({
          where: { id: c.executionId },
          select: { stopRequestedAt: true, step: { select: { run: { select: { status: true } } } } },
        });
        // An operator stops this step (from any instance), or the run ended under it (an abort: the
        // only way a run ends while one of its steps runs).
        if (e && (e.stopRequestedAt || !isRunOpen(e.step.run.status))) controller.abort();
      } catch (e) {
        console.error(`[worker ${this.workerId}] heartbeat failed:`, e);
      }
    };
    const heartbeat = setInterval(() => void beat(), this.opts.heartbeatMs);
    this.stoppers.set(c.executionId, () => controller.abort());

    // Each process the step starts is recorded on the execution as it starts (recovery needs its
    // group if this server dies) and named in the step's output.
    let processes: Promise<unknown> = Promise.resolve();
    let startedProcess = false;
    const onProcessStart = (p: StartedProcess) => {
      startedProcess = true;
      const host = os.hostname();
      output.push("INFO", `process ${p.pid} (group ${p.pgid}) started on ${host}`);
      processes = processes.then(() =>
        untilDatabaseAnswers(() =>
          db.stepExecution.updateMany({ where: { id: c.executionId, workerId: this.workerId }, data: { host, pid: p.pid, pgid: p.pgid } }),
        ).catch((e) => console.error(`[worker ${this.workerId}] could not record process ${p.pid}:`, e)),
      );
    };

    let result: StepResult;
    try {
      await mkdir(this.opts.workDir, { recursive: true }).catch(() => undefined);
      result = await runExecutor(c.executor, c.config, {
        signal: controller.signal,
        log: (stream, line) => {
          output.push(stream, redact(line));
          if (output.size >= 200) void output.flush();
        },
        env: process.env,
        workDir: this.opts.workDir,
        previous: c.previous,
        run: c.run,
        metrics: c.metrics,
        process: { tag: c.executionId, onStart: onProcessStart },
      });
    } catch (e) {
      const kind = e instanceof NotConfiguredError ? "not-configured" : e instanceof RefusedError ? "refused" : "error";
      result = { ok: false, summary: errorMessage(e), output: { error: errorMessage(e), errorKind: kind } };
    } finally {
      clearInterval(flushTimer);
      this.stoppers.delete(c.executionId);
    }
    result = redactDeep(result, redact);
    // The step has finished but nothing says so yet: the heartbeat goes on (nobody may take it for
    // dead) until its output and its result are stored, however long the database takes to answer;
    // the journal tells recovery how it ended if this server dies meanwhile.
    const journal = journalDir();
    await writeJournal(journal, c.executionId, {
      ok: result.ok,
      summary: result.summary,
      exitCode: result.exitCode ?? null,
      finishedAt: new Date().toISOString(),
    });
    try {
      await output.drain();
      await processes;
      if (lostOwnership) {
        console.error(
          `[worker ${this.workerId}] execution ${c.executionId} was taken from this worker (interrupted); its result is discarded`,
        );
        await removeJournal(journal, c.executionId);
        return;
      }
      await untilDatabaseAnswers(() => this.complete(c, result, controller.signal.aborted, startedProcess), {
        onRetry: (e, attempt, wait) =>
          console.error(
            `[worker ${this.workerId}] could not record the result of execution ${c.executionId} (attempt ${attempt}; again in ${wait} ms):`,
            errorMessage(e),
          ),
      });
      await removeJournal(journal, c.executionId);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async complete(c: Claimed, result: StepResult, aborted: boolean, startedProcess: boolean): Promise<void> {
    await this.db.$transaction(async (tx) => {
      await lockRun(tx, c.runId, "update");
      await lockStep(tx, c.stepId);
      const e = await tx.stepExecution.findUniqueOrThrow({
        where: { id: c.executionId },
        select: { state: true, workerId: true, stopRequestedAt: true, stopReason: true, stopRequestedBy: { select: { name: true } } },
      });
      const run = await tx.rollbackRun.findUniqueOrThrow({ where: { id: c.runId }, select: { status: true } });
      const wasAborted = aborted || result.output?.aborted === true;
      const canceled = !isRunOpen(run.status) && wasAborted;
      // Stopped by an operator: it ends CANCELED with who and why (unless it succeeded meanwhile).
      const stoppedBy =
        !canceled && e.stopRequestedAt ? { name: e.stopRequestedBy?.name ?? "an operator", reason: e.stopReason ?? "" } : null;
      const finish = stepTransition(e.state, result.ok ? "succeed" : canceled ? "stop" : stoppedBy ? "operatorStop" : "fail");
      // Refused when the execution was interrupted meanwhile (or taken by another worker): an operator decides.
      if (!finish.ok || e.workerId !== this.workerId) return { ended: false };
      // The step's current attempt is this execution (a step is retried only once its execution ended): it moves with it.
      const state: StepState = finish.to;
      const now = new Date();
      const output = { ...(result.output ?? {}) } as Prisma.InputJsonObject;
      await tx.stepExecution.update({
        where: { id: c.executionId },
        data: {
          state,
          endedAt: now,
          heartbeatAt: now,
          exitCode: result.exitCode ?? null,
          httpStatus: result.httpStatus ?? null,
          // The executor returns once its program has exited (or its group was ended).
          ...(startedProcess ? { processEndedAt: now } : {}),
          error: result.ok ? null : result.summary,
        },
      });
      await tx.rollbackStep.update({
        where: { id: c.stepId },
        data: {
          state,
          endedAt: now,
          output,
          resultNote: result.summary,
          error: result.ok ? null : stoppedBy ? `Stopped by ${stoppedBy.name}: ${stoppedBy.reason} (${result.summary})` : result.summary,
          version: { increment: 1 },
        },
      });
      const label = `Step ${c.position + 1} "${c.name}"`;
      await recordTimelineEvent(tx, {
        incidentId: c.incidentId,
        kind: finish.timelineKind,
        source: "EXECUTOR",
        at: now,
        message: result.ok
          ? `${label} succeeded: ${result.summary}`
          : canceled
            ? `${label} was stopped by the abort: ${result.summary}`
            : stoppedBy
              ? `${label} was stopped by ${stoppedBy.name}: ${stoppedBy.reason} (${result.summary}); the rollback waits for an operator`
              : `${label} failed: ${result.summary}`,
        payload: { runId: c.runId, stepId: c.stepId, executionId: c.executionId, attempt: c.attempt, state },
      });
      await writeAudit(tx, {
        actor: null,
        action: "rollback.step_complete",
        outcome: result.ok ? "ALLOWED" : "FAILED",
        entityType: "RollbackStep",
        entityId: c.stepId,
        incidentId: c.incidentId,
        details: { executionId: c.executionId, attempt: c.attempt, state, summary: result.summary, workerId: this.workerId },
      });
      let ended = false;
      if (result.ok) {
        ended = await finishRunIfDone(tx, c.runId);
        // Run until the next destructive step: the hand-over to the next step commits with this success.
        if (!ended) await advanceAutoRun(tx, c.runId);
      } else {
        const which = `step ${c.position + 1} "${c.name}"`;
        const how = canceled ? "was stopped by the abort" : stoppedBy ? `was stopped by ${stoppedBy.name}` : "failed";
        await stopAutoRun(tx, { id: c.runId, incidentId: c.incidentId }, `${which} ${how}`);
      }
      await notifyIncident(tx, c.incidentId);
      // An aborted run's summary waits for its running step to stop: that is now.
      const runEnded = ended || !isRunOpen(run.status);
      if (runEnded) await enqueueRollbackSummary(tx, c.runId);
      return { ended: runEnded };
    });
  }
}
