import "server-only";
import { getDb } from "@/lib/db";

/** The incident's latest rollback run with its steps and their latest log lines. */
export async function getLatestRun(incidentId: string) {
  const run = await getDb().rollbackRun.findFirst({
    where: { incidentId },
    orderBy: { createdAt: "desc" },
    include: {
      startedBy: { select: { name: true } },
      steps: {
        orderBy: { position: "asc" },
        include: { logLines: { orderBy: { id: "desc" }, take: 40 }, lastActor: { select: { name: true } } },
      },
    },
  });
  if (!run) return null;
  return { ...run, steps: run.steps.map((s) => ({ ...s, logLines: s.logLines.reverse() })) };
}
