// Reads of stakeholder updates.
import "server-only";
import { getDb } from "@/lib/db";
import { overdueBy } from "./rules";

/** The latest update of an incident (the one at the top of its page), with its author's name. */
export async function getLatestStatusUpdate(incidentId: string) {
  return getDb().statusUpdate.findFirst({
    where: { incidentId },
    orderBy: { sequence: "desc" },
    include: { author: { select: { name: true } } },
  });
}

export type LatestStatusUpdate = NonNullable<Awaited<ReturnType<typeof getLatestStatusUpdate>>>;

/** Of these (ongoing) incidents, the ones whose promised next update is overdue at `now`: the list flags them to responders. */
export async function incidentsWithOverdueUpdate(incidentIds: string[], now: Date): Promise<Set<string>> {
  if (incidentIds.length === 0) return new Set();
  const latest = await getDb().statusUpdate.findMany({
    where: { incidentId: { in: incidentIds } },
    orderBy: [{ incidentId: "asc" }, { sequence: "desc" }],
    distinct: ["incidentId"],
    select: { incidentId: true, nextUpdateAt: true },
  });
  return new Set(latest.filter((u) => overdueBy(u, now, false) !== null).map((u) => u.incidentId));
}
