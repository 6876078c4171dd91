// Reads of stakeholder updates.
import "server-only";
import { getDb } from "@/lib/db";

/** The latest update of an incident (the one at the top of its page), with its author's name. */
export async function getLatestStatusUpdate(incidentId: string) {
  return getDb().statusUpdate.findFirst({
    where: { incidentId },
    orderBy: { sequence: "desc" },
    include: { author: { select: { name: true } } },
  });
}

export type LatestStatusUpdate = NonNullable<Awaited<ReturnType<typeof getLatestStatusUpdate>>>;
