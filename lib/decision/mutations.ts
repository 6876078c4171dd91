// Recording a rollback decision and approving it, through the change path
// (lib/incidents/change.ts). The evidence is frozen when the decision is recorded; an approval
// binds to the exact plan; every transition writes its timeline event in the same transaction as
// the change, and every refusal — the role, the proposer, a second approval, a stale plan — is
// audited once by the runner.
import "server-only";
import type { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import type { Actor } from "@/lib/audit/log";
import type { Db, Tx } from "@/lib/db";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError, Refusal, StaleError } from "@/lib/errors";
import { type AuditNote, type ChangeContext, defineChange } from "@/lib/incidents/change";
import { evaluate, getIncidentForEvidence } from "@/lib/incidents/evidence";
import { loadMetricWindows } from "@/lib/metrics/incident-metrics";
import { probeFeatures } from "@/lib/metrics/probes";
import { freezeReadiness } from "@/lib/readiness/frozen";
import { describeCheck, failedChecks, parseFrozenReadiness } from "@/lib/readiness/types";
import { applyStartRunUntil, type StartRunUntilResult, wakeWorkerForStart } from "@/lib/rollback/engine/runs";
import { planHash } from "@/lib/rollback/plan-hash";
import {
  hasDestructiveSteps,
  type Plan,
  parsePlan,
  requiredApprovals,
  STRATEGY_LABELS,
  STRATEGY_TEMPLATES,
  withoutStep,
} from "@/lib/rollback/plans";
import { recordTimelineEvent } from "@/lib/timeline/record";
import { approvalRefusal, approvalState } from "./approval";
import { CRITERIA } from "./criteria";
import {
  approveAndStartSchema,
  approveDecisionSchema,
  changePlanSchema,
  manualCriterionSchema,
  proposeDecisionSchema,
  rejectDecisionSchema,
} from "./schemas";
import { DEFAULT_THRESHOLDS } from "./thresholds";

const TIER_WORDS = { IMMEDIATE: "IMMEDIATE", FAST: "FAST", PLANNED: "PLANNED", MONITOR: "MONITOR" } as const;

/**
 * The plan of a strategy: from the chosen runbook (or the service's only unarchived runbook for the
 * strategy; the most recently saved if several), at its current version, else from the template.
 */
async function planForStrategy(
  db: Db,
  serviceId: string,
  strategy: keyof typeof STRATEGY_TEMPLATES,
  runbookId?: string,
): Promise<{ plan: Plan; runbookVersionId: string | null; runbookId: string | null }> {
  const runbook = await db.runbook.findFirst({
    where: { serviceId, strategy, archivedAt: null, ...(runbookId ? { id: runbookId } : {}) },
    orderBy: { updatedAt: "desc" },
    select: { id: true, currentVersion: true },
  });
  if (runbookId && !runbook) {
    throw new InvalidInputError("That runbook is not an active runbook of this service for the chosen strategy.", "runbookId");
  }
  const version = runbook
    ? await db.runbookVersion.findUnique({ where: { runbookId_version: { runbookId: runbook.id, version: runbook.currentVersion } } })
    : null;
  if (version) return { plan: parsePlan(version.steps), runbookVersionId: version.id, runbookId: version.runbookId };
  if (strategy === "CUSTOM")
    throw new InvalidInputError("This service has no custom runbook yet: an admin configures one under Services.", "strategy");
  return { plan: STRATEGY_TEMPLATES[strategy], runbookVersionId: null, runbookId: null };
}

/** A proposal freezes feature probes started at most this long ago (the page's 5 s poll keeps them so). */
export const PROPOSAL_PROBE_REUSE_MS = 10_000;

/**
 * Proposing a rollback. The slow part — the incident's metrics, its feature probes, the framework's
 * evaluation — is read before the transaction and frozen into the record inside it.
 */
