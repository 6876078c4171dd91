// Incident changes. Each checks the actor's role itself and writes the change, its timeline
// event and its audit row in one transaction.
import "server-only";
import { type Actor, writeAudit } from "@/lib/audit/log";
import { authorize } from "@/lib/auth/authorize";
import { getDb } from "@/lib/db";
import { InvalidInputError } from "@/lib/errors";
import { recordTimelineEvent } from "@/lib/timeline/record";
import { type DeclareIncidentInput, declareIncidentSchema, incidentRef } from "./schemas";

export async function declareIncident(actor: Actor, rawInput: DeclareIncidentInput) {
  await authorize(actor, "incident:declare", { action: "incident.declare", entityType: "Incident" });
  const input = declareIncidentSchema.parse(rawInput);
  const db = getDb();
  return db.$transaction(async (tx) => {
    const service = await tx.service.findUnique({ where: { id: input.serviceId }, select: { id: true, name: true } });
    if (!service) throw new InvalidInputError("That service does not exist (it may have been removed).", "serviceId");
    const release = await tx.release.findFirst({
      where: { serviceId: service.id, version: input.badVersion },
      orderBy: { deployedAt: "desc" },
      select: { id: true },
    });
    const incident = await tx.incident.create({
      data: {
        title: input.title,
        serviceId: service.id,
        releaseId: release?.id ?? null,
        badVersion: input.badVersion,
        previousVersion: input.previousVersion,
        severity: input.severity,
        summary: input.summary,
        deployedAt: input.deployedAt,
        detectedAt: input.detectedAt,
        declaredById: actor.id,
      },
    });
    await recordTimelineEvent(tx, {
      incidentId: incident.id,
      kind: "INCIDENT_DECLARED",
      actorId: actor.id,
      at: incident.declaredAt,
      message: `${actor.name} declared ${incidentRef(incident.number)} (${incident.severity}): ${service.name} ${incident.badVersion}, previous ${incident.previousVersion}`,
      payload: { severity: incident.severity, badVersion: incident.badVersion, previousVersion: incident.previousVersion },
    });
    await writeAudit(tx, {
      actor,
      action: "incident.declare",
      outcome: "ALLOWED",
      entityType: "Incident",
      entityId: incident.id,
      incidentId: incident.id,
      details: { number: incident.number, severity: incident.severity, serviceId: service.id },
    });
    return incident;
  });
}
