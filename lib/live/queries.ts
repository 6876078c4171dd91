// Reads the incident page needs to join the live channel.
import "server-only";
import { getDb } from "@/lib/db";

/**
 * The id of the incident's latest live event ("0" when none): the page renders what is committed
 * now and its stream starts after this, so a change committed in between is replayed, not lost.
 * Read it before the page's other data.
 */
export async function getLiveCursor(incidentId: string): Promise<string> {
  const latest = await getDb().liveEvent.findFirst({ where: { incidentId }, orderBy: { id: "desc" }, select: { id: true } });
  return latest ? latest.id.toString() : "0";
}
