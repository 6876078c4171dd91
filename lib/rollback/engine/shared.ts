// Pieces shared by the run mutations and the worker: row locks, the approval gate re-checked
// inside a transaction, run completion and the live-update notification.
import "server-only";
import type { RunStatus, StepState } from "@/generated/prisma/enums";
import type { Tx } from "@/lib/db";
import { isExecutable } from "@/lib/decision/approval";
import { ConflictError } from "@/lib/errors";
import { LIVE_CHANNEL, type LiveTopic, publishLive } from "@/lib/live/publish";
import { recordTimelineEvent } from "@/lib/timeline/record";
import {
  isStepDone,
  isStepSkipped,
  type RunEvent,
  type RunMove,
  runStatusesAccepting,
  runTransition,
  type StepEvent,
  type StepMove,
  stepTransition,
} from "./state-machine";

/** A refusal for a reason of state (order, plan changed, aborted run): a conflict, audited DENIED by the change path. */
export class StepRefusedError extends ConflictError {}

/** The step table's move, or its refusal as a StepRefusedError (the message an operator reads). */
export function requireStepMove<E extends StepEvent>(state: StepState, event: E): StepMove<E> {
  const t = stepTransition(state, event);
  if (!t.ok) throw new StepRefusedError(t.reason);
  return t;
}

/** The run table's move (or guard), or its refusal as a StepRefusedError. */
export function requireRunMove<E extends RunEvent>(status: RunStatus, event: E): RunMove<E> {
  const t = runTransition(status, event);
  if (!t.ok) throw new StepRefusedError(t.reason);
  return t;
}

/** The channel live updates are announced on (lib/live/). */
export const NOTIFY_CHANNEL = LIVE_CHANNEL;

/**
 * Tells every open page of the incident that it changed: a LiveEvent (topic "step" unless told
 * otherwise) announced only if the transaction commits. Step output lines need no call: the
 * StepLogLine trigger publishes them as "steplog" events as they are stored.
 */
export async function notifyIncident(
  tx: Tx,
  incidentId: string,
  event: { topic?: LiveTopic; payload?: unknown; actorId?: string | null } = {},
): Promise<void> {
  await publishLive(tx, incidentId, event.topic ?? "step", event.payload ?? {}, event.actorId ?? null);
}

export async function lockRun(tx: Tx, runId: string, mode: "share" | "update"): Promise<void> {
  if (mode === "share") await tx.$queryRaw`SELECT id FROM "RollbackRun" WHERE id = ${runId} FOR SHARE`;
  else await tx.$queryRaw`SELECT id FROM "RollbackRun" WHERE id = ${runId} FOR UPDATE`;
}

export async function lockStep(tx: Tx, stepId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "RollbackStep" WHERE id = ${stepId} FOR UPDATE`;
}

/** The approval gate, read under a share lock on the decision so a plan change waits for us (and we for it). */
export async function assertExecutable(tx: Tx, decisionId: string, planHashToRun: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Decision" WHERE id = ${decisionId} FOR SHARE`;
  const decision = await tx.decision.findUniqueOrThrow({ where: { id: decisionId }, include: { approvals: true } });
  if (!isExecutable(decision, decision.approvals, planHashToRun)) {
    throw new StepRefusedError(
      "This rollback plan is not approved as it stands (it changed after approval, or approvals are missing): it cannot run.",
    );
  }
}

/** Null when every earlier step of the run is SUCCEEDED or SKIPPED; otherwise the first one that is not. */
export async function blockingEarlierStep(tx: Tx, runId: string, position: number) {
  const earlier = await tx.rollbackStep.findMany({
    where: { runId, position: { lt: position } },
    orderBy: { position: "asc" },
    select: { id: true, name: true, position: true, state: true },
  });
  return earlier.find((s) => !isStepDone(s.state)) ?? null;
}

/**
 * Ends the run when every step is SUCCEEDED or SKIPPED: run SUCCEEDED, incident VERIFYING,
 * timeline RUN_ENDED. A FAILED or INTERRUPTED step keeps the run open for retry, skip or abort.
 */
export async function finishRunIfDone(tx: Tx, runId: string): Promise<boolean> {
  const run = await tx.rollbackRun.findUniqueOrThrow({ where: { id: runId }, include: { steps: { select: { state: true } } } });
  const finish = runTransition(run.status, "finish");
  if (!finish.ok) return false;
  if (!run.steps.every((s) => isStepDone(s.state))) return false;
  const ended = await tx.rollbackRun.updateMany({
    where: { id: runId, status: { in: runStatusesAccepting("finish") } },
    data: { status: finish.to, endedAt: new Date(), autoRunUntil: null, version: { increment: 1 } },
  });
  if (ended.count === 0) return false;
  await tx.incident.update({ where: { id: run.incidentId }, data: { status: "VERIFYING", version: { increment: 1 } } });
  const skipped = run.steps.filter((s) => isStepSkipped(s.state)).length;
  await recordTimelineEvent(tx, {
    incidentId: run.incidentId,
    kind: finish.timelineKind,
    source: "SYSTEM",
    message: `Rollback run finished: all ${run.steps.length} steps done${skipped ? ` (${skipped} skipped)` : ""}; verification can start`,
    payload: { runId, status: finish.to, skipped },
  });
  return true;
}

// In-process wake-up: a worker in the same process picks a queued step at once instead of at its next poll.
const wakeListeners = new Set<() => void>();
export function onStepQueued(listener: () => void): () => void {
  wakeListeners.add(listener);
  return () => wakeListeners.delete(listener);
}
export function stepQueued(): void {
  for (const l of wakeListeners) l();
}

// In-process stop: the worker of this process that runs the execution stops it at once instead of
// at its next heartbeat (a worker elsewhere reads the request from the execution's row).
const stopListeners = new Set<(executionId: string) => void>();
export function onStepStopRequested(listener: (executionId: string) => void): () => void {
  stopListeners.add(listener);
  return () => stopListeners.delete(listener);
}
export function stepStopRequested(executionId: string): void {
  for (const l of stopListeners) l(executionId);
}
