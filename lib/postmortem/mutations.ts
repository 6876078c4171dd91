// Generating the post-mortem agenda: a change of the change path that reads the incident, builds the
// agenda and stores it as the incident's POSTMORTEM_AGENDA document (a new version each time it is
// generated again), with its timeline entry and audit row in one transaction.
import "server-only";
import type { z } from "zod";
import type { Actor } from "@/lib/audit/log";
import { ConflictError, InvalidInputError } from "@/lib/errors";
import { defineChange } from "@/lib/incidents/change";
import { formatUtc } from "@/lib/time/format";
import { agendaTitle, buildAgenda, renderAgendaMarkdown } from "./agenda";
import { loadAgendaFacts } from "./facts";
import { writeIncidentDocument } from "./incident-document";
import { generateAgendaSchema } from "./schemas";

export const generateAgendaChange = defineChange({
  action: "postmortem.generate_agenda",
  schema: generateAgendaSchema,
  permission: "incident:update",
  target: (input) => ({ entityType: "Incident", entityId: input.incidentId, incidentId: input.incidentId }),
  async apply({ tx, user, input, now, audit }) {
    const actor = user;
    // The facts are read under the incident's lock that writing the document takes first.
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
    const saved = await writeIncidentDocument(tx, {
      incidentId: input.incidentId,
      kind: "POSTMORTEM_AGENDA",
      title: agendaTitle(content),
      basedOn: "current",
      version,
      message: (v) => `Post-mortem agenda v${v} generated: meeting proposed for ${formatUtc(content.meeting.start, "minute")}`,
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
