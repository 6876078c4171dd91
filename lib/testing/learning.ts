// Integration-test data for the learning loop: an action item of an incident that links a runbook,
// and a draft revision of that runbook proposed from it (as proposeRevision leaves it).
import { getDb } from "@/lib/db";

export async function makeLearningRecords(incidentId: string, runbookId: string, ownerId: string) {
  const db = getDb();
  const actionItem = await db.actionItem.create({
    data: { incidentId, title: "Check the pool size before switching", priority: "HIGH", ownerId, linkRunbookId: runbookId },
  });
  const runbook = await db.runbook.findUniqueOrThrow({ where: { id: runbookId }, select: { currentVersion: true } });
  const revision = await db.runbookRevision.create({
    data: {
      runbookId,
      baseVersion: runbook.currentVersion,
      steps: [{ key: "check-pool", name: "Check the pool", executor: "WAIT", config: { seconds: 1 } }],
      note: "",
      lesson: "The pool size was never checked",
      incidentId,
      actionItemId: actionItem.id,
      proposedById: ownerId,
    },
  });
  return { actionItem, revision };
}
