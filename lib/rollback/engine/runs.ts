// Starting a rollback run and the operator's actions on it: run a step, retry it, run until the
// next destructive step, mark done, skip, end the run. Each is a change (lib/incidents/change.ts):
// its input parsed once by lib/rollback/schemas.ts, the role checked, then one transaction that
// locks the rows it changes, re-checks the approval gate, and writes the change, its timeline
// event, its audit row and its live-update notification. Every refusal (the state machine's, the
// gate's, a missing typed confirmation) is a Refusal the change path audits DENIED once. Steps run
// one at a time, in order; the worker (worker.ts) picks up what these changes queue. A run that ends
// gets its rollback summary from a job enqueued in the transaction that ends it (summary/generate.ts).
// Which state allows which action, what it becomes and what an operator is told otherwise is the
// state machine's (state-machine.ts): these changes ask it and compare no states themselves.
import "server-only";
import type { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import type { RunStatus, StepState, TimelineKind } from "@/generated/prisma/enums";
import type { Actor } from "@/lib/audit/log";
import type { Db, Tx } from "@/lib/db";
import { NotFoundError, Refusal, StaleError } from "@/lib/errors";
import { type AuditNote, type ChangeContext, defineChange, requireConfirmation } from "@/lib/incidents/change";
import { parsePlan } from "@/lib/rollback/plans";
import { autoRunPlan, operatorEndEvent, processMayStillRun, runAttention, stepRange } from "@/lib/rollback/run-status";
import {
  abortRunSchema,
  markStepDoneSchema,
  requestStepSchema,
  retryStepSchema,
  runUntilDestructiveSchema,
  skipStepSchema,
  startRunSchema,
  startRunUntilSchema,
  stopRunUntilSchema,
  stopStepSchema,
} from "@/lib/rollback/schemas";
import { enqueueRollbackSummary } from "@/lib/rollback/summary/generate";
import { recordTimelineEvent } from "@/lib/timeline/record";
import { stopAutoRun } from "./auto-run";
import { queueAttempt, queuedDetails } from "./queue";
import {
  assertExecutable,
  blockingEarlierStep,
  finishRunIfDone,
  lockRun,
  lockStep,
  notifyIncident,
  requireRunMove,
  requireStepMove,
  StepRefusedError,
  stepQueued,
  stepStopRequested,
} from "./shared";
import { NEW_RUN_STATUS, stepMoveForAll, stepPhase, stepTransition } from "./state-machine";

export { StepRefusedError } from "./shared";

const PERMISSION = "rollback:execute" as const;

/** The incident of the step, run or decision a change names: its audit rows are filed under it. */
async function stepIncident(input: { stepId: string }, db: Db): Promise<string | null> {
  const step = await db.rollbackStep.findUnique({ where: { id: input.stepId }, select: { run: { select: { incidentId: true } } } });
  return step?.run.incidentId ?? null;
}

async function runIncident(input: { runId: string }, db: Db): Promise<string | null> {
  return (await db.rollbackRun.findUnique({ where: { id: input.runId }, select: { incidentId: true } }))?.incidentId ?? null;
}

async function decisionIncident(input: { decisionId: string }, db: Db): Promise<string | null> {
  return (await db.decision.findUnique({ where: { id: input.decisionId }, select: { incidentId: true } }))?.incidentId ?? null;
}

/** The worker in this process picks a queued step at once (a worker elsewhere finds it at its next poll). */
function wakeWorkerIfQueued(result: { outcome: string }): void {
  if (result.outcome === "queued" || result.outcome === "started") stepQueued();
}

// ───────────────────────────── start ─────────────────────────────

async function applyStartRun({ tx, user, input, now, audit }: ChangeContext<z.output<typeof startRunSchema>, unknown>) {
  const actor = user;
  // The decision lock makes "one run per decision" hold under concurrent starts.
  await tx.$queryRaw`SELECT id FROM "Decision" WHERE id = ${input.decisionId} FOR UPDATE`;
  const decision = await tx.decision.findUnique({
    where: { id: input.decisionId },
    select: { id: true, incidentId: true, planHash: true, plan: true },
  });
  if (!decision) throw new NotFoundError("No such decision.");
  // The page showed another plan than the one there is now: the operator sees the current one first.
  if (decision.planHash !== input.planHash) {
    throw new StaleError("The rollback plan changed since this page was shown. Review the current plan and start again.", {
      planHash: decision.planHash,
    });
  }
  await assertExecutable(tx, decision.id, input.planHash);
  const existing = await tx.rollbackRun.findFirst({
    where: { decisionId: decision.id },
    orderBy: { createdAt: "asc" },
    include: { steps: { orderBy: { position: "asc" } } },
  });
  if (existing) {
    // Started already (a second click, or another operator): nothing changed, nothing to audit.
    audit.skip = true;
    return { run: existing, created: false as const };
  }
  const plan = parsePlan(decision.plan);
  const started = requireRunMove(NEW_RUN_STATUS, "start");

  const run = await tx.rollbackRun.create({
    data: {
      incidentId: decision.incidentId,
      decisionId: decision.id,
      planHash: input.planHash,
      status: started.to,
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
    kind: started.timelineKind,
    actorId: actor.id,
    at: now,
    message: `${actor.name} started the rollback run (${plan.length} steps)`,
    payload: { runId: run.id, decisionId: decision.id, planHash: input.planHash, steps: plan.length },
  });
  Object.assign(audit, {
    entityType: "RollbackRun",
    entityId: run.id,
    details: { decisionId: decision.id, planHash: input.planHash, steps: plan.length },
  });
  await notifyIncident(tx, decision.incidentId);
  return { run, created: true as const };
}

export const startRunChange = defineChange({
  action: "rollback.run_start",
  schema: startRunSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "Decision", entityId: input.decisionId }),
  locate: decisionIncident,
  apply: applyStartRun,
});

