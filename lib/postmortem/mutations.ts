// Generating the post-mortem agenda: a change of the change path that reads the incident, builds the
// agenda and stores it as the incident's POSTMORTEM_AGENDA document (a new version each time it is
// generated again), with its timeline entry and audit row in one transaction.
import "server-only";
import type { z } from "zod";
import type { Actor } from "@/lib/audit/log";
import { addDocumentVersion, createDocument } from "@/lib/documents/store";
import { ConflictError, InvalidInputError } from "@/lib/errors";
import { defineChange } from "@/lib/incidents/change";
import { recordTimelineEvent } from "@/lib/timeline/record";
import { agendaTitle, buildAgenda, renderAgendaMarkdown } from "./agenda";
import { loadAgendaFacts } from "./facts";
import { generateAgendaSchema } from "./schemas";

export const generateAgendaChange = defineChange({
  action: "postmortem.generate_agenda",
  schema: generateAgendaSchema,
  permission: "incident:update",
  target: (input) => ({ entityType: "Incident", entityId: input.incidentId, incidentId: input.incidentId }),
  async apply({ tx, user, input, now, audit }) {
    const actor = user as Actor;
    // One agenda per incident: serialise generations on the incident row (a unique index does not
    // stop two documents whose runId is NULL).
    await tx.$queryRaw`SELECT id FROM "Incident" WHERE id = ${input.incidentId} FOR UPDATE`;
    const facts = await loadAgendaFacts(tx, input.incidentId);
    if (!facts.signedOffAt) {
      throw new ConflictError(
        "The agenda is proposed from the verification sign-off, and this incident's verification is not signed off yet.",
      );
    }
    const facilitator = input.facilitatorId
      ? await tx.user.findFirst({ where: { id: input.facilitatorId, disabledAt: null }, select: { name: true, email: true } })
      : { name: actor.name, email: actor.email };
    if (!facilitator) throw new InvalidInputError("Choose an active user as the facilitator.", "facilitatorId");
    const content = buildAgenda(facts, { withinHours: input.withinHours, skipWeekends: input.skipWeekends, facilitator }, now);
    if (!content) throw new InvalidInputError("No meeting slot fits in that window: make it longer.", "withinHours");
    const version = { content, markdown: renderAgendaMarkdown(content), authorId: actor.id, at: now };
    const existing = await tx.document.findFirst({
      where: { incidentId: input.incidentId, kind: "POSTMORTEM_AGENDA", runId: null },
      select: { id: true, currentVersion: true },
    });
    const saved = existing
      ? await addDocumentVersion(tx, { documentId: existing.id, basedOn: existing.currentVersion, ...version })
      : await createDocument(tx, { incidentId: input.incidentId, kind: "POSTMORTEM_AGENDA", title: agendaTitle(content), ...version });
    await recordTimelineEvent(tx, {
      incidentId: input.incidentId,
      kind: "DOCUMENT_UPDATED",
      actorId: actor.id,
      at: now,
      message: `Post-mortem agenda v${saved.version} generated: meeting proposed for ${content.meeting.start.slice(0, 16).replace("T", " ")} UTC`,
      payload: { documentId: saved.documentId, kind: "POSTMORTEM_AGENDA", version: saved.version },
    });
    Object.assign(audit, {
      entityType: "Document",
      entityId: saved.documentId,
      details: {
        version: saved.version,
        meetingStart: content.meeting.start,
        withinHours: input.withinHours,
        skipWeekends: input.skipWeekends,
      },
    });
    return { ...saved, meetingStart: content.meeting.start };
  },
});

export function generateAgenda(actor: Actor, input: z.input<typeof generateAgendaSchema>, options?: { now?: Date }) {
  return generateAgendaChange.runOrThrow(actor, input, options);
}
