// Reads for the Verification section, the snapshot endpoint and the report.
import "server-only";
import { type Db, getDb, type Tx } from "@/lib/db";
import { findIncidentDocument } from "@/lib/documents/queries";
import { type ChecklistView, checklistSelect, toChecklistView } from "./view";

export async function getChecklistView(incidentId: string, db: Db | Tx = getDb()): Promise<ChecklistView | null> {
  const row = await db.checklist.findUnique({ where: { incidentId }, select: checklistSelect });
  if (!row) return null;
  const report = await findIncidentDocument(incidentId, "VERIFICATION_REPORT", db);
  return toChecklistView(row, report ? { version: report.currentVersion, updatedAt: report.updatedAt.toISOString() } : null);
}

/** The rollback run verification follows: the latest one that finished successfully. */
export async function getFinishedRun(incidentId: string, db: Db | Tx = getDb()) {
  return db.rollbackRun.findFirst({
    where: { incidentId, status: "SUCCEEDED", endedAt: { not: null } },
    orderBy: { endedAt: "desc" },
    select: { id: true, endedAt: true },
  });
}