export function startRun(actor: Actor, input: z.input<typeof startRunSchema>) {
  return startRunChange.runOrThrow(actor, input);
}

// ───────────────────────────── queueing a step ─────────────────────────────

export type RequestStepResult =
  /** This request queued the step: exactly one request per attempt gets this answer. */
  | { outcome: "queued"; stepId: string; executionId: string; attempt: number }
  /** Someone (or this same click, by idempotency key) already queued it or it is already running or done. */
  | { outcome: "already"; stepId: string; state: StepState; executionId: string | null; attempt: number };

/**
 * Locks the step (and its run for share) and reads it with what the checks need; files the change
 * under the step's incident. The caller decides what states it accepts.
 */
async function lockedStepForAction(tx: Tx, stepId: string) {
  const peek = await tx.rollbackStep.findUnique({ where: { id: stepId }, select: { runId: true } });
  if (!peek) throw new NotFoundError("No such rollback step.");
  await lockRun(tx, peek.runId, "share");
  await lockStep(tx, stepId);
  const step = await tx.rollbackStep.findUniqueOrThrow({
    where: { id: stepId },
    include: { run: { include: { incident: { select: { service: { select: { name: true } } } } } } },
  });
  return step;
}

async function assertRunnable(
  tx: Tx,
  step: { runId: string; position: number; run: { status: RunStatus; decisionId: string; planHash: string } },
) {
  requireRunMove(step.run.status, "queueStep");
  await assertExecutable(tx, step.run.decisionId, step.run.planHash);
  const blocking = await blockingEarlierStep(tx, step.runId, step.position);
  if (blocking) {
    throw new StepRefusedError(`Step ${blocking.position + 1} "${blocking.name}" must succeed (or be skipped) before this one can run.`);
  }
}

/**
 * A destructive step runs only with the service name typed: checked here, in the change, against
 * the step as it is under its lock (the dialog asks for it too, but a request may come from anywhere).
 */
function assertConfirmed(step: { destructive: boolean; run: { incident: { service: { name: string } } } }, typed: string) {
  if (!step.destructive) return;
  const service = step.run.incident.service.name;
  requireConfirmation(typed, service, "confirmation", `This step is destructive: type the service name (${service}) to run it.`);
}

/** Someone (or this same click, by idempotency key) already queued it or it is already running or done. */
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
 * row: one gets "queued" (one execution, one audit row), the others "already" (no audit row: nothing changed).
 */
