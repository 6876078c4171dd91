// Starting a rollback run and the operator's actions on it: run a step, retry it, run until the
// next destructive step, mark done, skip, end the run. Every action authorizes, re-checks the
// approval gate inside its transaction, locks the rows it changes, and writes its timeline event,
// audit row and live-update notification in that same transaction. Steps run one at a time, in
// order; the worker (worker.ts) picks up what these functions queue. A run that ends gets its
// rollback summary right after the commit (summary/generate.ts; the worker's sweep catches up).
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { RunStatus, StepState, TimelineKind } from "@/generated/prisma/enums";
import { type Actor, writeAudit } from "@/lib/audit/log";
import { authorize } from "@/lib/auth/authorize";
import { getDb, type Tx } from "@/lib/db";
import { getExecutableDecision } from "@/lib/decision/queries";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { parsePlan } from "@/lib/rollback/plans";
import { autoRunPlan, isRunOpen, operatorEndStatus, runAttention, stepRange } from "@/lib/rollback/run-status";
import { enqueueRollbackSummary } from "@/lib/rollback/summary/generate";
import { recordTimelineEvent } from "@/lib/timeline/record";
import { stopAutoRun } from "./auto-run";
import { queueAttempt } from "./queue";
import {
  assertExecutable,
  blockingEarlierStep,
  finishRunIfDone,
  lockRun,
  lockStep,
  notifyIncident,
  StepRefusedError,
  stepQueued,
} from "./shared";

export { StepRefusedError } from "./shared";

const PERMISSION = "rollback:execute" as const;

/** Runs the transaction; a StepRefusedError is audited as DENIED (outside it, so the record survives) and rethrown. */
async function guarded<T>(
  actor: Actor,
  audit: { action: string; entityType: string; entityId: string; incidentId?: string | null },
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  try {
    return await getDb().$transaction(fn, { timeout: 15_000 });
  } catch (e) {
    if (e instanceof StepRefusedError) {
      await writeAudit(getDb(), { actor, ...audit, outcome: "DENIED", details: { reason: e.message } });
    }
    throw e;
  }
}

async function stepContext(stepId: string) {
  const step = await getDb().rollbackStep.findUnique({
    where: { id: stepId },
    select: { runId: true, run: { select: { incidentId: true } } },
  });
  if (!step) throw new NotFoundError("No such rollback step.");
  return { runId: step.runId, incidentId: step.run.incidentId };
}

function requireKey(raw: string): string {
  const key = raw.trim();
  if (!key || key.length > 200) throw new InvalidInputError("A request needs an idempotency key (at most 200 characters).");
  return key;
}

function requireNote(note: string | undefined, what: string): string {
  const text = (note ?? "").trim();
  if (!text) throw new InvalidInputError(`Say why you ${what} (a note is required).`, "note");
  if (text.length > 2000) throw new InvalidInputError("The note is too long (2000 characters at most).", "note");
  return text;
}

// ───────────────────────────── start ─────────────────────────────

export async function startRun(actor: Actor, input: { decisionId: string; planHash: string }) {
  await authorize(actor, PERMISSION, { action: "rollback.run_start", entityType: "Decision", entityId: input.decisionId });
  const decision = await getExecutableDecision(input.decisionId, input.planHash);

  return guarded(
    actor,
    { action: "rollback.run_start", entityType: "Decision", entityId: decision.id, incidentId: decision.incidentId },
    async (tx) => {
      // The decision lock makes "one run per decision" hold under concurrent starts.
      await tx.$queryRaw`SELECT id FROM "Decision" WHERE id = ${decision.id} FOR UPDATE`;
      const existing = await tx.rollbackRun.findFirst({
        where: { decisionId: decision.id },
        orderBy: { createdAt: "asc" },
        include: { steps: { orderBy: { position: "asc" } } },
      });
      if (existing) return { run: existing, created: false as const };
      await assertExecutable(tx, decision.id, input.planHash);
      const current = await tx.decision.findUniqueOrThrow({ where: { id: decision.id }, select: { plan: true } });
      const plan = parsePlan(current.plan);

      const now = new Date();
      const run = await tx.rollbackRun.create({
        data: {
          incidentId: decision.incidentId,
          decisionId: decision.id,
          planHash: input.planHash,
          status: "RUNNING",
          startedById: actor.id,
          startedAt: now,
          steps: {
            create: plan.map((s, position) => ({
              position,
              name: s.name,
              executor: s.executor,
              config: s.config as Prisma.InputJsonValue,
              destructive: s.destructive,
              changesTraffic: s.changesTraffic,
            })),
          },
        },
        include: { steps: { orderBy: { position: "asc" } } },
      });
      await tx.incident.update({ where: { id: decision.incidentId }, data: { status: "ROLLING_BACK", version: { increment: 1 } } });
      await recordTimelineEvent(tx, {
        incidentId: decision.incidentId,
        kind: "RUN_STARTED",
        actorId: actor.id,
        at: now,
        message: `${actor.name} started the rollback run (${plan.length} steps)`,
        payload: { runId: run.id, decisionId: decision.id, planHash: input.planHash, steps: plan.length },
      });
      await writeAudit(tx, {
        actor,
        action: "rollback.run_start",
        outcome: "ALLOWED",
        entityType: "RollbackRun",
        entityId: run.id,
        incidentId: decision.incidentId,
        details: { decisionId: decision.id, planHash: input.planHash, steps: plan.length },
      });
      await notifyIncident(tx, decision.incidentId);
      return { run, created: true as const };
    },
  );
}

