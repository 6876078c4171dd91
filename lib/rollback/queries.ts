import "server-only";
import { getDb } from "@/lib/db";
import type { RollbackSummaryContent } from "./summary/content";

/** The incident's latest rollback run with its steps and their latest log lines. */
export async function getLatestRun(incidentId: string) {
  const run = await getDb().rollbackRun.findFirst({
    where: { incidentId },
    orderBy: { createdAt: "desc" },
    include: {
      startedBy: { select: { name: true } },
      abortedBy: { select: { name: true } },
      autoRunBy: { select: { name: true } },
      steps: {
        orderBy: { position: "asc" },
        include: {
          logLines: { orderBy: { id: "desc" }, take: 40 },
          lastActor: { select: { name: true } },
          // The latest attempt: where its process ran, and whether it was seen to end.
          executions: {
            orderBy: { attempt: "desc" },
            take: 1,
            select: {
              state: true,
              host: true,
              pid: true,
              processEndedAt: true,
              stopReason: true,
              stopRequestedBy: { select: { name: true } },
            },
          },
        },
      },
    },
  });
  if (!run) return null;
  return { ...run, steps: run.steps.map((s) => ({ ...s, logLines: s.logLines.reverse() })) };
}

export type RollbackSummaryDocument = {
  id: string;
  title: string;
  runId: string | null;
  createdAt: Date;
  content: RollbackSummaryContent;
  markdown: string;
};

/** The incident's rollback summaries (one per ended run), newest first, at their current version. */
export async function getRollbackSummaries(incidentId: string): Promise<RollbackSummaryDocument[]> {
  const docs = await getDb().document.findMany({
    where: { incidentId, kind: "ROLLBACK_SUMMARY" },
    orderBy: { createdAt: "desc" },
    include: { versions: { orderBy: { version: "desc" }, take: 1 } },
  });
  return docs
    .filter((d) => d.versions.length > 0)
    .map((d) => ({
      id: d.id,
      title: d.title,
      runId: d.runId,
      createdAt: d.createdAt,
      content: d.versions[0].content as unknown as RollbackSummaryContent,
      markdown: d.versions[0].markdown,
    }));
}

/** One rollback summary of an incident (for its printable page and Markdown download). */
export async function getRollbackSummary(incidentId: string, documentId: string): Promise<RollbackSummaryDocument | null> {
  const all = await getRollbackSummaries(incidentId);
  return all.find((d) => d.id === documentId) ?? null;
}

/** A document's current Markdown and a file name for it. */
export async function getDocumentMarkdown(documentId: string): Promise<{ markdown: string; filename: string } | null> {
  const doc = await getDb().document.findUnique({
    where: { id: documentId },
    include: { incident: { select: { number: true } }, versions: { orderBy: { version: "desc" }, take: 1 } },
  });
  const version = doc?.versions[0];
  if (!doc || !version) return null;
  return { markdown: version.markdown, filename: `INC-${doc.incident.number}-${doc.kind.toLowerCase().replaceAll("_", "-")}-${doc.id}.md` };
}