export const proposeDecisionChange = defineChange({
  action: "decision.propose",
  schema: proposeDecisionSchema,
  permission: "decision:propose",
  target: (input) => ({ entityType: "Incident", entityId: input.incidentId, incidentId: input.incidentId }),
  async prepare({ input, now, db }) {
    const incident = await getIncidentForEvidence({ id: input.incidentId });
    if (!incident) throw new NotFoundError("No such incident.");
    const { plan, runbookVersionId, runbookId } = await planForStrategy(db, incident.service.id, input.strategy, input.runbookId);
    const at = now.getTime();
    // The metrics are read now. The feature probes and the readiness checks are those the proposer
    // was looking at when recent enough (the page's poll probed a few seconds ago, its readiness panel
    // checked when it opened), else they run now, in the same bounded wait (8 s at most). Each keeps
    // the time it ran, frozen with it.
    const [windows, probes, readiness] = await Promise.all([
      loadMetricWindows(incident.service, incident.deployedAt, at),
      probeFeatures(incident.service.criticalFeatures, { reuseWithinMs: PROPOSAL_PROBE_REUSE_MS }),
      freezeReadiness(incident.service.id, input.strategy, runbookId),
    ]);
    return { plan, runbookVersionId, windows, probes, readiness, evaluation: evaluate(incident, windows, probes, at) };
  },
  async apply({ tx, user, input, prepared, now, audit }) {
    const actor = user;
    const { plan, runbookVersionId, windows, probes, readiness, evaluation } = prepared;
    const recommendedTier = evaluation?.recommendedTier ?? "MONITOR";
    const hash = planHash(plan);
    // Two proposals at once: the second waits here and supersedes the first.
    await tx.$queryRaw`SELECT id FROM "Incident" WHERE id = ${input.incidentId} FOR UPDATE`;
    const current = await tx.incident.findUniqueOrThrow({
      where: { id: input.incidentId },
      select: {
        status: true,
        detectedAt: true,
        usersAffected: true,
        supportTickets: true,
        complaints: true,
        failedTransactions: true,
      },
    });
    if (current.status === "RESOLVED") throw new ConflictError("This incident is resolved; reopen it before deciding a rollback.");
    if (["ROLLING_BACK", "VERIFYING"].includes(current.status))
      throw new ConflictError("A rollback is already under way for this incident.");

    const superseded = await tx.decision.updateMany({
      where: { incidentId: input.incidentId, status: { in: ["PROPOSED", "APPROVED"] } },
      data: { status: "VOIDED", statusChangedAt: now, statusReason: "superseded by a newer decision", version: { increment: 1 } },
    });
    if (superseded.count > 0) {
      await recordTimelineEvent(tx, {
        incidentId: input.incidentId,
        kind: "DECISION_VOIDED",
        actorId: actor.id,
        message: `${actor.name}'s new proposal supersedes the previous decision; its approvals no longer count`,
      });
    }

    const evidence = await tx.evidenceSnapshot.create({
      data: {
        incidentId: input.incidentId,
        takenById: actor.id,
        takenAt: now,
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
        readiness: readiness as unknown as Prisma.InputJsonValue,
      },
    });
    const decision = await tx.decision.create({
      data: {
        incidentId: input.incidentId,
        tier: input.tier,
        recommendedTier,
        strategy: input.strategy,
        reason: input.reason,
        decidedById: actor.id,
        decidedAt: now,
        evidenceId: evidence.id,
        runbookVersionId,
        plan: plan as unknown as Prisma.InputJsonValue,
        planHash: hash,
        requiredApprovals: requiredApprovals(input.strategy),
        startOnApproval: input.startOnApproval,
      },
    });
    await tx.incident.update({ where: { id: input.incidentId }, data: { status: "AWAITING_APPROVAL", version: { increment: 1 } } });
    const secondsToDecide = Math.round((now.getTime() - current.detectedAt.getTime()) / 1000);
    await recordTimelineEvent(tx, {
      incidentId: input.incidentId,
      kind: "DECISION_PROPOSED",
      actorId: actor.id,
      at: decision.decidedAt,
      message: `${actor.name} proposed a ${TIER_WORDS[input.tier]} ${STRATEGY_LABELS[input.strategy].toLowerCase()} (framework recommended ${recommendedTier})${input.startOnApproval ? ", to start on approval" : ""}: ${input.reason}`,
      payload: {
        decisionId: decision.id,
        tier: input.tier,
        recommendedTier,
        strategy: input.strategy,
        startOnApproval: input.startOnApproval,
        secondsToDecide,
        planHash: hash,
        failedReadinessChecks: failedChecks(readiness.checks).map(describeCheck),
      },
    });
    Object.assign(audit, {
      entityType: "Decision",
      entityId: decision.id,
      details: {
        tier: input.tier,
        recommendedTier,
        strategy: input.strategy,
        planHash: hash,
        evidenceId: evidence.id,
        startOnApproval: input.startOnApproval,
        failedReadinessChecks: failedChecks(readiness.checks).map((c) => c.id),
      },
    });
    return decision;
  },
});