export const requestStepChange = defineChange({
  action: "rollback.step_request",
  schema: requestStepSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "RollbackStep", entityId: input.stepId }),
  locate: stepIncident,
  async apply({ tx, user, input, audit }): Promise<RequestStepResult> {
    const actor = user;
    const step = await lockedStepForAction(tx, input.stepId);
    // The same click again (a retry of the HTTP request) is the same execution, whatever happened since.
    if (step.idempotencyKey === input.idempotencyKey) {
      audit.skip = true;
      return alreadyResult(tx, step);
    }
    const request = stepTransition(step.state, "request");
    if (!request.ok) {
      if (!request.already) {
        // An ended run's steps say so first: "retry it…" would send the operator nowhere.
        requireRunMove(step.run.status, "queueStep");
        throw new StepRefusedError(request.reason);
      }
      audit.skip = true;
      return alreadyResult(tx, step);
    }
    await assertRunnable(tx, step);
    assertConfirmed(step, input.confirmation);
    const queued = await queueAttempt(tx, {
      step,
      move: request,
      incidentId: step.run.incidentId,
      requestedById: actor.id,
      idempotencyKey: input.idempotencyKey,
    });
    audit.details = { ...queuedDetails(step, queued), idempotencyKey: input.idempotencyKey };
    return queued;
  },
  afterCommit: wakeWorkerIfQueued,
});

export function requestStep(actor: Actor, input: z.input<typeof requestStepSchema>): Promise<RequestStepResult> {
  return requestStepChange.runOrThrow(actor, input);
}

/** A new attempt at an INTERRUPTED or FAILED step, on an operator's word. */
export const retryStepChange = defineChange({
  action: "rollback.step_retry",
  schema: retryStepSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "RollbackStep", entityId: input.stepId }),
  locate: stepIncident,
  async apply({ tx, user, input, audit }): Promise<RequestStepResult> {
    const actor = user;
    const { note } = input;
    const step = await lockedStepForAction(tx, input.stepId);
    if (step.idempotencyKey === input.idempotencyKey) {
      audit.skip = true;
      return alreadyResult(tx, step);
    }
    const retry = requireStepMove(step.state, "retry");
    await assertRunnable(tx, step);
    assertConfirmed(step, input.confirmation);
    // Never a second copy beside the first: when the interrupted attempt's process may still run
    // (on a host recovery could not reach), the operator says they checked it does not.
    const previous = await tx.stepExecution.findUnique({
      where: { stepId_attempt: { stepId: step.id, attempt: step.attempts } },
      select: { state: true, host: true, pid: true, processEndedAt: true },
    });
    const mayRun = processMayStillRun(previous);
    if (mayRun && !input.processChecked) {
      throw new Refusal(
        "confirmation",
        `The interrupted attempt may still be running on ${mayRun.host} (pid ${mayRun.pid}). Check that it is no longer running there, then confirm to retry.`,
        { field: "processChecked", details: { host: mayRun.host, pid: mayRun.pid } },
      );
    }
    await recordTimelineEvent(tx, {
      incidentId: step.run.incidentId,
      kind: retry.timelineKind,
      actorId: actor.id,
      message: `${actor.name} retried step ${step.position + 1} "${step.name}" (attempt ${step.attempts + 1})${note ? `: ${note}` : ""}`,
      payload: { runId: step.runId, stepId: step.id, attempt: step.attempts + 1, retry: true },
    });
    const queued = await queueAttempt(tx, {
      step,
      move: retry,
      incidentId: step.run.incidentId,
      requestedById: actor.id,
      idempotencyKey: input.idempotencyKey,
    });
    audit.details = {
      ...queuedDetails(step, queued),
      previousState: step.state,
      note,
      ...(mayRun ? { processChecked: { host: mayRun.host, pid: mayRun.pid } } : {}),
    };
    return queued;
  },
  afterCommit: wakeWorkerIfQueued,
});

