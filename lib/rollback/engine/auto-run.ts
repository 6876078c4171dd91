// "Run until the next destructive step", worker side: after a step's success the next step is
// queued in the same transaction (so a crash can neither lose nor repeat the hand-over), until the
// stored limit is reached; a failure, an interruption, a refused gate or an abort stops it.
import "server-only";
import type { Tx } from "@/lib/db";
import { nextStep } from "@/lib/rollback/run-status";
import { recordTimelineEvent } from "@/lib/timeline/record";
import { queueAttempt } from "./queue";
import { assertExecutable, lockStep, StepRefusedError } from "./shared";
import { stepTransition } from "./state-machine";

/**
 * Ends an active run-until with the reason on the timeline; false when none was active. `by` is the
 * operator who stopped it (the event is theirs); without it the system stopped it.
 */
export async function stopAutoRun(
  tx: Tx,
  run: { id: string; incidentId: string },
  why: string,
  by?: { id: string; name: string },
): Promise<boolean> {
  const stopped = await tx.rollbackRun.updateMany({
    where: { id: run.id, autoRunUntil: { not: null } },
    data: { autoRunUntil: null, version: { increment: 1 } },
  });
  if (stopped.count === 0) return false;
  await recordTimelineEvent(tx, {
    incidentId: run.incidentId,
    kind: "AUTO_RUN_STOPPED",
    ...(by ? { actorId: by.id } : { source: "SYSTEM" as const }),
    message: `"Run until the next destructive step" stopped: ${why}`,
    payload: { runId: run.id, reason: why, stoppedById: by?.id ?? null },
  });
  return true;
}

/**
 * Called by the worker, with the run row locked FOR UPDATE, after a step of the run succeeded and
 * the run did not end: queues the next step when an active run-until covers it, or stops it.
 * Returns the queued execution, if any.
 */
export async function advanceAutoRun(tx: Tx, runId: string): Promise<{ executionId: string } | null> {
  const run = await tx.rollbackRun.findUniqueOrThrow({
    where: { id: runId },
    select: { id: true, incidentId: true, status: true, decisionId: true, planHash: true, autoRunUntil: true, autoRunById: true },
  });
  if (run.autoRunUntil === null) return null;
  const steps = await tx.rollbackStep.findMany({ where: { runId }, orderBy: { position: "asc" } });
  const next = nextStep(steps);
  if (!next) return null; // every step is done: the run ends, finishRunIfDone cleared it
  const label = `step ${next.position + 1} "${next.name}"`;
  if (next.position >= run.autoRunUntil) {
    const why = next.destructive
      ? `${label} is destructive and waits for its own confirmation`
      : `it reached ${label}, where it was asked to stop`;
    await stopAutoRun(tx, run, why);
    return null;
  }
  const request = stepTransition(next.state, "request");
  if (!request.ok || next.destructive) {
    await stopAutoRun(tx, run, `${label} is ${next.destructive ? "destructive" : next.state.toLowerCase()}`);
    return null;
  }
  try {
    await assertExecutable(tx, run.decisionId, run.planHash);
  } catch (e) {
    if (!(e instanceof StepRefusedError)) throw e;
    await stopAutoRun(tx, run, e.message);
    return null;
  }
  await lockStep(tx, next.id);
  const queued = await queueAttempt(tx, {
    step: next,
    move: request,
    incidentId: run.incidentId,
    requestedById: run.autoRunById,
    idempotencyKey: null,
    audit: { actor: null, action: "rollback.step_request", details: { via: "run-until-destructive", requestedById: run.autoRunById } },
  });
  return { executionId: queued.executionId };
}