// ───────────────────────────── queueing a step ─────────────────────────────

export type RequestStepResult =
  /** This request queued the step: exactly one request per attempt gets this answer. */
  | { outcome: "queued"; stepId: string; executionId: string; attempt: number }
  /** Someone (or this same click, by idempotency key) already queued it or it is already running or done. */
  | { outcome: "already"; stepId: string; state: StepState; executionId: string | null; attempt: number };

/** Locks the step and checks run, gate and order; the caller decides what states it accepts. */
async function lockedStepForAction(tx: Tx, stepId: string) {
  const peek = await tx.rollbackStep.findUnique({ where: { id: stepId }, select: { runId: true } });
  if (!peek) throw new NotFoundError("No such rollback step.");
  await lockRun(tx, peek.runId, "share");
  await lockStep(tx, stepId);
  const step = await tx.rollbackStep.findUniqueOrThrow({ where: { id: stepId }, include: { run: true } });
  return step;
}

async function assertRunnable(
  tx: Tx,
  step: { runId: string; position: number; run: { status: RunStatus; decisionId: string; planHash: string } },
) {
  if (step.run.status === "ABORTED") throw new StepRefusedError("This rollback run was aborted: its steps can no longer run.");
  if (!isRunOpen(step.run.status)) throw new StepRefusedError("This rollback run has ended.");
  await assertExecutable(tx, step.run.decisionId, step.run.planHash);
  const blocking = await blockingEarlierStep(tx, step.runId, step.position);
  if (blocking) {
    throw new StepRefusedError(`Step ${blocking.position + 1} "${blocking.name}" must succeed (or be skipped) before this one can run.`);
  }
}

async function alreadyResult(
  tx: Tx,
  step: { id: string; state: StepState; attempts: number },
): Promise<Extract<RequestStepResult, { outcome: "already" }>> {
  const e = await tx.stepExecution.findUnique({
    where: { stepId_attempt: { stepId: step.id, attempt: step.attempts } },
    select: { id: true },
  });
  return { outcome: "already", stepId: step.id, state: step.state, executionId: e?.id ?? null, attempt: step.attempts };
}

/**
 * Queues the next step of the run. Concurrent requests for the same step serialize on the step
 * row: one gets "queued" (one execution, one audit row), the others "already".
 */