export function retryStep(actor: Actor, input: z.input<typeof retryStepSchema>): Promise<RequestStepResult> {
  return retryStepChange.runOrThrow(actor, input);
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
async function applyRunUntil({
  tx,
  user,
  input,
  now,
  audit,
}: ChangeContext<z.output<typeof runUntilDestructiveSchema>, unknown>): Promise<RunUntilResult> {
  const actor = user;
  const key = input.idempotencyKey;
  // FOR UPDATE on the run: step requests, skips and other run-untils (FOR SHARE / FOR UPDATE) wait.
  await lockRun(tx, input.runId, "update");
  const run = await tx.rollbackRun.findUnique({ where: { id: input.runId } });
  if (!run) throw new NotFoundError("No such rollback run.");
  if (run.autoRunKey === key || run.autoRunUntil !== null) {
    // This same confirmation again, or another one still running the steps: nothing changes.
    audit.skip = true;
    return { outcome: "already", active: run.autoRunUntil !== null };
  }
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
  const request = requireStepMove(first.state, "request");
  await lockStep(tx, first.id);
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
  audit.details = { steps: listed, stopBefore, until: plan.until, idempotencyKey: key };
  // The first step is queued as the worker queues the next ones: with its own step_request row.
  const queued = await queueAttempt(tx, {
    step: first,
    move: request,
    incidentId: run.incidentId,
    requestedById: actor.id,
    idempotencyKey: null,
    audit: { actor, action: "rollback.step_request", details: { via: "run-until-destructive" } },
  });
  return { outcome: "started", steps: listed, stopBefore, executionId: queued.executionId };
}

export const runUntilDestructiveChange = defineChange({
  action: "rollback.run_until_destructive",
  schema: runUntilDestructiveSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "RollbackRun", entityId: input.runId }),
  locate: runIncident,
  apply: applyRunUntil,
  afterCommit: wakeWorkerIfQueued,
});

export function runUntilDestructive(actor: Actor, input: z.input<typeof runUntilDestructiveSchema>): Promise<RunUntilResult> {
  return runUntilDestructiveChange.runOrThrow(actor, input);
}

// ───────────────────────────── start and run until the next destructive step ─────────────────────────────

export type StartRunUntilResult = {
  runId: string;
  /** False: the run had already been started (a second click, another operator); nothing more ran. */
  created: boolean;
  /** The run-until this start began, or why none did (the plan starts with a destructive step). */
  autoRun: RunUntilResult | { outcome: "not-started"; reason: string } | null;
};

/**
 * Starts the run and, in the same transaction, runs it until its next destructive step: the
 * confirmation listed those steps from the plan the plan hash names, so the steps the run creates
 * are the ones shown. Both halves are the start and run-until changes' own (their timeline events,
 * their checks); the one audit row names both. Also the second half of "Approve and start".
 */
export async function applyStartRunUntil(c: ChangeContext<z.output<typeof startRunUntilSchema>, unknown>): Promise<StartRunUntilResult> {
  const startAudit: AuditNote = {};
  const { run, created } = await applyStartRun({
    ...c,
    input: { decisionId: c.input.decisionId, planHash: c.input.planHash },
    audit: startAudit,
  });
  if (!created) {
    c.audit.skip = true;
    return { runId: run.id, created, autoRun: null };
  }
  const plan = autoRunPlan(run.status, run.steps);
  const runAudit: AuditNote = {};
  const autoRun = plan.ok
    ? await applyRunUntil({
        ...c,
        input: { runId: run.id, idempotencyKey: c.input.idempotencyKey, stepIds: plan.steps.map((s) => s.id) },
        audit: runAudit,
      })
    : ({ outcome: "not-started", reason: plan.reason } as const);
  Object.assign(c.audit, {
    entityType: "RollbackRun",
    entityId: run.id,
    details: { start: startAudit.details ?? null, runUntil: runAudit.details ?? null },
  });
  return { runId: run.id, created, autoRun };
}

export const startRunUntilChange = defineChange({
  action: "rollback.run_start_until_destructive",
  schema: startRunUntilSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "Decision", entityId: input.decisionId }),
  locate: decisionIncident,
  apply: applyStartRunUntil,
  afterCommit: wakeWorkerForStart,
});

/** The worker in this process picks the first step of a run-until at once. */
export function wakeWorkerForStart(result: StartRunUntilResult): void {
  if (result.autoRun) wakeWorkerIfQueued(result.autoRun);
}

