// Reading documents: an incident's documents with their versions, one version (the current one
// or any earlier), two versions to compare.
import "server-only";
import type { DocumentKind } from "@/generated/prisma/enums";
import { type Db, getDb, type Tx } from "@/lib/db";

const versionSelect = {
  version: true,
  createdAt: true,
  createdBy: { select: { id: true, name: true } },
} as const;

/** The incident's documents, by kind and then oldest first, each with its versions newest first. */
export async function listIncidentDocuments(incidentId: string) {
  const docs = await getDb().document.findMany({
    where: { incidentId },
    orderBy: [{ kind: "asc" }, { createdAt: "asc" }],
    select: {
      id: true,
      kind: true,
      title: true,
      runId: true,
      currentVersion: true,
      createdAt: true,
      updatedAt: true,
      versions: { orderBy: { version: "desc" }, select: versionSelect },
    },
  });
  return docs.filter((d) => d.versions.length > 0);
}
export type IncidentDocument = Awaited<ReturnType<typeof listIncidentDocuments>>[number];

/** The incident's documents of one kind, newest first, each at its current version (the highest: versions only append). */
export async function listCurrentVersions(incidentId: string, kind: DocumentKind) {
  const docs = await getDb().document.findMany({
    where: { incidentId, kind },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      title: true,
      runId: true,
      createdAt: true,
      versions: { orderBy: { version: "desc" }, take: 1, select: { ...versionSelect, content: true, markdown: true } },
    },
  });
  return docs.flatMap(({ versions, ...doc }) => (versions[0] ? [{ ...doc, version: versions[0] }] : []));
}

/** The incident by number with its documents (for the documents page); null when there is no such incident. */
export async function getIncidentDocuments(number: number) {
  const incident = await getDb().incident.findUnique({ where: { number }, select: { id: true, number: true, title: true } });
  return incident ? { incident, documents: await listIncidentDocuments(incident.id) } : null;
}

/** One version of a document (the current one when `version` is not given), with its incident's number. */
export async function getDocumentVersion(documentId: string, version?: number) {
  const doc = await getDb().document.findUnique({
    where: { id: documentId },
    select: {
      id: true,
      incidentId: true,
      kind: true,
      title: true,
      runId: true,
      currentVersion: true,
      createdAt: true,
      incident: { select: { number: true } },
    },
  });
  if (!doc) return null;
  const v = await getDb().documentVersion.findUnique({
    where: { documentId_version: { documentId, version: version ?? doc.currentVersion } },
    select: { ...versionSelect, content: true, markdown: true },
  });
  return v ? { document: doc, version: v } : null;
}
export type DocumentVersionRead = NonNullable<Awaited<ReturnType<typeof getDocumentVersion>>>;

/** A version of one of the incident's documents; null when the document belongs to another incident. */
export async function getIncidentDocumentVersion(incidentId: string, documentId: string, version?: number) {
  const read = await getDocumentVersion(documentId, version);
  return read?.document.incidentId === incidentId ? read : null;
}

/** The incident's one document of a kind that has no run (the verification report, the RCA). */
export async function findIncidentDocument(incidentId: string, kind: DocumentKind, db: Db | Tx = getDb()) {
  return db.document.findFirst({
    where: { incidentId, kind, runId: null },
    select: { id: true, currentVersion: true, updatedAt: true },
  });
}

const SLUG: Record<DocumentKind, string> = {
  RCA: "rca",
  POSTMORTEM_AGENDA: "postmortem-agenda",
  ROLLBACK_SUMMARY: "rollback-summary",
  VERIFICATION_REPORT: "verification-report",
  REDEPLOY_PLAN: "redeploy-plan",
};

/** "INC-12-verification-report-v3.md"; a document of a run (there may be several) carries its id. */
export function documentFilename(
  doc: { id: string; kind: DocumentKind; runId: string | null; incident: { number: number } },
  version: number,
  extension: "md" | "pdf" = "md",
) {
  return `INC-${doc.incident.number}-${SLUG[doc.kind]}${doc.runId ? `-${doc.id}` : ""}-v${version}.${extension}`;
}