export async function requestStep(actor: Actor, input: { stepId: string; idempotencyKey: string }): Promise<RequestStepResult> {
  const key = requireKey(input.idempotencyKey);
  const ctx = await stepContext(input.stepId);
  const audit = { action: "rollback.step_request", entityType: "RollbackStep", entityId: input.stepId, incidentId: ctx.incidentId };
  await authorize(actor, PERMISSION, audit);

  const result = await guarded(actor, audit, async (tx): Promise<RequestStepResult> => {
    const step = await lockedStepForAction(tx, input.stepId);
    // The same click again (a retry of the HTTP request) is the same execution, whatever happened since.
    if (step.idempotencyKey === key) return alreadyResult(tx, step);
    if (step.state === "QUEUED" || step.state === "RUNNING" || step.state === "SUCCEEDED") return alreadyResult(tx, step);
    if (step.state === "INTERRUPTED" || step.state === "FAILED") {
      throw new StepRefusedError(`This step is ${step.state.toLowerCase()}: retry it, mark it done or skip it explicitly.`);
    }
    if (step.state !== "NOT_STARTED") throw new StepRefusedError(`This step is ${step.state.toLowerCase()} and cannot run.`);
    await assertRunnable(tx, step);
    return queueAttempt(tx, {
      step,
      incidentId: step.run.incidentId,
      actor,
      requestedById: actor.id,
      idempotencyKey: key,
      action: "rollback.step_request",
      details: { idempotencyKey: key },
    });
  });
  if (result.outcome === "queued") stepQueued();
  return result;
}

/** A new attempt at an INTERRUPTED or FAILED step, on an operator's word. */
export async function retryStep(
  actor: Actor,
  input: { stepId: string; note?: string; idempotencyKey?: string },
): Promise<RequestStepResult> {
  const note = (input.note ?? "").trim().slice(0, 2000);
  const ctx = await stepContext(input.stepId);
  const audit = { action: "rollback.step_retry", entityType: "RollbackStep", entityId: input.stepId, incidentId: ctx.incidentId };
  await authorize(actor, PERMISSION, audit);

  const result = await guarded(actor, audit, async (tx): Promise<RequestStepResult> => {
    const step = await lockedStepForAction(tx, input.stepId);
    if (input.idempotencyKey && step.idempotencyKey === input.idempotencyKey) return alreadyResult(tx, step);
    if (step.state !== "INTERRUPTED" && step.state !== "FAILED") {
      throw new StepRefusedError(`Only an interrupted or failed step can be retried (this one is ${step.state.toLowerCase()}).`);
    }
    await assertRunnable(tx, step);
    await recordTimelineEvent(tx, {
      incidentId: step.run.incidentId,
      kind: "NOTE",
      actorId: actor.id,
      message: `${actor.name} retried step ${step.position + 1} "${step.name}" (attempt ${step.attempts + 1})${note ? `: ${note}` : ""}`,
      payload: { runId: step.runId, stepId: step.id, attempt: step.attempts + 1, retry: true },
    });
    return queueAttempt(tx, {
      step,
      incidentId: step.run.incidentId,
      actor,
      requestedById: actor.id,
      idempotencyKey: input.idempotencyKey ?? null,
      action: "rollback.step_retry",
      details: { previousState: step.state, note },
    });
  });
  if (result.outcome === "queued") stepQueued();
  return result;
}

// ───────────────────────────── run until the next destructive step ─────────────────────────────

export type RunUntilResult =
  | {
      outcome: "started";
      steps: { id: string; position: number; name: string }[];
      stopBefore: { id: string; position: number; name: string } | null;
      executionId: string;
    }
  /** This same confirmation was already accepted, or another one is still running the steps. */
  | { outcome: "already"; active: boolean };

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Runs the run's next steps one after another, stopping before the next destructive step, on a
 * failure or on abort. `stepIds` are the steps the confirmation listed: if the run moved on since,
 * nothing starts and the operator reviews the new list. The state lives on the run
 * (autoRunUntil); the worker queues each next step in the transaction that records a success.
 */