export function startRunUntil(actor: Actor, input: z.input<typeof startRunUntilSchema>): Promise<StartRunUntilResult> {
  return startRunUntilChange.runOrThrow(actor, input);
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
export const stopRunUntilChange = defineChange({
  action: "rollback.run_until_stop",
  schema: stopRunUntilSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "RollbackRun", entityId: input.runId, incidentId: input.incidentId }),
  async apply({ tx, user, input, audit }): Promise<StopAutoRunResult> {
    const actor = user;
    // FOR UPDATE on the run: the worker's hand-over to the next step takes the same lock.
    await lockRun(tx, input.runId, "update");
    const run = await tx.rollbackRun.findUnique({
      where: { id: input.runId },
      include: { steps: { orderBy: { position: "asc" } } },
    });
    if (!run) throw new NotFoundError("No such rollback run.");
    if (run.incidentId !== input.incidentId) throw new StepRefusedError("This rollback run belongs to another incident.");
    requireRunMove(run.status, "stopRunUntil");
    if (run.autoRunUntil === null) {
      if (run.autoRunStartedAt !== null) {
        // Stopped already (this same click again, another operator, or on its own): nothing changes.
        audit.skip = true;
        return { outcome: "already" };
      }
      throw new StepRefusedError('"Run until the next destructive step" is not running on this rollback: there is nothing to stop.');
    }
    const current = run.steps.find((s) => stepPhase(s.state) === "working");
    const runningStep = current ? { id: current.id, position: current.position, name: current.name } : null;
    const why = `${actor.name} stopped it${
      runningStep ? `; step ${runningStep.position + 1} "${runningStep.name}" finishes normally` : ""
    }, then the rollback waits for an operator to run each step`;
    await stopAutoRun(tx, run, why, actor);
    audit.details = { until: run.autoRunUntil, startedById: run.autoRunById, runningStep };
    await notifyIncident(tx, run.incidentId);
    return { outcome: "stopped", runningStep };
  },
});

export function stopRunUntil(actor: Actor, input: z.input<typeof stopRunUntilSchema>): Promise<StopAutoRunResult> {
  return stopRunUntilChange.runOrThrow(actor, input);
}

// ───────────────────────────── operator decisions ─────────────────────────────

/** An operator decision's answer, and the run it ended (whose summary job is already enqueued). */
type Decided<T> = { result: T; endedRunId: string | null };

/**
 * What every operator decision does after its change (which locks and checks what it needs), in the
 * same transaction: its timeline event, the run's end when every step is now done (unless the
 * change itself ended it) with the job that writes its summary, and the live notification. The
 * change path writes its audit row.
 */
async function recordDecision<T>(
  tx: Tx,
  actor: Actor,
  c: {
    result: T;
    run: { id: string; incidentId: string };
    timeline: { kind: TimelineKind; message: string; payload: Prisma.InputJsonObject; at?: Date };
    /** The change itself ended the run (an abort); otherwise the run ends if every step is now done. */
    endedRun?: boolean;
  },
): Promise<Decided<T>> {
  await recordTimelineEvent(tx, { incidentId: c.run.incidentId, actorId: actor.id, ...c.timeline });
  const ended = c.endedRun || (await finishRunIfDone(tx, c.run.id));
  if (ended) await enqueueRollbackSummary(tx, c.run.id);
  await notifyIncident(tx, c.run.incidentId);
  return { result: c.result, endedRunId: ended ? c.run.id : null };
}

/** An INTERRUPTED step that the operator verified by hand: SUCCEEDED with their note, nothing runs. */
export const markStepDoneChange = defineChange({
  action: "rollback.step_mark_done",
  schema: markStepDoneSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "RollbackStep", entityId: input.stepId }),
  locate: stepIncident,
  async apply({ tx, user, input: { note, stepId }, now, audit }) {
    const actor = user;
    const step = await lockedStepForAction(tx, stepId);
    const done = requireStepMove(step.state, "markDone");
    requireRunMove(step.run.status, "markStepDone");
    const updated = await tx.rollbackStep.update({
      where: { id: step.id },
      data: { state: done.to, resultNote: note, endedAt: now, lastActorId: actor.id, version: { increment: 1 } },
    });
    audit.details = { runId: step.runId, position: step.position, previousState: step.state, note };
    return recordDecision(tx, actor, {
      result: updated,
      run: step.run,
      timeline: {
        kind: done.timelineKind,
        message: `${actor.name} marked step ${step.position + 1} "${step.name}" done by hand: ${note}`,
        payload: { runId: step.runId, stepId: step.id, attempt: step.attempts },
      },
    });
  },
});

export async function markStepDone(actor: Actor, input: z.input<typeof markStepDoneSchema>) {
  return (await markStepDoneChange.runOrThrow(actor, input)).result;
}

