// Queueing one attempt at a step: the step goes QUEUED, an execution row is created (its
// (stepId, attempt) is unique, so the same attempt can never be queued twice). Used by an
// operator's click and by "run until the next destructive step" in the worker.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { type Actor, writeAudit } from "@/lib/audit/log";
import type { Tx } from "@/lib/db";
import { notifyIncident } from "./shared";
import type { StepMove } from "./state-machine";

export type QueueRequest = {
  step: { id: string; attempts: number; position: number; runId: string };
  /** The table's move that queues it (a request or a retry), checked by the caller. */
  move: StepMove<"request" | "retry">;
  incidentId: string;
  requestedById: string | null;
  idempotencyKey: string | null;
  /**
   * The queueing's own audit row, for a step queued as part of something else (run until…, by an
   * operator or by the worker; actor null when the worker queues it on behalf of requestedById).
   * An operator's request or retry is a change: the change path writes its row (with `queuedDetails`).
   */
  audit?: { actor: Actor | null; action: string; details: Prisma.InputJsonObject };
};

export type Queued = { outcome: "queued"; stepId: string; executionId: string; attempt: number };

/** What an audit row says about a queued attempt. */
export function queuedDetails(step: QueueRequest["step"], queued: Queued): Prisma.InputJsonObject {
  return { runId: step.runId, position: step.position, attempt: queued.attempt, executionId: queued.executionId };
}

/** Call with the step row locked and its move taken from the table. The new execution starts where the step goes. */
export async function queueAttempt(tx: Tx, r: QueueRequest): Promise<Queued> {
  const attempt = r.step.attempts + 1;
  const now = new Date();
  await tx.rollbackStep.update({
    where: { id: r.step.id },
    data: {
      state: r.move.to,
      attempts: attempt,
      idempotencyKey: r.idempotencyKey,
      queuedAt: now,
      startedAt: null,
      endedAt: null,
      error: null,
      lastActorId: r.requestedById,
      version: { increment: 1 },
    },
  });
  const execution = await tx.stepExecution.create({
    data: { stepId: r.step.id, attempt, state: r.move.to, requestedById: r.requestedById },
  });
  const queued = { outcome: "queued" as const, stepId: r.step.id, executionId: execution.id, attempt };
  if (r.audit) {
    await writeAudit(tx, {
      actor: r.audit.actor,
      action: r.audit.action,
      outcome: "ALLOWED",
      entityType: "RollbackStep",
      entityId: r.step.id,
      incidentId: r.incidentId,
      details: { ...queuedDetails(r.step, queued), ...r.audit.details },
    });
  }
  await notifyIncident(tx, r.incidentId);
  return queued;
}