export async function runUntilDestructive(
  actor: Actor,
  input: { runId: string; idempotencyKey: string; stepIds: string[] },
): Promise<RunUntilResult> {
  const key = requireKey(input.idempotencyKey);
  const peek = await getDb().rollbackRun.findUnique({ where: { id: input.runId }, select: { incidentId: true } });
  if (!peek) throw new NotFoundError("No such rollback run.");
  const audit = {
    action: "rollback.run_until_destructive",
    entityType: "RollbackRun",
    entityId: input.runId,
    incidentId: peek.incidentId,
  };
  await authorize(actor, PERMISSION, audit);

  const result = await guarded(actor, audit, async (tx): Promise<RunUntilResult> => {
    // FOR UPDATE on the run: step requests, skips and other run-untils (FOR SHARE / FOR UPDATE) wait.
    await lockRun(tx, input.runId, "update");
    const run = await tx.rollbackRun.findUniqueOrThrow({ where: { id: input.runId } });
    if (run.autoRunKey === key) return { outcome: "already", active: run.autoRunUntil !== null };
    if (run.autoRunUntil !== null) return { outcome: "already", active: true };
    const steps = await tx.rollbackStep.findMany({ where: { runId: run.id }, orderBy: { position: "asc" } });
    const plan = autoRunPlan(run.status, steps);
    if (!plan.ok) throw new StepRefusedError(plan.reason);
    const ids = plan.steps.map((s) => s.id);
    if (!sameList(ids, input.stepIds)) {
      throw new StepRefusedError(
        `The rollback moved on since this confirmation was shown: it would now run ${stepRange(plan.steps)}. Review the list and confirm again.`,
      );
    }
    await assertExecutable(tx, run.decisionId, run.planHash);
    const first = steps.find((s) => s.id === ids[0])!;
    await lockStep(tx, first.id);
    const now = new Date();
    await tx.rollbackRun.update({
      where: { id: run.id },
      data: { autoRunUntil: plan.until, autoRunById: actor.id, autoRunKey: key, autoRunStartedAt: now, version: { increment: 1 } },
    });
    const listed = plan.steps.map((s) => ({ id: s.id, position: s.position, name: s.name }));
    const stopBefore = plan.stopBefore ? { id: plan.stopBefore.id, position: plan.stopBefore.position, name: plan.stopBefore.name } : null;
    await recordTimelineEvent(tx, {
      incidentId: run.incidentId,
      kind: "AUTO_RUN_STARTED",
      actorId: actor.id,
      at: now,
      message: `${actor.name} chose to run ${stepRange(listed)} one after another (${listed.map((s) => `"${s.name}"`).join(", ")}); ${
        stopBefore ? `it stops before step ${stopBefore.position + 1} "${stopBefore.name}" (destructive)` : "that is the rest of the plan"
      }, or on a failure`,
      payload: { runId: run.id, steps: listed, stopBefore },
    });
    await writeAudit(tx, {
      actor,
      ...audit,
      outcome: "ALLOWED",
      details: { steps: listed, stopBefore, until: plan.until, idempotencyKey: key },
    });
    const queued = await queueAttempt(tx, {
      step: first,
      incidentId: run.incidentId,
      actor,
      requestedById: actor.id,
      idempotencyKey: null,
      action: "rollback.step_request",
      details: { via: "run-until-destructive" },
    });
    return { outcome: "started", steps: listed, stopBefore, executionId: queued.executionId };
  });
  if (result.outcome === "started") stepQueued();
  return result;
}

export type StopAutoRunResult =
  | { outcome: "stopped"; runningStep: { id: string; position: number; name: string } | null }
  /** A run-until was started on this run but has already stopped (this same click again, another operator, or on its own). */
  | { outcome: "already" };

/**
 * "Stop after this step": ends an active run-until but keeps the run. The step that is queued or
 * running finishes normally; the worker's hand-over (advanceAutoRun, under the same FOR UPDATE lock
 * on the run) then finds the run-until gone and queues nothing. The run stays open for the operator.
 */
export async function stopRunUntil(actor: Actor, input: { runId: string; incidentId: string }): Promise<StopAutoRunResult> {
  const peek = await getDb().rollbackRun.findUnique({ where: { id: input.runId }, select: { incidentId: true } });
  if (!peek) throw new NotFoundError("No such rollback run.");
  const audit = { action: "rollback.run_until_stop", entityType: "RollbackRun", entityId: input.runId, incidentId: peek.incidentId };
  await authorize(actor, PERMISSION, audit);

  return guarded(actor, audit, async (tx): Promise<StopAutoRunResult> => {
    // FOR UPDATE on the run: the worker's hand-over to the next step takes the same lock.
    await lockRun(tx, input.runId, "update");
    const run = await tx.rollbackRun.findUniqueOrThrow({
      where: { id: input.runId },
      include: { steps: { orderBy: { position: "asc" } } },
    });
    if (run.incidentId !== input.incidentId) throw new StepRefusedError("This rollback run belongs to another incident.");
    if (!isRunOpen(run.status)) throw new StepRefusedError(`This rollback run has ended (${run.status.toLowerCase()}).`);
    if (run.autoRunUntil === null) {
      if (run.autoRunStartedAt !== null) return { outcome: "already" };
      throw new StepRefusedError('"Run until the next destructive step" is not running on this rollback: there is nothing to stop.');
    }
    const current = run.steps.find((s) => s.state === "RUNNING" || s.state === "QUEUED");
    const runningStep = current ? { id: current.id, position: current.position, name: current.name } : null;
    const why = `${actor.name} stopped it${
      runningStep ? `; step ${runningStep.position + 1} "${runningStep.name}" finishes normally` : ""
    }, then the rollback waits for an operator to run each step`;
    await stopAutoRun(tx, run, why, actor);
    await writeAudit(tx, {
      actor,
      ...audit,
      outcome: "ALLOWED",
      details: { until: run.autoRunUntil, startedById: run.autoRunById, runningStep },
    });
    await notifyIncident(tx, run.incidentId);
    return { outcome: "stopped", runningStep };
  });
}

