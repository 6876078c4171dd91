// Reading the RCA: the incident's one analysis at its current version (for the page), and its
// lessons learned (for the lessons per service that action items show).
import "server-only";
import { getDb } from "@/lib/db";
import type { RcaContent } from "./content";

/** The incident's RCA at its current version (or `version`), with who wrote each version; null when there is none. */
export async function getIncidentRca(incidentId: string, version?: number) {
  const doc = await getDb().document.findFirst({
    where: { incidentId, kind: "RCA", runId: null },
    select: {
      id: true,
      title: true,
      currentVersion: true,
      versions: { orderBy: { version: "desc" }, select: { version: true, createdAt: true, createdBy: { select: { name: true } } } },
    },
  });
  if (!doc) return null;
  const v = await getDb().documentVersion.findUnique({
    where: { documentId_version: { documentId: doc.id, version: version ?? doc.currentVersion } },
    select: { version: true, content: true, createdAt: true, createdBy: { select: { name: true } } },
  });
  if (!v) return null;
  return { document: doc, version: { ...v, content: v.content as unknown as RcaContent } };
}
export type IncidentRca = NonNullable<Awaited<ReturnType<typeof getIncidentRca>>>;

export type Lessons = { technical: string[]; process: string[] };

/** The lessons learned in the incident's RCA, current version; null when the incident has no RCA. */
export async function latestLessons(incidentId: string): Promise<(Lessons & { version: number; documentId: string }) | null> {
  const rca = await getIncidentRca(incidentId);
  if (!rca) return null;
  const { technical, process } = rca.version.content.human.lessons;
  const kept = (l: string[]) => l.filter((s) => s.trim() !== "");
  return { technical: kept(technical), process: kept(process), version: rca.version.version, documentId: rca.document.id };
}
