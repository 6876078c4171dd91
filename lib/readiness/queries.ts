// Reads for the readiness panel and the service list.
import "server-only";
import { getDb } from "@/lib/db";
import { currentReadiness, getStoredReadiness, type ServiceReadinessView } from "./store";
import { isBeforeRollback } from "./types";

/**
 * The readiness of an incident's service: refreshed (when older than READINESS_MAX_AGE_MS) while the incident
 * is before its rollback, the last stored result afterwards.
 */
export async function getIncidentReadiness(incidentId: string): Promise<ServiceReadinessView | null> {
  const incident = await getDb().incident.findUnique({ where: { id: incidentId }, select: { serviceId: true, status: true } });
  if (!incident) return null;
  if (isBeforeRollback(incident.status)) return currentReadiness(incident.serviceId);
  return (await getStoredReadiness([incident.serviceId])).get(incident.serviceId) ?? null;
}

/**
 * Started, not awaited, by the incident page as it renders: the checks (a few hundred ms of HTTP to
 * the fleet) run while the page travels and hydrates, so the panel's first poll and a proposal made
 * right away find them done (or in flight) instead of starting them then (issue 19).
 */
export function warmIncidentReadiness(incidentId: string): void {
  getIncidentReadiness(incidentId).catch((e: unknown) => console.error("readiness checks on opening the incident failed", e));
}