// ───────────────────────────── operator decisions ─────────────────────────────

type AuditTarget = { action: string; entityType: string; entityId: string; incidentId: string };
type OperatorChange<T> = {
  result: T;
  run: { id: string; incidentId: string };
  timeline: { kind: TimelineKind; message: string; payload: Prisma.InputJsonObject; at?: Date };
  details: Prisma.InputJsonObject;
  /** The change itself ended the run (an abort); otherwise the run ends if every step is now done. */
  endedRun?: boolean;
};

/**
 * The shape every operator decision shares: authorize, then in one transaction the change (which
 * locks and checks what it needs), its timeline event, its audit row, the run's end when every
 * step is done, the summary job of a run that ended, and the live notification.
 */
async function operatorChange<T>(actor: Actor, audit: AuditTarget, change: (tx: Tx) => Promise<OperatorChange<T>>): Promise<T> {
  await authorize(actor, PERMISSION, audit);
  return guarded(actor, audit, async (tx) => {
    const c = await change(tx);
    await recordTimelineEvent(tx, { incidentId: c.run.incidentId, actorId: actor.id, ...c.timeline });
    await writeAudit(tx, { actor, ...audit, outcome: "ALLOWED", details: c.details });
    const ended = c.endedRun || (await finishRunIfDone(tx, c.run.id));
    if (ended) await enqueueRollbackSummary(tx, c.run.id);
    await notifyIncident(tx, c.run.incidentId);
    return c.result;
  });
}

/** An INTERRUPTED step that the operator verified by hand: SUCCEEDED with their note, nothing runs. */
export async function markStepDone(actor: Actor, input: { stepId: string; note: string }) {
  const note = requireNote(input.note, "mark it done");
  const ctx = await stepContext(input.stepId);
  const audit = { action: "rollback.step_mark_done", entityType: "RollbackStep", entityId: input.stepId, incidentId: ctx.incidentId };
  return operatorChange(actor, audit, async (tx) => {
    const step = await lockedStepForAction(tx, input.stepId);
    if (step.state !== "INTERRUPTED") {
      throw new StepRefusedError(`Only an interrupted step can be marked done by hand (this one is ${step.state.toLowerCase()}).`);
    }
    if (!isRunOpen(step.run.status)) throw new StepRefusedError(`This rollback run has ended (${step.run.status.toLowerCase()}).`);
    const updated = await tx.rollbackStep.update({
      where: { id: step.id },
      data: { state: "SUCCEEDED", resultNote: note, endedAt: new Date(), lastActorId: actor.id, version: { increment: 1 } },
    });
    return {
      result: updated,
      run: step.run,
      timeline: {
        kind: "STEP_MARKED_DONE",
        message: `${actor.name} marked step ${step.position + 1} "${step.name}" done by hand: ${note}`,
        payload: { runId: step.runId, stepId: step.id, attempt: step.attempts },
      },
      details: { runId: step.runId, position: step.position, previousState: step.state, note },
    };
  });
}

