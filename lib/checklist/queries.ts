// Reads for the Verification section, the snapshot endpoint and the report.
import "server-only";
import { type Db, getDb, type Tx } from "@/lib/db";
import { findIncidentDocument, getDocumentVersion } from "@/lib/documents/queries";
import { type ChecklistView, checklistSelect, toChecklistView } from "./view";

export async function getChecklistView(incidentId: string, db: Db | Tx = getDb()): Promise<ChecklistView | null> {
  const row = await db.checklist.findUnique({ where: { incidentId }, select: checklistSelect });
  if (!row) return null;
  const report = await db.document.findFirst({
    where: { incidentId, kind: "VERIFICATION_REPORT", runId: null },
    select: { currentVersion: true, updatedAt: true },
  });
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

/** The verification report's current version (structured content and Markdown), if rendered. */
export async function getVerificationReport(incidentId: string) {
  const doc = await findIncidentDocument(incidentId, "VERIFICATION_REPORT");
  return doc ? getDocumentVersion(doc.id) : null;
}