export function proposeDecision(actor: Actor, raw: z.input<typeof proposeDecisionSchema>) {
  return proposeDecisionChange.runOrThrow(actor, raw);
}

/** Locks the decision row so two approvers cannot both be "the one that completes it". */
async function lockDecision(tx: Tx, decisionId: string) {
  await tx.$queryRaw`SELECT id FROM "Decision" WHERE id = ${decisionId} FOR UPDATE`;
  const decision = await tx.decision.findUnique({
    where: { id: decisionId },
    include: {
      approvals: true,
      incident: { select: { id: true, status: true, service: { select: { name: true } } } },
      evidence: { select: { readiness: true } },
    },
  });
  if (!decision) throw new NotFoundError("No such decision.");
  return decision;
}

/** Under the decision's lock: may this release manager approve or reject it now? */
function assertMayVote(actor: Actor, decision: Awaited<ReturnType<typeof lockDecision>>) {
  const refusal = approvalRefusal(actor, decision, decision.approvals);
  if (refusal) throw refusal.code === "forbidden" ? new ForbiddenError(refusal.message) : new ConflictError(refusal.message);
}

async function applyApproveDecision({ tx, user, input, now, audit }: ChangeContext<z.output<typeof approveDecisionSchema>, unknown>) {
  const actor = user;
  const decision = await lockDecision(tx, input.decisionId);
  audit.incidentId = decision.incidentId;
  // Under the lock: someone may have approved, rejected or changed it since the page was drawn.
  assertMayVote(actor, decision);
  if (decision.planHash !== input.planHash) {
    throw new StaleError("The plan changed while you were reviewing it. Review the current plan and approve again.", {
      planHash: decision.planHash,
    });
  }
  const plan = parsePlan(decision.plan);
  const serviceName = decision.incident.service.name;
  if (hasDestructiveSteps(plan) && input.confirmation !== serviceName) {
    throw new Refusal("confirmation", `This plan has destructive steps: type the service name (${serviceName}) to approve.`, {
      field: "confirmation",
    });
  }
  // Readiness checks that failed at the proposal are approved past only knowingly: the approver
  // says so, and it is recorded (here on the timeline and in the audit row).
  const failed = failedChecks(parseFrozenReadiness(decision.evidence.readiness)?.checks ?? []);
  if (failed.length > 0 && !input.acknowledgeFailedChecks) {
    throw new Refusal(
      "confirmation",
      `${failed.length === 1 ? "A readiness check" : `${failed.length} readiness checks`} failed when the rollback was proposed (${failed.map(describeCheck).join("; ")}): acknowledge ${failed.length === 1 ? "it" : "them"} to approve.`,
      { field: "acknowledgeFailedChecks", details: { failedReadinessChecks: failed.map((c) => c.id) } },
    );
  }
  const acknowledged = failed.length > 0 ? failed.map(describeCheck) : undefined;
  await tx.approval.create({ data: { decisionId: decision.id, approverId: actor.id, verdict: "APPROVED", planHash: decision.planHash } });
  const state = approvalState(decision, [
    ...decision.approvals,
    { approverId: actor.id, verdict: "APPROVED", planHash: decision.planHash },
  ]);
  if (state.approved) {
    await tx.decision.update({
      where: { id: decision.id },
      data: { status: "APPROVED", statusChangedAt: now, version: { increment: 1 } },
    });
    await tx.incident.update({ where: { id: decision.incidentId }, data: { status: "APPROVED", version: { increment: 1 } } });
  }
  const secondsToApprove = Math.round((now.getTime() - decision.decidedAt.getTime()) / 1000);
  await recordTimelineEvent(tx, {
    incidentId: decision.incidentId,
    kind: "DECISION_APPROVED",
    actorId: actor.id,
    message: `${
      state.approved
        ? `${actor.name} approved the rollback plan (${state.approvers.length} of ${state.required}); it may now run`
        : `${actor.name} approved the rollback plan (${state.approvers.length} of ${state.required} approvals: another release manager must approve)`
    }${acknowledged ? `, acknowledging failed readiness checks: ${acknowledged.join("; ")}` : ""}`,
    payload: {
      decisionId: decision.id,
      planHash: decision.planHash,
      approved: state.approved,
      secondsToApprove,
      ...(acknowledged ? { acknowledgedFailedChecks: acknowledged } : {}),
    },
  });
  audit.details = {
    planHash: decision.planHash,
    approvals: state.approvers.length,
    required: state.required,
    ...(acknowledged ? { acknowledgedFailedChecks: failed.map((c) => c.id) } : {}),
  };
  return state;
}