/** Leaves a step out (NOT_STARTED, FAILED or INTERRUPTED), with the operator's reason. */
export async function skipStep(actor: Actor, input: { stepId: string; note: string }) {
  const note = requireNote(input.note, "skip it");
  const ctx = await stepContext(input.stepId);
  const audit = { action: "rollback.step_skip", entityType: "RollbackStep", entityId: input.stepId, incidentId: ctx.incidentId };
  return operatorChange(actor, audit, async (tx) => {
    const step = await lockedStepForAction(tx, input.stepId);
    if (!["NOT_STARTED", "FAILED", "INTERRUPTED"].includes(step.state)) {
      throw new StepRefusedError(`A ${step.state.toLowerCase()} step cannot be skipped.`);
    }
    if (!isRunOpen(step.run.status)) throw new StepRefusedError("This rollback run has ended.");
    const blocking = await blockingEarlierStep(tx, step.runId, step.position);
    if (blocking) throw new StepRefusedError(`Step ${blocking.position + 1} "${blocking.name}" comes first.`);
    const updated = await tx.rollbackStep.update({
      where: { id: step.id },
      data: { state: "SKIPPED", resultNote: note, endedAt: new Date(), lastActorId: actor.id, version: { increment: 1 } },
    });
    return {
      result: updated,
      run: step.run,
      timeline: {
        kind: "STEP_SKIPPED",
        message: `${actor.name} skipped step ${step.position + 1} "${step.name}": ${note}`,
        payload: { runId: step.runId, stepId: step.id, previousState: step.state },
      },
      details: { runId: step.runId, position: step.position, previousState: step.state, note },
    };
  });
}

/**
 * Ends the run by hand. It ends FAILED when it was waiting on a failed or interrupted step (the
 * rollback did not achieve its goal), ABORTED otherwise. NOT_STARTED and QUEUED steps are
 * CANCELED at once; a RUNNING step is signalled (the worker sees the ABORTED run at its next
 * heartbeat and aborts the executor). The incident goes back to ASSESSING: a new decision is needed.
 */
export async function abortRun(actor: Actor, input: { runId: string; reason: string }) {
  const reason = requireNote(input.reason, "abort the run");
  const peek = await getDb().rollbackRun.findUnique({ where: { id: input.runId }, select: { incidentId: true } });
  if (!peek) throw new NotFoundError("No such rollback run.");
  const audit = { action: "rollback.run_abort", entityType: "RollbackRun", entityId: input.runId, incidentId: peek.incidentId };
  return operatorChange(actor, audit, async (tx) => {
    await lockRun(tx, input.runId, "update");
    const run = await tx.rollbackRun.findUniqueOrThrow({ where: { id: input.runId }, include: { steps: true } });
    if (!isRunOpen(run.status)) throw new StepRefusedError(`This run has already ended (${run.status.toLowerCase()}).`);
    const status = operatorEndStatus(run.steps);
    const attention = runAttention(run.status, run.steps);
    const now = new Date();
    const updated = await tx.rollbackRun.update({
      where: { id: run.id },
      data: { status, abortedById: actor.id, abortReason: reason, endedAt: now, autoRunUntil: null, version: { increment: 1 } },
    });
    const canceled = await tx.rollbackStep.updateMany({
      where: { runId: run.id, state: { in: ["NOT_STARTED", "QUEUED"] } },
      data: { state: "CANCELED", endedAt: now, version: { increment: 1 } },
    });
    await tx.stepExecution.updateMany({ where: { step: { runId: run.id }, state: "QUEUED" }, data: { state: "CANCELED", endedAt: now } });
    const running = run.steps.filter((s) => s.state === "RUNNING").length;
    await tx.incident.update({ where: { id: run.incidentId }, data: { status: "ASSESSING", version: { increment: 1 } } });
    const failedStep = attention.kind === "needs-operator" ? attention.step : null;
    const message =
      status === "FAILED" && failedStep
        ? `${actor.name} ended the rollback run as failed after step ${failedStep.position + 1} "${failedStep.name}" was ${failedStep.state.toLowerCase()}: ${reason}`
        : `${actor.name} aborted the rollback run: ${reason}${running ? ` (stopping ${running} running step${running > 1 ? "s" : ""})` : ""}`;
    return {
      result: updated,
      run,
      endedRun: true,
      timeline: {
        kind: status === "FAILED" ? "RUN_ENDED" : "RUN_ABORTED",
        at: now,
        message,
        payload: { runId: run.id, status, canceledSteps: canceled.count, runningSteps: running, failedStepId: failedStep?.id ?? null },
      },
      details: { reason, status, canceledSteps: canceled.count, runningSteps: running },
    };
  });
}
