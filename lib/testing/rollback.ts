// Rollback test data: a proposed decision on a fresh incident; an approved one, and its run started.
import { randomUUID } from "node:crypto";
import type { Prisma } from "@/generated/prisma/client";
import { getDb } from "@/lib/db";
import { startRun } from "@/lib/rollback/engine/runs";
import { planHash } from "@/lib/rollback/plan-hash";
import { type Plan, parsePlan } from "@/lib/rollback/plans";
import { makeService, makeUser } from "./factories";

/** A proposed CUSTOM decision on a fresh incident (deployed 30 min ago), with the given plan; no approval yet. */
export async function proposedDecision(rawPlan: unknown[]) {
  const plan: Plan = parsePlan(rawPlan);
  const service = await makeService();
  const proposer = await makeUser("RESPONDER");
  const rm = await makeUser("RELEASE_MANAGER");
  const operator = await makeUser("RESPONDER");
  const now = Date.now();
  const incident = await getDb().incident.create({
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
  const evidence = await getDb().evidenceSnapshot.create({
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
  const decision = await getDb().decision.create({
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
      status: "PROPOSED",
    },
  });
  return { incident, decision, hash, operator, rm, service };
}

/** An approved CUSTOM decision on a fresh incident (deployed 30 min ago), with the given plan, and its run started. */
export async function approvedDecision(rawPlan: unknown[]) {
  const { decision: proposed, hash, rm, operator, ...rest } = await proposedDecision(rawPlan);
  await getDb().approval.create({ data: { decisionId: proposed.id, approverId: rm.id, verdict: "APPROVED", planHash: hash } });
  const decision = await getDb().decision.update({ where: { id: proposed.id }, data: { status: "APPROVED" } });
  const { run } = await startRun(operator, { decisionId: decision.id, planHash: hash });
  return { ...rest, decision, hash, run, steps: run.steps, operator, rm };
}
