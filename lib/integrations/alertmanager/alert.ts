// One received alert, as a change run by the integration's own service account through the
// receiver route (./receive.ts) — the only caller, so this module is not imported by the actions.
import "server-only";
import { z } from "zod";
import { writeAudit } from "@/lib/audit/log";
import { InvalidInputError } from "@/lib/errors";
import { defineChange } from "@/lib/incidents/change";
import { declareInTx } from "@/lib/incidents/mutations";
import { declareIncidentSchema, incidentRef, ONGOING_STATUSES } from "@/lib/incidents/schemas";
import { recordTimelineEvent } from "@/lib/timeline/record";
import { alertIncidentFields, alertSummary } from "./rules";
import { alertSchema } from "./schemas";

const receiveAlertSchema = z.object({
  integrationId: z.string().min(1),
  serviceId: z.string().min(1),
  alert: alertSchema,
  receiver: z.string(),
  groupKey: z.string(),
});

export type AlertOutcome = { fingerprint: string; status: "firing" | "resolved" } & (
  | { result: "opened" | "joined" | "noted"; incident: string }
  | { result: "duplicate" | "no_incident" }
);

/**
 * One alert of a delivery. Alertmanager resends and regroups, and may deliver the same alert to
 * several instances at once: the (integration, fingerprint, startsAt, status) unique key counts each
 * alert state once, and a per-service advisory lock held for the transaction makes "join the open
 * incident, or open one" a single decision, so concurrent deliveries cannot open two.
 */
export const receiveAlertChange = defineChange({
  action: "alertmanager.alert",
  schema: receiveAlertSchema,
  permission: "incident:declare",
  target: (input) => ({ entityType: "AlertmanagerIntegration", entityId: input.integrationId }),
  async apply({ tx, user, input, now, audit }): Promise<AlertOutcome> {
    const actor = user;
    const { alert } = input;
    const startsAt = new Date(alert.startsAt);
    const base = { fingerprint: alert.fingerprint, status: alert.status } as const;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`backout:alertmanager:${input.serviceId}`}))`;
    const { count } = await tx.alertmanagerAlert.createMany({
      data: [{ integrationId: input.integrationId, fingerprint: alert.fingerprint, startsAt, status: alert.status, receivedAt: now }],
      skipDuplicates: true,
    });
    if (count === 0) {
      audit.skip = true;
      return { ...base, result: "duplicate" };
    }
    const mark = (incidentId: string) =>
      tx.alertmanagerAlert.updateMany({
        where: { integrationId: input.integrationId, fingerprint: alert.fingerprint, startsAt, status: alert.status },
        data: { incidentId },
      });
    const payload = {
      fingerprint: alert.fingerprint,
      labels: alert.labels,
      annotations: alert.annotations,
      startsAt: alert.startsAt,
      ...(alert.endsAt ? { endsAt: alert.endsAt } : {}),
      generatorURL: alert.generatorURL,
      receiver: input.receiver,
      groupKey: input.groupKey,
    };
    const open = await tx.incident.findFirst({
      where: { serviceId: input.serviceId, status: { in: ONGOING_STATUSES } },
      orderBy: { declaredAt: "desc" },
      select: { id: true, number: true },
    });

    if (alert.status === "resolved") {
      // The incident its firing opened or joined, else the service's open one; never resolved by this.
      const firing = await tx.alertmanagerAlert.findFirst({
        where: {
          integrationId: input.integrationId,
          fingerprint: alert.fingerprint,
          startsAt,
          status: "firing",
          incidentId: { not: null },
        },
        select: { incident: { select: { id: true, number: true } } },
      });
      const incident = firing?.incident ?? open;
      if (!incident) {
        audit.details = { ...base, result: "no_incident" };
        return { ...base, result: "no_incident" };
      }
      await recordTimelineEvent(tx, {
        incidentId: incident.id,
        kind: "ALERT_RESOLVED",
        source: "ALERTMANAGER",
        actorId: actor.id,
        at: alert.endsAt && !alert.endsAt.startsWith("0001-") ? new Date(alert.endsAt) : now,
        recordedAt: now,
        message: `Alert resolved: ${alertSummary(alert)}. The incident stays open until responders resolve it.`,
        payload,
      });
      await mark(incident.id);
      Object.assign(audit, { incidentId: incident.id, details: { ...base, result: "noted", incident: incidentRef(incident.number) } });
      return { ...base, result: "noted", incident: incidentRef(incident.number) };
    }

    let incident = open;
    let result: "opened" | "joined" = "joined";
    if (!incident) {
      const integration = await tx.alertmanagerIntegration.findUniqueOrThrow({
        where: { id: input.integrationId },
        select: { defaultSeverity: true, suspectWindowMinutes: true },
      });
      const deploy = await tx.release.findFirst({
        where: { serviceId: input.serviceId, deployedAt: { lte: startsAt } },
        orderBy: { deployedAt: "desc" },
        select: { id: true, version: true, previousVersion: true, deployedAt: true },
      });
      const suspect =
        deploy && startsAt.getTime() - deploy.deployedAt.getTime() <= integration.suspectWindowMinutes * 60_000 ? deploy : null;
      if (suspect) await tx.release.update({ where: { id: suspect.id }, data: { suspectedAt: now } });
      const fields = alertIncidentFields(alert, { deploy, suspect: suspect !== null, defaultSeverity: integration.defaultSeverity, now });
      const parsed = declareIncidentSchema.safeParse({ ...fields, serviceId: input.serviceId });
      if (!parsed.success) throw new InvalidInputError(`The alert cannot open an incident: ${parsed.error.issues[0]?.message}`, "alert");
      const declareInput = parsed.data;
      const declareAudit = {} as Parameters<typeof declareInTx>[3];
      const created = await declareInTx(tx, actor, declareInput, declareAudit, {
        source: "ALERTMANAGER",
        externalKey: `alertmanager:${input.integrationId}:${alert.fingerprint}:${alert.startsAt}`,
        releaseId: suspect?.id ?? null,
        sourceNote: suspect
          ? ` — from an Alertmanager alert ${Math.round((startsAt.getTime() - suspect.deployedAt.getTime()) / 60_000)} min after the deploy of ${suspect.version} (the suspect)`
          : " — from an Alertmanager alert",
      });
      // Audited as the declaration it is, exactly like one from the form, naming the channel.
      await writeAudit(tx, {
        actor,
        action: "incident.declare",
        outcome: "ALLOWED",
        entityType: "Incident",
        entityId: created.id,
        incidentId: created.id,
        details: { ...((declareAudit.details ?? {}) as object), via: "ALERTMANAGER", integration: input.integrationId },
      });
      incident = { id: created.id, number: created.number };
      result = "opened";
    }
    await recordTimelineEvent(tx, {
      incidentId: incident.id,
      kind: "ALERT_FIRING",
      source: "ALERTMANAGER",
      actorId: actor.id,
      at: startsAt,
      recordedAt: now,
      message: `Alert firing: ${alertSummary(alert)}`,
      payload,
    });
    await mark(incident.id);
    Object.assign(audit, { incidentId: incident.id, details: { ...base, result, incident: incidentRef(incident.number) } });
    return { ...base, result, incident: incidentRef(incident.number) };
  },
});