export const approveDecisionChange = defineChange({
  action: "decision.approve",
  schema: approveDecisionSchema,
  permission: "decision:approve",
  target: (input) => ({ entityType: "Decision", entityId: input.decisionId }),
  apply: applyApproveDecision,
});

export function approveDecision(actor: Actor, raw: z.input<typeof approveDecisionSchema>) {
  return approveDecisionChange.runOrThrow(actor, raw);
}

/**
 * "Approve and start", offered when the proposer asked for the rollback to start on approval: the
 * approval (every check of "Approve plan": not the proposer, the plan hash, the typed confirmation,
 * the readiness acknowledgement) and the start of the run until its next destructive step, in one
 * transaction. Either both happen or neither: a plan that still needs another approver is refused
 * here and approved with "Approve plan". Both are on the timeline; the audit row names both.
 */
export const approveAndStartChange = defineChange({
  action: "decision.approve_and_start",
  schema: approveAndStartSchema,
  permission: "decision:approve",
  target: (input) => ({ entityType: "Decision", entityId: input.decisionId }),
  async apply(c): Promise<StartRunUntilResult> {
    const { tx, input, audit } = c;
    const asked = await tx.decision.findUnique({ where: { id: input.decisionId }, select: { startOnApproval: true } });
    if (!asked) throw new NotFoundError("No such decision.");
    if (!asked.startOnApproval)
      throw new ConflictError("The proposer did not ask for this rollback to start on approval: approve it, and a responder starts it.");
    const approveAudit: AuditNote = {};
    const state = await applyApproveDecision({ ...c, audit: approveAudit });
    if (!state.approved)
      throw new ConflictError(
        `This plan needs ${state.required} approvals (${state.approvers.length} with yours): approve it, and start it once it is approved.`,
      );
    const startAudit: AuditNote = {};
    const started = await applyStartRunUntil({
      ...c,
      input: { decisionId: input.decisionId, planHash: input.planHash, idempotencyKey: input.idempotencyKey },
      audit: startAudit,
    });
    Object.assign(audit, {
      incidentId: approveAudit.incidentId,
      details: { approval: approveAudit.details ?? null, start: startAudit.details ?? null, runId: started.runId },
    });
    return started;
  },
  afterCommit: wakeWorkerForStart,
});

export function approveAndStart(actor: Actor, raw: z.input<typeof approveAndStartSchema>) {
  return approveAndStartChange.runOrThrow(actor, raw);
}

export const rejectDecisionChange = defineChange({
  action: "decision.reject",
  schema: rejectDecisionSchema,
  permission: "decision:approve",
  target: (input) => ({ entityType: "Decision", entityId: input.decisionId }),
  async apply({ tx, user, input, now, audit }) {
    const actor = user;
    const decision = await lockDecision(tx, input.decisionId);
    audit.incidentId = decision.incidentId;
    assertMayVote(actor, decision);
    await tx.approval.create({
      data: { decisionId: decision.id, approverId: actor.id, verdict: "REJECTED", reason: input.reason, planHash: decision.planHash },
    });
    await tx.decision.update({
      where: { id: decision.id },
      data: { status: "REJECTED", statusChangedAt: now, statusReason: input.reason, version: { increment: 1 } },
    });
    await tx.incident.update({ where: { id: decision.incidentId }, data: { status: "ASSESSING", version: { increment: 1 } } });
    await recordTimelineEvent(tx, {
      incidentId: decision.incidentId,
      kind: "DECISION_REJECTED",
      actorId: actor.id,
      message: `${actor.name} rejected the rollback plan: ${input.reason}`,
      payload: { decisionId: decision.id },
    });
    audit.details = { reason: input.reason };
  },
});

