// Incident changes. Each checks the actor's role itself and writes the change, its timeline
// event and its audit row in one transaction.
import "server-only";
import { type Actor, writeAudit } from "@/lib/audit/log";
import { authorize } from "@/lib/auth/authorize";
import { getDb } from "@/lib/db";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { recordTimelineEvent } from "@/lib/timeline/record";
import { type DeclareIncidentInput, declareIncidentSchema, incidentRef, type UpdateImpactInput, updateImpactSchema } from "./schemas";

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

const IMPACT_FIELDS = ["usersAffected", "supportTickets", "complaints", "failedTransactions"] as const;

/** User impact figures, edited by responders; a stale edit is refused rather than overwriting. */
export async function updateImpact(actor: Actor, rawInput: UpdateImpactInput) {
  const input = updateImpactSchema.parse(rawInput);
  await authorize(actor, "incident:update", {
    action: "incident.update_impact",
    entityType: "Incident",
    entityId: input.incidentId,
    incidentId: input.incidentId,
  });
  return getDb().$transaction(async (tx) => {
    const before = await tx.incident.findUnique({
      where: { id: input.incidentId },
      select: { ...Object.fromEntries(IMPACT_FIELDS.map((f) => [f, true])), version: true } as const,
    });
    if (!before) throw new NotFoundError("No such incident.");
    const data = Object.fromEntries(IMPACT_FIELDS.map((f) => [f, input[f]])) as Record<(typeof IMPACT_FIELDS)[number], number | null>;
    const { count } = await tx.incident.updateMany({
      where: { id: input.incidentId, version: input.version },
      data: { ...data, impactUpdatedAt: new Date(), impactUpdatedById: actor.id, version: { increment: 1 } },
    });
    if (count === 0) {
      throw new ConflictError(
        "Someone else changed this incident since you opened it. The latest figures are shown; re-enter your change if it still applies.",
      );
    }
    const changes = IMPACT_FIELDS.filter((f) => (before as Record<string, unknown>)[f] !== data[f]).map(
      (f) => `${IMPACT_LABELS[f]} ${(before as Record<string, unknown>)[f] ?? "—"} → ${data[f] ?? "—"}`,
    );
    await recordTimelineEvent(tx, {
      incidentId: input.incidentId,
      kind: "IMPACT_UPDATED",
      actorId: actor.id,
      message: `${actor.name} updated user impact: ${changes.length ? changes.join(", ") : "no change"}`,
      payload: { before: before as never, after: data },
    });
    await writeAudit(tx, {
      actor,
      action: "incident.update_impact",
      outcome: "ALLOWED",
      entityType: "Incident",
      entityId: input.incidentId,
      incidentId: input.incidentId,
      details: { after: data },
    });
  });
}

const IMPACT_LABELS: Record<(typeof IMPACT_FIELDS)[number], string> = {
  usersAffected: "users affected",
  supportTickets: "support tickets",
  complaints: "complaints",
  failedTransactions: "failed transactions",
};