/** Leaves a step out (NOT_STARTED, FAILED or INTERRUPTED), with the operator's reason. */
export const skipStepChange = defineChange({
  action: "rollback.step_skip",
  schema: skipStepSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "RollbackStep", entityId: input.stepId }),
  locate: stepIncident,
  async apply({ tx, user, input: { note, stepId }, now, audit }) {
    const actor = user;
    const step = await lockedStepForAction(tx, stepId);
    const skip = requireStepMove(step.state, "skip");
    requireRunMove(step.run.status, "skipStep");
    const blocking = await blockingEarlierStep(tx, step.runId, step.position);
    if (blocking) throw new StepRefusedError(`Step ${blocking.position + 1} "${blocking.name}" comes first.`);
    const updated = await tx.rollbackStep.update({
      where: { id: step.id },
      data: { state: skip.to, resultNote: note, endedAt: now, lastActorId: actor.id, version: { increment: 1 } },
    });
    audit.details = { runId: step.runId, position: step.position, previousState: step.state, note };
    return recordDecision(tx, actor, {
      result: updated,
      run: step.run,
      timeline: {
        kind: skip.timelineKind,
        message: `${actor.name} skipped step ${step.position + 1} "${step.name}": ${note}`,
        payload: { runId: step.runId, stepId: step.id, previousState: step.state },
      },
    });
  },
});

export async function skipStep(actor: Actor, input: z.input<typeof skipStepSchema>) {
  return (await skipStepChange.runOrThrow(actor, input)).result;
}

export type StopStepResult =
  /** A queued step: canceled at once, nothing ran. */
  | { outcome: "canceled"; stepId: string }
  /** A running step: its worker ends the executor (process group TERM, then KILL after the grace period; or the request). */
  | { outcome: "stopping"; stepId: string; executionId: string }
  /** Someone already asked to stop this attempt. */
  | { outcome: "already"; stepId: string };

/**
 * "Stop this step": a hung command or request is ended without ending the run. A queued step is
 * canceled at once; for a running one the stop is recorded on its execution, and its worker (at
 * once in this process, at its next heartbeat elsewhere) stops the executor and records the step
 * CANCELED with who and why. The run stays open and waits for an operator (retry, mark done,
 * skip); the incident stays in its rollback.
 */
export const stopStepChange = defineChange({
  action: "rollback.step_stop",
  schema: stopStepSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "RollbackStep", entityId: input.stepId }),
  locate: stepIncident,
  async apply({ tx, user, input: { stepId, reason }, now, audit }): Promise<Decided<StopStepResult>> {
    const actor = user;
    const step = await lockedStepForAction(tx, stepId);
    requireRunMove(step.run.status, "stopStep");
    const stop = requireStepMove(step.state, "operatorStop");
    const execution = await tx.stepExecution.findUnique({ where: { stepId_attempt: { stepId: step.id, attempt: step.attempts } } });
    if (!execution) throw new NotFoundError("This step has no attempt to stop.");
    const label = `step ${step.position + 1} "${step.name}"`;
    audit.details = { runId: step.runId, executionId: execution.id, attempt: execution.attempt, previousState: step.state, reason };
    const requested = { stopRequestedAt: now, stopRequestedById: actor.id, stopReason: reason };
    const running = stepTransition(execution.state, "succeed").ok;
    if (!running) {
      // Queued: no worker has it yet (the claim locks the step too), so nothing ran and nothing will.
      const error = `Stopped by ${actor.name} before it started: ${reason}`;
      await tx.stepExecution.update({
        where: { id: execution.id },
        data: { ...requested, state: requireStepMove(execution.state, "operatorStop").to, endedAt: now, error },
      });
      await tx.rollbackStep.update({
        where: { id: step.id },
        data: { state: stop.to, endedAt: now, error, lastActorId: actor.id, version: { increment: 1 } },
      });
      await stopAutoRun(tx, step.run, `${label} was stopped`, actor);
      return recordDecision(tx, actor, {
        result: { outcome: "canceled", stepId: step.id },
        run: step.run,
        timeline: {
          kind: stop.timelineKind,
          at: now,
          message: `${actor.name} stopped ${label} before it started: ${reason}`,
          payload: { runId: step.runId, stepId: step.id, executionId: execution.id, attempt: execution.attempt },
        },
      });
    }
    if (execution.stopRequestedAt) {
      audit.skip = true;
      return { result: { outcome: "already", stepId: step.id }, endedRunId: null };
    }
    await tx.stepExecution.update({ where: { id: execution.id }, data: requested });
    await tx.rollbackStep.update({ where: { id: step.id }, data: { lastActorId: actor.id, version: { increment: 1 } } });
    // Nothing more is queued after it, whatever it ends as.
    await stopAutoRun(tx, step.run, `${label} is being stopped`, actor);
    // The step's CANCELED (STEP_CANCELED) is recorded by its worker once the executor has ended.
    return recordDecision(tx, actor, {
      result: { outcome: "stopping", stepId: step.id, executionId: execution.id },
      run: step.run,
      timeline: {
        kind: "NOTE",
        at: now,
        message: `${actor.name} is stopping ${label}: ${reason}`,
        payload: { runId: step.runId, stepId: step.id, executionId: execution.id, attempt: execution.attempt, stop: true },
      },
    });
  },
  afterCommit: ({ result }) => {
    if (result.outcome === "stopping") stepStopRequested(result.executionId);
  },
});

