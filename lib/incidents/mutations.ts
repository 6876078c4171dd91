// Incident changes, through the change path (./change.ts).
import "server-only";
import type { z } from "zod";
import type { IncidentSource } from "@/generated/prisma/enums";
import type { Actor } from "@/lib/audit/log";
import type { Tx } from "@/lib/db";
import { InvalidInputError, StaleError } from "@/lib/errors";
import { recordTimelineEvent } from "@/lib/timeline/record";
import { type AuditNote, defineChange } from "./change";
import { formatImpactCount, IMPACT_FIELDS, IMPACT_LABELS, type RecordedImpact } from "./impact";
import { type DeclareIncidentInput, declareIncidentSchema, incidentRef, type UpdateImpactInput, updateImpactSchema } from "./schemas";

type DeclareExtra = { source?: IncidentSource; externalKey?: string; releaseId?: string | null; sourceNote?: string };

/**
 * The declaration itself, inside the caller's transaction: the incident, its INCIDENT_DECLARED
 * entry and the audit details. The declare change runs it; so does an Alertmanager alert
 * (lib/integrations/alertmanager/receive.ts), which writes the same audit row.
 */
export async function declareInTx(
  tx: Tx,
  actor: Actor,
  input: z.output<typeof declareIncidentSchema>,
  audit: AuditNote,
  extra: DeclareExtra = {},
) {
  const service = await tx.service.findUnique({ where: { id: input.serviceId }, select: { id: true, name: true } });
  if (!service) throw new InvalidInputError("That service does not exist (it may have been removed).", "serviceId");
  const release =
    extra.releaseId !== undefined
      ? extra.releaseId
        ? { id: extra.releaseId }
        : null
      : await tx.release.findFirst({
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
      source: extra.source ?? "MANUAL",
      externalKey: extra.externalKey ?? null,
    },
  });
  await recordTimelineEvent(tx, {
    incidentId: incident.id,
    kind: "INCIDENT_DECLARED",
    actorId: actor.id,
    at: incident.declaredAt,
    message: `${actor.name} declared ${incidentRef(incident.number)} (${incident.severity}): ${service.name} ${incident.badVersion}, previous ${incident.previousVersion}${extra.sourceNote ?? ""}`,
    payload: { severity: incident.severity, badVersion: incident.badVersion, previousVersion: incident.previousVersion },
  });
  Object.assign(audit, {
    entityId: incident.id,
    incidentId: incident.id,
    details: { number: incident.number, severity: incident.severity, serviceId: service.id, source: incident.source },
  });
  return incident;
}

export const declareIncidentChange = defineChange({
  action: "incident.declare",
  schema: declareIncidentSchema,
  permission: "incident:declare",
  target: () => ({ entityType: "Incident" }),
  apply: ({ tx, user, input, audit }) => declareInTx(tx, user, input, audit),
});

export function declareIncident(actor: Actor, input: DeclareIncidentInput) {
  return declareIncidentChange.runOrThrow(actor, input);
}

/** User impact figures, edited by responders; a stale edit is refused rather than overwriting. */
export const updateImpactChange = defineChange({
  action: "incident.update_impact",
  schema: updateImpactSchema,
  permission: "incident:update",
  target: (input) => ({ entityType: "Incident", entityId: input.incidentId, incidentId: input.incidentId }),
  async apply({ tx, user, input, now, audit }) {
    const actor = user;
    const select = { ...Object.fromEntries(IMPACT_FIELDS.map((f) => [f, true])), version: true } as const;
    const before = (await tx.incident.findUniqueOrThrow({ where: { id: input.incidentId }, select })) as Record<string, unknown>;
    const data = Object.fromEntries(IMPACT_FIELDS.map((f) => [f, input[f]])) as RecordedImpact;
    const { count } = await tx.incident.updateMany({
      where: { id: input.incidentId, version: input.version },
      data: { ...data, impactUpdatedAt: now, impactUpdatedById: actor.id, version: { increment: 1 } },
    });
    if (count === 0) {
      throw new StaleError(
        "Someone else changed this incident since you opened it. The latest figures are shown; re-enter your change if it still applies.",
        before,
      );
    }
    const changes = IMPACT_FIELDS.filter((f) => before[f] !== data[f]).map(
      (f) => `${IMPACT_LABELS[f].toLowerCase()} ${formatImpactCount(before[f] as number | null)} → ${formatImpactCount(data[f])}`,
    );
    await recordTimelineEvent(tx, {
      incidentId: input.incidentId,
      kind: "IMPACT_UPDATED",
      actorId: actor.id,
      message: `${actor.name} updated user impact: ${changes.length ? changes.join(", ") : "no change"}`,
      payload: { before: before as never, after: data },
    });
    audit.details = { after: data };
  },
});

export function updateImpact(actor: Actor, input: UpdateImpactInput) {
  return updateImpactChange.runOrThrow(actor, input);
}
