// The incident's closing record: what the runbook's "upon completion" asks for, brought together
// from the records that already hold it (the rollback summary, the checklist and its sign-offs, the
// documents, the action items, the timeline). Reads only.
import "server-only";
import type { DocumentKind } from "@/generated/prisma/enums";
import { listActionItemsForIncident, redeployReadiness } from "@/lib/action-items/queries";
import { getDb } from "@/lib/db";
import { listIncidentDocuments } from "@/lib/documents/queries";
import { getRollbackSummaries } from "@/lib/rollback/queries";
import type { AgendaContent } from "./agenda";
import type { PlanContent, PlanReadiness } from "./redeploy-plan";

/** The documents a closed incident should have, in the order the record lists them. */
export const RECORD_DOCUMENTS: readonly DocumentKind[] = [
  "ROLLBACK_SUMMARY",
  "VERIFICATION_REPORT",
  "RCA",
  "POSTMORTEM_AGENDA",
  "REDEPLOY_PLAN",
];

// The milestones of the timeline the record shows (the archive and the incident page have all of it).
const MILESTONES = new Set([
  "INCIDENT_DECLARED",
  "DECISION_PROPOSED",
  "DECISION_APPROVED",
  "RUN_STARTED",
  "STEP_FAILED",
  "STEP_INTERRUPTED",
  "RUN_ENDED",
  "RUN_ABORTED",
  "VERIFICATION_STARTED",
  "CHECKLIST_LOCKED",
  "SIGN_OFF_WAIVED",
  "INCIDENT_RESOLVED",
]);

export async function getClosingRecord(incidentId: string) {
  const db = getDb();
  const incident = await db.incident.findUniqueOrThrow({
    where: { id: incidentId },
    select: {
      id: true,
      number: true,
      title: true,
      status: true,
      severity: true,
      badVersion: true,
      previousVersion: true,
      deployedAt: true,
      detectedAt: true,
      resolvedAt: true,
      service: { select: { id: true, name: true, slug: true } },
      checklist: {
        select: {
          lockedAt: true,
          restoreRan: true,
          signOffWaivedAt: true,
          signOffWaivedReason: true,
          signOffs: {
            where: { withdrawnAt: null },
            orderBy: { signedAt: "asc" },
            select: { role: true, signedAt: true, user: { select: { name: true } } },
          },
        },
      },
      actionItems: {
        orderBy: [{ priority: "asc" }, { dueDate: { sort: "asc", nulls: "last" } }],
        select: {
          id: true,
          title: true,
          priority: true,
          status: true,
          dueDate: true,
          linkRunbookId: true,
          owner: { select: { name: true } },
        },
      },
    },
  });
  const [summaries, documents, timeline, lastRun] = await Promise.all([
    getRollbackSummaries(incidentId),
    listIncidentDocuments(incidentId),
    db.timelineEvent.findMany({
      where: { incidentId, kind: { in: [...MILESTONES] as never } },
      orderBy: [{ at: "asc" }, { id: "asc" }],
      select: { id: true, at: true, kind: true, source: true, message: true, payload: true, actor: { select: { name: true } } },
    }),
    db.rollbackRun.findFirst({ where: { incidentId }, orderBy: { createdAt: "desc" }, select: { endedAt: true } }),
  ]);
  const currentContent = async (kind: DocumentKind) => {
    const doc = documents.find((d) => d.kind === kind);
    if (!doc) return null;
    const v = await db.documentVersion.findUnique({
      where: { documentId_version: { documentId: doc.id, version: doc.currentVersion } },
      select: { content: true },
    });
    return v ? { documentId: doc.id, version: doc.currentVersion, content: v.content } : null;
  };
  const [agenda, plan, readiness] = await Promise.all([
    currentContent("POSTMORTEM_AGENDA"),
    currentContent("REDEPLOY_PLAN"),
    readPlanReadiness(incidentId),
  ]);
  return {
    incident,
    signedOff: Boolean(incident.checklist?.lockedAt),
    summary: summaries[0] ?? null,
    documents,
    agenda: agenda ? { ...agenda, content: agenda.content as AgendaContent } : null,
    /** The re-deployment plan as written, and the readiness as it is now. */
    plan: plan ? { ...plan, content: plan.content as PlanContent } : null,
    readiness,
    timeline,
    /** How long users were exposed: from the deploy to the end of the rollback (or now, if it has not ended). */
    exposure: { from: incident.deployedAt, to: lastRun?.endedAt ?? null },
  };
}
export type ClosingRecord = Awaited<ReturnType<typeof getClosingRecord>>;

/** Who can facilitate: active people who may change incidents. */
export async function listFacilitatorCandidates() {
  return getDb().user.findMany({
    where: { disabledAt: null, role: { not: "VIEWER" } },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
}

/** The window for the meeting after the sign-off, in hours (BACKOUT_POSTMORTEM_WITHIN_HOURS, default 48). */
export function defaultAgendaWindowHours(): number {
  const n = Number(process.env.BACKOUT_POSTMORTEM_WITHIN_HOURS);
  return Number.isInteger(n) && n >= 4 && n <= 336 ? n : 48;
}

/** The readiness of the incident's HIGH action items now: the action items' own verdict, and the list. */
export async function readPlanReadiness(incidentId: string): Promise<PlanReadiness> {
  const [verdict, items] = await Promise.all([redeployReadiness(incidentId), listActionItemsForIncident(incidentId)]);
  return {
    ready: verdict.ready,
    highTotal: verdict.highTotal,
    highDone: verdict.highDone,
    items: items
      .filter((i) => i.priority === "HIGH")
      .map((i) => ({ title: i.title, owner: i.owner?.name ?? null, status: i.status, dueDate: i.dueDate?.toISOString() ?? null })),
  };
}
