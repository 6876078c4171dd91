import "server-only";
import { getDb } from "@/lib/db";
import { parsePlan } from "@/lib/rollback/plans";
import { approvalState } from "./approval";

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
