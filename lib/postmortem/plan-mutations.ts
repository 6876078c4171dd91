// Writing the re-deployment plan: a change of the change path that stores the plan as the incident's
// REDEPLOY_PLAN document (a new version against the one the writer read), with the readiness of the
// HIGH action items as it is when written, its timeline entry and audit row.
import "server-only";
import type { z } from "zod";
import type { Actor } from "@/lib/audit/log";
import { defineChange } from "@/lib/incidents/change";
import { writeIncidentDocument } from "./incident-document";
import { readPlanReadiness } from "./record";
import { type PlanContent, planTitle, readinessWords, renderPlanMarkdown } from "./redeploy-plan";
import { savePlanSchema } from "./schemas";

export const savePlanChange = defineChange({
  action: "postmortem.save_redeploy_plan",
  schema: savePlanSchema,
  permission: "incident:update",
  target: (input) => ({ entityType: "Incident", entityId: input.incidentId, incidentId: input.incidentId }),
  // Read before the transaction: the plan records the readiness "as of" its writing.
  prepare: async ({ input }) => readPlanReadiness(input.incidentId),
  async apply({ tx, user, input, prepared: readiness, now, audit }) {
    const actor = user;
    const i = await tx.incident.findUniqueOrThrow({
      where: { id: input.incidentId },
      select: { number: true, title: true, badVersion: true, previousVersion: true, service: { select: { name: true } } },
    });
    const { incidentId: _id, basedOn, ...plan } = input;
    const content: PlanContent = {
      schema: 1,
      writtenAt: now.toISOString(),
      incident: { number: i.number, title: i.title, service: i.service.name, badVersion: i.badVersion, previousVersion: i.previousVersion },
      ...plan,
      readiness,
    };
    const version = { content, markdown: renderPlanMarkdown(content), authorId: actor.id, at: now };
    const saved = await writeIncidentDocument(tx, {
      incidentId: input.incidentId,
      kind: "REDEPLOY_PLAN",
      title: planTitle(content),
      basedOn,
      version,
      message: (v) =>
        `Re-deployment plan v${v}: ${input.fixedVersion} by ${input.strategy.toLowerCase().replace("_", "-")} on ${input.targetDate} — ${readinessWords(readiness)}`,
    });
    Object.assign(audit, {
      entityType: "Document",
      entityId: saved.documentId,
      details: { version: saved.version, strategy: input.strategy, targetDate: input.targetDate, ready: readiness.ready },
    });
    return saved;
  },
});

export function saveRedeployPlan(actor: Actor, input: z.input<typeof savePlanSchema>, options?: { now?: Date }) {
  return savePlanChange.runOrThrow(actor, input, options);
}
