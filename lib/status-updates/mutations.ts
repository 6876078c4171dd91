// Posting a stakeholder update, through the change path (lib/incidents/change.ts).
import "server-only";
import type { Actor } from "@/lib/audit/log";
import { StaleError } from "@/lib/errors";
import { defineChange } from "@/lib/incidents/change";
import { recordTimelineEvent } from "@/lib/timeline/record";
import { nextUpdateAt } from "./rules";
import { type PostStatusUpdateInput, postStatusUpdateSchema } from "./schemas";

export const postStatusUpdateChange = defineChange({
  action: "status_update.post",
  schema: postStatusUpdateSchema,
  permission: "incident:update",
  target: (input) => ({ entityType: "Incident", entityId: input.incidentId, incidentId: input.incidentId }),
  async apply({ tx, user, input, now, audit }) {
    const actor = user;
    // One writer at a time per incident's updates: the second of two people posting at once waits,
    // then finds the first's update newer than the one it followed and is refused as stale (the
    // unique (incidentId, sequence) key would refuse it too, but only with an aborted transaction).
    await tx.$queryRaw`SELECT id FROM "Incident" WHERE id = ${input.incidentId} FOR UPDATE`;
    const latest = await tx.statusUpdate.findFirst({ where: { incidentId: input.incidentId }, orderBy: { sequence: "desc" } });
    const latestSequence = latest?.sequence ?? 0;
    if (latestSequence !== input.after) {
      throw new StaleError(
        "Someone posted a newer update while you were writing. Read it (shown above); post yours if it still adds something.",
        latest,
      );
    }
    const due = nextUpdateAt(now, input.nextUpdateInMinutes);
    const update = await tx.statusUpdate.create({
      data: {
        incidentId: input.incidentId,
        sequence: latestSequence + 1,
        status: input.status,
        impact: input.impact,
        actions: input.actions,
        nextUpdateAt: due,
        authorId: actor.id,
        postedAt: now,
      },
    });
    await recordTimelineEvent(tx, {
      incidentId: input.incidentId,
      kind: "STATUS_UPDATE_POSTED",
      actorId: actor.id,
      at: now,
      message: `${actor.name} posted status update #${update.sequence}: ${input.status}`,
      payload: { statusUpdateId: update.id, sequence: update.sequence, nextUpdateAt: due?.toISOString() ?? null },
    });
    Object.assign(audit, {
      entityType: "StatusUpdate",
      entityId: update.id,
      details: { sequence: update.sequence, nextUpdateAt: due?.toISOString() ?? null },
    });
    return { id: update.id, sequence: update.sequence };
  },
});

export function postStatusUpdate(actor: Actor, input: PostStatusUpdateInput, now?: Date) {
  return postStatusUpdateChange.runOrThrow(actor, input, now ? { now } : undefined);
}
