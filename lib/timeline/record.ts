// Timeline events are written in the same transaction as the change they describe.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { TimelineKind, TimelineSource } from "@/generated/prisma/enums";
import type { Tx } from "@/lib/db";

export async function recordTimelineEvent(
  tx: Tx,
  event: {
    incidentId: string;
    kind: TimelineKind;
    message: string;
    actorId?: string | null;
    source?: TimelineSource;
    at?: Date;
    payload?: Prisma.InputJsonValue;
  },
) {
  return tx.timelineEvent.create({
    data: {
      incidentId: event.incidentId,
      kind: event.kind,
      message: event.message,
      actorId: event.actorId ?? null,
      source: event.source ?? (event.actorId ? "USER" : "SYSTEM"),
      at: event.at,
      payload: event.payload ?? {},
    },
  });
}
