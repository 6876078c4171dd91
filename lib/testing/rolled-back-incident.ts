// Integration-test data: an incident whose approved rollback run has finished, as the engine
// leaves it (run SUCCEEDED with endedAt, incident VERIFYING), ready for verification.
import { randomUUID } from "node:crypto";
import type { Prisma } from "@/generated/prisma/client";
import type { RollbackStrategy } from "@/generated/prisma/enums";
import { getDb } from "@/lib/db";
import { makeService, makeUser } from "./factories";

export type RolledBack = Awaited<ReturnType<typeof makeRolledBackIncident>>;

export async function makeRolledBackIncident(
  opts: {
    features?: string[];
    restore?: boolean;
    deployedAt?: Date;
    rollbackEndedAt?: Date;
    /** false: the run is still RUNNING (verification cannot start yet). */
    finished?: boolean;
    /** The decision's reason, as the proposer typed it. */
    reason?: string;
  } = {},
) {
  const db = getDb();
  const now = Date.now();
  const service = await makeService();
  if (opts.features?.length) {
    await db.criticalFeature.createMany({ data: opts.features.map((name, position) => ({ serviceId: service.id, name, position })) });
  }
  const proposer = await makeUser("RESPONDER");
  const approver = await makeUser("RELEASE_MANAGER");
  const deployedAt = opts.deployedAt ?? new Date(now - 2 * 3600_000);
  const endedAt = opts.rollbackEndedAt ?? new Date(now - 10 * 60_000);
  const finished = opts.finished ?? true;
  const incident = await db.incident.create({
    data: {
      title: `Checklist test ${randomUUID().slice(0, 6)}`,
      serviceId: service.id,
      badVersion: "v2",
      previousVersion: "v1",
      severity: "SEV2",
      status: finished ? "VERIFYING" : "ROLLING_BACK",
      deployedAt,
      detectedAt: new Date(deployedAt.getTime() + 5 * 60_000),
    },
  });
  const evidence = await db.evidenceSnapshot.create({
    data: {
      incidentId: incident.id,
      baselineFrom: new Date(deployedAt.getTime() - 3600_000),
      baselineTo: deployedAt,
      currentFrom: new Date(now - 300_000),
      currentTo: new Date(now),
      metrics: {},
      criteria: {},
      probes: [],
      impact: {},
    },
  });
  const strategy: RollbackStrategy = opts.restore ? "DATABASE_RESTORE" : "BLUE_GREEN";
  const plan = [{ key: "switch", name: "Switch", executor: "WAIT", config: { seconds: 1 } }];
  const decision = await db.decision.create({
    data: {
      incidentId: incident.id,
      tier: "FAST",
      recommendedTier: "FAST",
      strategy,
      reason: opts.reason ?? "checklist test",
      decidedById: proposer.id,
      evidenceId: evidence.id,
      plan: plan as unknown as Prisma.InputJsonValue,
      planHash: "0".repeat(64),
      status: "APPROVED",
    },
  });
  const run = await db.rollbackRun.create({
    data: {
      incidentId: incident.id,
      decisionId: decision.id,
      planHash: decision.planHash,
      status: finished ? "SUCCEEDED" : "RUNNING",
      startedById: proposer.id,
      startedAt: new Date(endedAt.getTime() - 5 * 60_000),
      endedAt: finished ? endedAt : null,
    },
  });
  await db.rollbackStep.create({
    data: {
      runId: run.id,
      position: 0,
      name: opts.restore ? "Restore the database" : "Switch",
      executor: opts.restore ? "POSTGRES" : "WAIT",
      config: opts.restore ? { operation: "restore", databaseUrlEnv: "APP_DB" } : { seconds: 1 },
      state: finished ? "SUCCEEDED" : "RUNNING",
      endedAt: finished ? endedAt : null,
    },
  });
  return { service, incident, run, endedAt, deployedAt, proposer, approver };
}
