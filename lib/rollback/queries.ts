import "server-only";
import { getDb } from "@/lib/db";
import { listCurrentVersions } from "@/lib/documents/queries";
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
  const docs = await listCurrentVersions(incidentId, "ROLLBACK_SUMMARY");
  return docs.map((d) => ({
    id: d.id,
    title: d.title,
    runId: d.runId,
    createdAt: d.createdAt,
    content: d.version.content as unknown as RollbackSummaryContent,
    markdown: d.version.markdown,
  }));
}
