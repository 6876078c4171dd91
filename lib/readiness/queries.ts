// Reads for the readiness panel and the service list.
import "server-only";
import { getDb } from "@/lib/db";
import { currentReadiness, getStoredReadiness, type ServiceReadinessView } from "./store";
import { isBeforeRollback } from "./types";

/**
 * The readiness of an incident's service: refreshed (when older than a minute) while the incident
 * is before its rollback, the last stored result afterwards.
 */
export async function getIncidentReadiness(incidentId: string): Promise<ServiceReadinessView | null> {
  const incident = await getDb().incident.findUnique({ where: { id: incidentId }, select: { serviceId: true, status: true } });
  if (!incident) return null;
  if (isBeforeRollback(incident.status)) return currentReadiness(incident.serviceId);
  return (await getStoredReadiness([incident.serviceId])).get(incident.serviceId) ?? null;
}