export function rejectDecision(actor: Actor, raw: z.input<typeof rejectDecisionSchema>) {
  return rejectDecisionChange.runOrThrow(actor, raw);
}

/** Leaving out an optional step changes the plan, so every approval given so far stops counting. */
export const changePlanChange = defineChange({
  action: "decision.change_plan",
  schema: changePlanSchema,
  permission: "decision:propose",
  target: (input) => ({ entityType: "Decision", entityId: input.decisionId }),
  async apply({ tx, user, input, now, audit }) {
    const actor = user;
    const decision = await lockDecision(tx, input.decisionId);
    audit.incidentId = decision.incidentId;
    if (decision.status !== "PROPOSED" && decision.status !== "APPROVED")
      throw new ConflictError("Only a proposed or approved decision's plan can change.");
    const run = await tx.rollbackRun.findFirst({ where: { decisionId: decision.id }, select: { id: true } });
    if (run) throw new ConflictError("The rollback has started: the plan can no longer change. Abort the run and propose again.");
    const before = parsePlan(decision.plan);
    let plan: Plan;
    try {
      plan = withoutStep(before, input.removeStepKey);
    } catch (e) {
      // withoutStep explains itself (unknown step, a required step): its words are for the user.
      throw new InvalidInputError(e instanceof Error ? e.message : "That step cannot be removed.");
    }
    const removed = before.find((s) => s.key === input.removeStepKey)!;
    const hash = planHash(plan);
    const voids = decision.status === "APPROVED" || decision.approvals.length > 0;
    await tx.decision.update({
      where: { id: decision.id },
      data: {
        plan: plan as unknown as Prisma.InputJsonValue,
        planHash: hash,
        status: "PROPOSED",
        statusChangedAt: now,
        version: { increment: 1 },
      },
    });
    await tx.incident.update({ where: { id: decision.incidentId }, data: { status: "AWAITING_APPROVAL", version: { increment: 1 } } });
    await recordTimelineEvent(tx, {
      incidentId: decision.incidentId,
      kind: voids ? "DECISION_VOIDED" : "INCIDENT_UPDATED",
      actorId: actor.id,
      message: `${actor.name} removed "${removed.name}" from the rollback plan${voids ? "; earlier approvals no longer count and it must be approved again" : ""}`,
      payload: { decisionId: decision.id, previousPlanHash: decision.planHash, planHash: hash },
    });
    audit.details = { removed: input.removeStepKey, previousPlanHash: decision.planHash, planHash: hash };
  },
});

export function changePlan(actor: Actor, raw: z.input<typeof changePlanSchema>) {
  return changePlanChange.runOrThrow(actor, raw);
}

export const setManualCriterionChange = defineChange({
  action: "incident.manual_criterion",
  schema: manualCriterionSchema,
  permission: "incident:update",
  target: (input) => ({ entityType: "Incident", entityId: input.incidentId, incidentId: input.incidentId }),
  async apply({ tx, user, input, now, audit }) {
    const actor = user;
    const criterion = CRITERIA.find((c) => c.id === input.criterionId);
    await tx.$queryRaw`SELECT id FROM "Incident" WHERE id = ${input.incidentId} FOR UPDATE`;
    const incident = await tx.incident.findUniqueOrThrow({ where: { id: input.incidentId }, select: { manualCriteria: true } });
    const ticks = { ...((incident.manualCriteria ?? {}) as Record<string, unknown>) };
    ticks[input.criterionId] = { checked: input.checked, note: input.note, by: actor.name, at: now.toISOString() };
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
    audit.details = { criterionId: input.criterionId, checked: input.checked };
  },
});

export function setManualCriterion(actor: Actor, raw: z.input<typeof manualCriterionSchema>) {
  return setManualCriterionChange.runOrThrow(actor, raw);
}
