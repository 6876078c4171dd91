// Timeline events are written in the same transaction as the change they describe, and announced
// to every open page of the incident (a "timeline" live event) when that transaction commits, and
// queue the notifications admins asked for (lib/notifications/queue.ts) in that transaction.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { TimelineKind, TimelineSource } from "@/generated/prisma/enums";
import type { Tx } from "@/lib/db";
import { publishLive } from "@/lib/live/publish";
import { queueNotifications } from "@/lib/notifications/queue";
import { changeSource } from "./source-context";

export async function recordTimelineEvent(
  tx: Tx,
  event: {
    incidentId: string;
    kind: TimelineKind;
    message: string;
    actorId?: string | null;
    source?: TimelineSource;
    at?: Date;
    /** When it was written, if not now (a note about an earlier moment has `at` before it). */
    recordedAt?: Date;
    payload?: Prisma.InputJsonValue;
  },
) {
  const created = await tx.timelineEvent.create({
    data: {
      incidentId: event.incidentId,
      kind: event.kind,
      message: event.message,
      actorId: event.actorId ?? null,
      // A person's entry carries the channel their change came through (web by default, or the API).
      source: event.source ?? (event.actorId ? (changeSource() ?? "USER") : "SYSTEM"),
      at: event.at,
      // Written at its moment unless said otherwise (a note about an earlier moment says so);
      // a change run with an explicit `now` writes both at that moment.
      recordedAt: event.recordedAt ?? event.at,
      payload: event.payload ?? {},
    },
  });
  await publishLive(
    tx,
    created.incidentId,
    "timeline",
    { id: created.id, kind: created.kind, source: created.source, message: created.message, at: created.at.toISOString() },
    created.actorId,
  );
  // The entries destinations are told of (lib/notifications/events.ts) queue their deliveries here,
  // in this transaction: every change of those kinds notifies, whichever code path made it.
  await queueNotifications(tx, created);
  return created;
}