export async function stopStep(actor: Actor, input: z.input<typeof stopStepSchema>) {
  return (await stopStepChange.runOrThrow(actor, input)).result;
}

/**
 * Ends the run by hand. It ends FAILED when it was waiting on a failed or interrupted step (the
 * rollback did not achieve its goal), ABORTED otherwise. NOT_STARTED and QUEUED steps are
 * CANCELED at once; a RUNNING step is signalled (the worker sees the ABORTED run at its next
 * heartbeat and aborts the executor). The incident goes back to ASSESSING: a new decision is needed.
 */
export const abortRunChange = defineChange({
  action: "rollback.run_abort",
  schema: abortRunSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "RollbackRun", entityId: input.runId }),
  locate: runIncident,
  async apply({ tx, user, input: { reason, runId }, now, audit }) {
    const actor = user;
    await lockRun(tx, runId, "update");
    const run = await tx.rollbackRun.findUnique({ where: { id: runId }, include: { steps: true } });
    if (!run) throw new NotFoundError("No such rollback run.");
    const end = requireRunMove(run.status, operatorEndEvent(run.steps));
    const status = end.to;
    const attention = runAttention(run.status, run.steps);
    const updated = await tx.rollbackRun.update({
      where: { id: run.id },
      data: { status, abortedById: actor.id, abortReason: reason, endedAt: now, autoRunUntil: null, version: { increment: 1 } },
    });
    // Steps that have not run are canceled now (an execution is never NOT_STARTED, so only queued ones
    // match); a running step is stopped by its worker, which sees the ended run at its next heartbeat.
    const cancel = stepMoveForAll("cancel");
    const canceled = await tx.rollbackStep.updateMany({
      where: { runId: run.id, state: { in: cancel.from } },
      data: { state: cancel.to, endedAt: now, version: { increment: 1 } },
    });
    await tx.stepExecution.updateMany({
      where: { step: { runId: run.id }, state: { in: cancel.from } },
      data: { state: cancel.to, endedAt: now },
    });
    const running = run.steps.filter((s) => stepTransition(s.state, "stop").ok).length;
    await tx.incident.update({ where: { id: run.incidentId }, data: { status: "ASSESSING", version: { increment: 1 } } });
    const failedStep = attention.kind === "needs-operator" ? attention.step : null;
    // failedStep is set exactly when the run ends as failed (operatorEndEvent asks the same question).
    const message = failedStep
      ? `${actor.name} ended the rollback run as failed after step ${failedStep.position + 1} "${failedStep.name}" was ${failedStep.state.toLowerCase()}: ${reason}`
      : `${actor.name} aborted the rollback run: ${reason}${running ? ` (stopping ${running} running step${running > 1 ? "s" : ""})` : ""}`;
    audit.details = { reason, status, canceledSteps: canceled.count, runningSteps: running };
    return recordDecision(tx, actor, {
      result: updated,
      run,
      endedRun: true,
      timeline: {
        kind: end.timelineKind,
        at: now,
        message,
        payload: { runId: run.id, status, canceledSteps: canceled.count, runningSteps: running, failedStepId: failedStep?.id ?? null },
      },
    });
  },
});

export async function abortRun(actor: Actor, input: z.input<typeof abortRunSchema>) {
  return (await abortRunChange.runOrThrow(actor, input)).result;
}
