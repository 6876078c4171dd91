// Reads of runbook revisions: a runbook's drafts and decided revisions, each with its diff from the
// version it was written against (what an admin reviews before publishing).
import "server-only";
import { getDb } from "@/lib/db";
import { parsePlan } from "@/lib/rollback/plans";
import { diffSteps } from "./diff";

export async function listRunbookRevisions(runbookId: string) {
  const db = getDb();
  const revisions = await db.runbookRevision.findMany({
    where: { runbookId },
    orderBy: [{ status: "asc" }, { proposedAt: "desc" }],
    include: {
      incident: { select: { number: true, title: true } },
      proposedBy: { select: { name: true } },
      decidedBy: { select: { name: true } },
      publishedVersion: { select: { version: true } },
    },
  });
  const bases = await db.runbookVersion.findMany({
    where: { runbookId, version: { in: [...new Set(revisions.map((r) => r.baseVersion))] } },
    select: { version: true, steps: true },
  });
  const items = await db.actionItem.findMany({
    where: { id: { in: revisions.flatMap((r) => (r.actionItemId ? [r.actionItemId] : [])) } },
    select: { id: true, title: true },
  });
  const baseSteps = new Map(bases.map((b) => [b.version, parsePlan(b.steps)]));
  const titles = new Map(items.map((i) => [i.id, i.title]));
  return revisions.map((r) => {
    const steps = parsePlan(r.steps);
    return {
      id: r.id,
      status: r.status,
      baseVersion: r.baseVersion,
      lesson: r.lesson,
      note: r.note,
      incident: r.incident,
      actionItem: r.actionItemId ? (titles.get(r.actionItemId) ?? null) : null,
      proposedBy: r.proposedBy?.name ?? null,
      proposedAt: r.proposedAt,
      decidedBy: r.decidedBy?.name ?? null,
      decidedAt: r.decidedAt,
      declineReason: r.declineReason,
      publishedVersion: r.publishedVersion?.version ?? null,
      steps,
      changes: diffSteps(baseSteps.get(r.baseVersion) ?? [], steps),
    };
  });
}
export type RunbookRevisionView = Awaited<ReturnType<typeof listRunbookRevisions>>[number];

/** The action item a revision is proposed from, with its incident (for the proposal form). */
export async function getActionItemForRevision(actionItemId: string) {
  return getDb().actionItem.findUnique({
    where: { id: actionItemId },
    select: { id: true, title: true, incident: { select: { id: true, number: true, title: true, serviceId: true } } },
  });
}
