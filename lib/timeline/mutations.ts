// Changes to the timeline itself, through the change path: a responder's note (possibly about an
// earlier moment) and the star on a key moment.
import "server-only";
import type { Actor } from "@/lib/audit/log";
import type { Db } from "@/lib/db";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { defineChange } from "@/lib/incidents/change";
import { publishLive } from "@/lib/live/publish";
import { formatUtc } from "@/lib/time/format";
import { recordTimelineEvent } from "./record";
import { addNoteSchema, starEventSchema } from "./schemas";

/** A note may be about a moment a little ahead of the server's clock (the browser's may run fast). */
const CLOCK_SKEW_MS = 60_000;

export const addNoteChange = defineChange({
  action: "timeline.add_note",
  schema: addNoteSchema,
  permission: "incident:update",
  target: (input) => ({ entityType: "Incident", entityId: input.incidentId, incidentId: input.incidentId }),
  async apply({ tx, user, input, now, audit }) {
    const actor = user;
    const at = input.at ?? now;
    if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) {
      throw new InvalidInputError(`A note cannot be about a time in the future (it is now ${formatUtc(now)}).`, "at");
    }
    const event = await recordTimelineEvent(tx, {
      incidentId: input.incidentId,
      kind: "NOTE",
      actorId: actor.id,
      at,
      recordedAt: now,
      message: input.text,
    });
    audit.entityType = "TimelineEvent";
    audit.entityId = event.id;
    audit.details = { at: at.toISOString(), backdated: input.at !== undefined };
    return { id: event.id };
  },
});

export function addNote(actor: Actor, input: Parameters<typeof addNoteChange.runOrThrow>[1]) {
  return addNoteChange.runOrThrow(actor, input);
}

async function eventIncident(input: { eventId: string }, db: Db): Promise<string | null> {
  return (await db.timelineEvent.findUnique({ where: { id: input.eventId }, select: { incidentId: true } }))?.incidentId ?? null;
}

/** Stars (or unstars) a key moment. The same click twice changes nothing and writes no audit row. */
export const starEventChange = defineChange({
  action: "timeline.star",
  schema: starEventSchema,
  permission: "incident:update",
  target: (input) => ({ entityType: "TimelineEvent", entityId: input.eventId }),
  locate: eventIncident,
  async apply({ tx, user, input, now, audit }) {
    const actor = user;
    const event = await tx.timelineEvent.findUnique({
      where: { id: input.eventId },
      select: { id: true, incidentId: true, starredAt: true },
    });
    if (!event) throw new NotFoundError("That timeline entry does not exist.");
    if ((event.starredAt !== null) === input.starred) {
      audit.skip = true;
      return { starred: input.starred };
    }
    await tx.timelineEvent.update({
      where: { id: event.id },
      data: input.starred ? { starredAt: now, starredById: actor.id } : { starredAt: null, starredById: null },
    });
    // Every open page of the incident re-renders its timeline (a "timeline" event, as for a new entry).
    await publishLive(tx, event.incidentId, "timeline", { id: event.id, starred: input.starred }, actor.id);
    audit.incidentId = event.incidentId;
    audit.details = { starred: input.starred };
    return { starred: input.starred };
  },
});
