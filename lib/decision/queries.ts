import "server-only";
import { getDb } from "@/lib/db";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { parsePlan } from "@/lib/rollback/plans";
import { approvalState, isExecutable } from "./approval";

/** The incident's decisions, newest first, with approvals and frozen evidence. */
export async function getDecisions(incidentId: string) {
  const decisions = await getDb().decision.findMany({
    where: { incidentId },
    orderBy: { decidedAt: "desc" },
    take: 10,
    include: {
      decidedBy: { select: { id: true, name: true } },
      approvals: { orderBy: { createdAt: "asc" }, include: { approver: { select: { id: true, name: true } } } },
      evidence: true,
      runbookVersion: { select: { version: true, runbookId: true, runbook: { select: { name: true, currentVersion: true } } } },
    },
  });
  return decisions.map((d) => ({ ...d, plan: parsePlan(d.plan), state: approvalState(d, d.approvals) }));
}

/** The execution side's gate (rollback runs call it): the approved decision, if the plan is unchanged. */
export async function getExecutableDecision(decisionId: string, planHashToRun: string) {
  const decision = await getDb().decision.findUnique({ where: { id: decisionId }, include: { approvals: true } });
  if (!decision) throw new NotFoundError("No such decision.");
  if (!isExecutable(decision, decision.approvals, planHashToRun)) {
    throw new ConflictError(
      "This rollback plan is not approved as it stands (it changed after approval, or approvals are missing): it cannot run.",
    );
  }
  return { ...decision, plan: parsePlan(decision.plan) };
}
