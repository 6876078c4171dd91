// Recording a rollback decision and approving it. The evidence is frozen when the decision is
// recorded; an approval binds to the exact plan; every transition writes its timeline event and
// audit row in the same transaction as the change.
import "server-only";
import type { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import { type Actor, writeAudit } from "@/lib/audit/log";
import { authorize } from "@/lib/auth/authorize";
import { getDb, type Tx } from "@/lib/db";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { evaluate, getIncidentForEvidence } from "@/lib/incidents/evidence";
import { loadMetricWindows } from "@/lib/metrics/incident-metrics";
import { probeFeatures } from "@/lib/metrics/probes";
import {
  hasDestructiveSteps,
  type Plan,
  parsePlan,
  planHash,
  requiredApprovals,
  STRATEGY_LABELS,
  STRATEGY_TEMPLATES,
  withoutStep,
} from "@/lib/rollback/plans";
import { recordTimelineEvent } from "@/lib/timeline/record";
import { approvalRefusal, approvalState } from "./approval";
import { CRITERIA } from "./criteria";
import { approveDecisionSchema, changePlanSchema, manualCriterionSchema, proposeDecisionSchema, rejectDecisionSchema } from "./schemas";
import { DEFAULT_THRESHOLDS } from "./thresholds";

const TIER_WORDS = { IMMEDIATE: "IMMEDIATE", FAST: "FAST", PLANNED: "PLANNED", MONITOR: "MONITOR" } as const;

/**
 * The plan of a strategy: from the chosen runbook (or the service's only unarchived runbook for the
 * strategy; the most recently saved if several), at its current version, else from the template.
 */
async function planForStrategy(
  serviceId: string,
  strategy: keyof typeof STRATEGY_TEMPLATES,
  runbookId?: string,
): Promise<{ plan: Plan; runbookVersionId: string | null }> {
  const runbook = await getDb().runbook.findFirst({
    where: { serviceId, strategy, archivedAt: null, ...(runbookId ? { id: runbookId } : {}) },
    orderBy: { updatedAt: "desc" },
    select: { id: true, currentVersion: true },
  });
  if (runbookId && !runbook) {
    throw new InvalidInputError("That runbook is not an active runbook of this service for the chosen strategy.", "runbookId");
  }
  const version = runbook
    ? await getDb().runbookVersion.findUnique({ where: { runbookId_version: { runbookId: runbook.id, version: runbook.currentVersion } } })
    : null;
  if (version) return { plan: parsePlan(version.steps), runbookVersionId: version.id };
  if (strategy === "CUSTOM")
    throw new InvalidInputError("This service has no custom runbook yet: an admin configures one under Services.", "strategy");
  return { plan: STRATEGY_TEMPLATES[strategy], runbookVersionId: null };
}

export async function proposeDecision(actor: Actor, raw: z.input<typeof proposeDecisionSchema>) {
  const input = proposeDecisionSchema.parse(raw);
  await authorize(actor, "decision:propose", {
    action: "decision.propose",
    entityType: "Incident",
    entityId: input.incidentId,
    incidentId: input.incidentId,
  });
  const incident = await getIncidentForEvidence({ id: input.incidentId });
  if (!incident) throw new NotFoundError("No such incident.");
  const { plan, runbookVersionId } = await planForStrategy(incident.service.id, input.strategy, input.runbookId);

  // The evidence as it stands now, frozen into the record.
  const now = Date.now();
  const [windows, probes] = await Promise.all([
    loadMetricWindows(incident.service, incident.deployedAt, now),
    probeFeatures(incident.service.criticalFeatures),
  ]);
  const evaluation = evaluate(incident, windows, probes, now);
  const recommendedTier = evaluation?.recommendedTier ?? "MONITOR";
  const hash = planHash(plan);

  return getDb().$transaction(async (tx) => {
    const current = await tx.incident.findUniqueOrThrow({
      where: { id: incident.id },
      select: {
        status: true,
        version: true,
        detectedAt: true,
        usersAffected: true,
        supportTickets: true,
        complaints: true,
        failedTransactions: true,
      },
    });
    if (current.status === "RESOLVED") throw new InvalidInputError("This incident is resolved; reopen it before deciding a rollback.");
    if (["ROLLING_BACK", "VERIFYING"].includes(current.status))
      throw new InvalidInputError("A rollback is already under way for this incident.");

    const superseded = await tx.decision.updateMany({
      where: { incidentId: incident.id, status: { in: ["PROPOSED", "APPROVED"] } },
      data: { status: "VOIDED", statusChangedAt: new Date(), statusReason: "superseded by a newer decision", version: { increment: 1 } },
    });
    if (superseded.count > 0) {
      await recordTimelineEvent(tx, {
        incidentId: incident.id,
        kind: "DECISION_VOIDED",
        actorId: actor.id,
        message: `${actor.name}'s new proposal supersedes the previous decision; its approvals no longer count`,
      });
    }

    const evidence = await tx.evidenceSnapshot.create({
      data: {
        incidentId: incident.id,
        takenById: actor.id,
        takenAt: new Date(now),
        baselineFrom: new Date(windows.baselineWindow.from),
        baselineTo: new Date(windows.baselineWindow.to),
        currentFrom: new Date(windows.currentWindow.from),
        currentTo: new Date(windows.currentWindow.to),
        metrics: { source: windows.source, error: windows.error, assessments: windows.assessments } as unknown as Prisma.InputJsonValue,
        criteria: (evaluation ?? { recommendedTier, criteria: [], metCriteria: [] }) as unknown as Prisma.InputJsonValue,
        probes: probes as unknown as Prisma.InputJsonValue,
        impact: {
          usersAffected: current.usersAffected,
          supportTickets: current.supportTickets,
          complaints: current.complaints,
          failedTransactions: current.failedTransactions,
        },
      },
    });
    const decision = await tx.decision.create({
      data: {
        incidentId: incident.id,
        tier: input.tier,
        recommendedTier,
        strategy: input.strategy,
        reason: input.reason,
        decidedById: actor.id,
        decidedAt: new Date(now),
        evidenceId: evidence.id,
        runbookVersionId,
        plan: plan as unknown as Prisma.InputJsonValue,
        planHash: hash,
        requiredApprovals: requiredApprovals(input.strategy),
      },
    });
    await tx.incident.update({ where: { id: incident.id }, data: { status: "AWAITING_APPROVAL", version: { increment: 1 } } });
    const secondsToDecide = Math.round((now - current.detectedAt.getTime()) / 1000);
    await recordTimelineEvent(tx, {
      incidentId: incident.id,
      kind: "DECISION_PROPOSED",
      actorId: actor.id,
      at: decision.decidedAt,
      message: `${actor.name} proposed a ${TIER_WORDS[input.tier]} ${STRATEGY_LABELS[input.strategy].toLowerCase()} (framework recommended ${recommendedTier}): ${input.reason}`,
      payload: { decisionId: decision.id, tier: input.tier, recommendedTier, strategy: input.strategy, secondsToDecide, planHash: hash },
    });
    await writeAudit(tx, {
      actor,
      action: "decision.propose",
      outcome: "ALLOWED",
      entityType: "Decision",
      entityId: decision.id,
      incidentId: incident.id,
      details: { tier: input.tier, recommendedTier, strategy: input.strategy, planHash: hash, evidenceId: evidence.id },
    });
    return decision;
  });
}

/** Locks the decision row so two approvers cannot both be "the one that completes it". */
async function lockDecision(tx: Tx, decisionId: string) {
  await tx.$queryRaw`SELECT id FROM "Decision" WHERE id = ${decisionId} FOR UPDATE`;
  const decision = await tx.decision.findUnique({
    where: { id: decisionId },
    include: { approvals: true, incident: { select: { id: true, status: true, service: { select: { name: true } } } } },
  });
  if (!decision) throw new NotFoundError("No such decision.");
  return decision;
}

async function denied(actor: Actor, action: string, decisionId: string, incidentId: string | null, reason: string): Promise<never> {
  await writeAudit(getDb(), {
    actor,
    action,
    outcome: "DENIED",
    entityType: "Decision",
    entityId: decisionId,
    incidentId,
    details: { reason },
  });
  throw new ForbiddenError(reason);
}

export async function approveDecision(actor: Actor, raw: z.input<typeof approveDecisionSchema>) {
  const input = approveDecisionSchema.parse(raw);
  await authorize(actor, "decision:approve", { action: "decision.approve", entityType: "Decision", entityId: input.decisionId });
  const peek = await getDb().decision.findUnique({ where: { id: input.decisionId }, include: { approvals: true } });
  if (!peek) throw new NotFoundError("No such decision.");
  const refusal = approvalRefusal(actor, peek, peek.approvals);
  if (refusal) await denied(actor, "decision.approve", peek.id, peek.incidentId, refusal);

  return getDb().$transaction(async (tx) => {
    const decision = await lockDecision(tx, input.decisionId);
    // Re-checked under the lock: someone may have approved, rejected or changed it meanwhile.
    const lockedRefusal = approvalRefusal(actor, decision, decision.approvals);
    if (lockedRefusal) throw new ConflictError(lockedRefusal);
    if (decision.planHash !== input.planHash) {
      throw new ConflictError("The plan changed while you were reviewing it. Review the current plan and approve again.");
    }
    const plan = parsePlan(decision.plan);
    if (hasDestructiveSteps(plan) && input.confirmation !== decision.incident.service.name) {
      throw new InvalidInputError(
        `This plan has destructive steps: type the service name (${decision.incident.service.name}) to approve.`,
        "confirmation",
      );
    }
    await tx.approval.create({ data: { decisionId: decision.id, approverId: actor.id, verdict: "APPROVED", planHash: decision.planHash } });
    const state = approvalState(decision, [
      ...decision.approvals,
      { approverId: actor.id, verdict: "APPROVED", planHash: decision.planHash },
    ]);
    if (state.approved) {
      await tx.decision.update({
        where: { id: decision.id },
        data: { status: "APPROVED", statusChangedAt: new Date(), version: { increment: 1 } },
      });
      await tx.incident.update({ where: { id: decision.incidentId }, data: { status: "APPROVED", version: { increment: 1 } } });
    }
    const secondsToApprove = Math.round((Date.now() - decision.decidedAt.getTime()) / 1000);
    await recordTimelineEvent(tx, {
      incidentId: decision.incidentId,
      kind: "DECISION_APPROVED",
      actorId: actor.id,
      message: state.approved
        ? `${actor.name} approved the rollback plan (${state.approvers.length} of ${state.required}); it may now run`
        : `${actor.name} approved the rollback plan (${state.approvers.length} of ${state.required} approvals: another release manager must approve)`,
      payload: { decisionId: decision.id, planHash: decision.planHash, approved: state.approved, secondsToApprove },
    });
    await writeAudit(tx, {
      actor,
      action: "decision.approve",
      outcome: "ALLOWED",
      entityType: "Decision",
      entityId: decision.id,
      incidentId: decision.incidentId,
      details: { planHash: decision.planHash, approvals: state.approvers.length, required: state.required },
    });
    return state;
  });
}

export async function rejectDecision(actor: Actor, raw: z.input<typeof rejectDecisionSchema>) {
  const input = rejectDecisionSchema.parse(raw);
  await authorize(actor, "decision:approve", { action: "decision.reject", entityType: "Decision", entityId: input.decisionId });
  const peek = await getDb().decision.findUnique({ where: { id: input.decisionId }, include: { approvals: true } });
  if (!peek) throw new NotFoundError("No such decision.");
  const refusal = approvalRefusal(actor, peek, peek.approvals);
  if (refusal) await denied(actor, "decision.reject", peek.id, peek.incidentId, refusal);
  return getDb().$transaction(async (tx) => {
    const decision = await lockDecision(tx, input.decisionId);
    const lockedRefusal = approvalRefusal(actor, decision, decision.approvals);
    if (lockedRefusal) throw new ConflictError(lockedRefusal);
    await tx.approval.create({
      data: { decisionId: decision.id, approverId: actor.id, verdict: "REJECTED", reason: input.reason, planHash: decision.planHash },
    });
    await tx.decision.update({
      where: { id: decision.id },
      data: { status: "REJECTED", statusChangedAt: new Date(), statusReason: input.reason, version: { increment: 1 } },
    });
    await tx.incident.update({ where: { id: decision.incidentId }, data: { status: "ASSESSING", version: { increment: 1 } } });
    await recordTimelineEvent(tx, {
      incidentId: decision.incidentId,
      kind: "DECISION_REJECTED",
      actorId: actor.id,
      message: `${actor.name} rejected the rollback plan: ${input.reason}`,
      payload: { decisionId: decision.id },
    });
    await writeAudit(tx, {
      actor,
      action: "decision.reject",
      outcome: "ALLOWED",
      entityType: "Decision",
      entityId: decision.id,
      incidentId: decision.incidentId,
      details: { reason: input.reason },
    });
  });
}

/** Leaving out an optional step changes the plan, so every approval given so far stops counting. */
export async function changePlan(actor: Actor, raw: z.input<typeof changePlanSchema>) {
  const input = changePlanSchema.parse(raw);
  await authorize(actor, "decision:propose", { action: "decision.change_plan", entityType: "Decision", entityId: input.decisionId });
  return getDb().$transaction(async (tx) => {
    const decision = await lockDecision(tx, input.decisionId);
    if (decision.status !== "PROPOSED" && decision.status !== "APPROVED")
      throw new InvalidInputError("Only a proposed or approved decision's plan can change.");
    const run = await tx.rollbackRun.findFirst({ where: { decisionId: decision.id }, select: { id: true } });
    if (run) throw new InvalidInputError("The rollback has started: the plan can no longer change. Abort the run and propose again.");
    let plan: Plan;
    try {
      plan = withoutStep(parsePlan(decision.plan), input.removeStepKey);
    } catch (e) {
      throw new InvalidInputError(e instanceof Error ? e.message : "That step cannot be removed.");
    }
    const removed = parsePlan(decision.plan).find((s) => s.key === input.removeStepKey)!;
    const hash = planHash(plan);
    const wasApproved = decision.status === "APPROVED";
    await tx.decision.update({
      where: { id: decision.id },
      data: {
        plan: plan as unknown as Prisma.InputJsonValue,
        planHash: hash,
        status: "PROPOSED",
        statusChangedAt: new Date(),
        version: { increment: 1 },
      },
    });
    await tx.incident.update({ where: { id: decision.incidentId }, data: { status: "AWAITING_APPROVAL", version: { increment: 1 } } });
    await recordTimelineEvent(tx, {
      incidentId: decision.incidentId,
      kind: wasApproved || decision.approvals.length > 0 ? "DECISION_VOIDED" : "INCIDENT_UPDATED",
      actorId: actor.id,
      message: `${actor.name} removed "${removed.name}" from the rollback plan${wasApproved || decision.approvals.length > 0 ? "; earlier approvals no longer count and it must be approved again" : ""}`,
      payload: { decisionId: decision.id, previousPlanHash: decision.planHash, planHash: hash },
    });
    await writeAudit(tx, {
      actor,
      action: "decision.change_plan",
      outcome: "ALLOWED",
      entityType: "Decision",
      entityId: decision.id,
      incidentId: decision.incidentId,
      details: { removed: input.removeStepKey, previousPlanHash: decision.planHash, planHash: hash },
    });
  });
}

export async function setManualCriterion(actor: Actor, raw: z.input<typeof manualCriterionSchema>) {
  const input = manualCriterionSchema.parse(raw);
  await authorize(actor, "incident:update", {
    action: "incident.manual_criterion",
    entityType: "Incident",
    entityId: input.incidentId,
    incidentId: input.incidentId,
  });
  const criterion = CRITERIA.find((c) => c.id === input.criterionId);
  return getDb().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Incident" WHERE id = ${input.incidentId} FOR UPDATE`;
    const incident = await tx.incident.findUnique({ where: { id: input.incidentId }, select: { manualCriteria: true } });
    if (!incident) throw new NotFoundError("No such incident.");
    const ticks = { ...((incident.manualCriteria ?? {}) as Record<string, unknown>) };
    ticks[input.criterionId] = { checked: input.checked, note: input.note, by: actor.name, at: new Date().toISOString() };
    await tx.incident.update({
      where: { id: input.incidentId },
      data: { manualCriteria: ticks as Prisma.InputJsonValue, version: { increment: 1 } },
    });
    const name = criterion ? criterion.label(DEFAULT_THRESHOLDS) : input.criterionId;
    await recordTimelineEvent(tx, {
      incidentId: input.incidentId,
      kind: "INCIDENT_UPDATED",
      actorId: actor.id,
      message: `${actor.name} ${input.checked ? "ticked" : "cleared"} "${name}"${input.note ? `: ${input.note}` : ""}`,
      payload: { criterionId: input.criterionId, checked: input.checked },
    });
    await writeAudit(tx, {
      actor,
      action: "incident.manual_criterion",
      outcome: "ALLOWED",
      entityType: "Incident",
      entityId: input.incidentId,
      incidentId: input.incidentId,
      details: { criterionId: input.criterionId, checked: input.checked },
    });
  });
}
