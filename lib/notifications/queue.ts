// Queuing notifications: called by recordTimelineEvent, in the transaction of the change that
// writes the timeline entry, so every change of a notified kind gets its deliveries exactly when it
// commits — and no call site has to remember them. The sending is the destination's job
// (deliver.ts): nothing here waits on a receiver.
import "server-only";
import type { TimelineKind } from "@/generated/prisma/enums";
import type { Tx } from "@/lib/db";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { notificationEventOf } from "./events";
import type { NotificationFacts } from "./format";
import { publicBaseUrl } from "./settings";

/** The job of a destination: one waiting at most (its key), one running at most across the cluster (its queue). */
export function deliveryJobOptions(destinationId: string) {
  return { jobKey: `notify:${destinationId}`, queueName: `notify:${destinationId}`, maxAttempts: 5 };
}

export async function enqueueDestinationJob(tx: Tx, destinationId: string, runAt?: Date): Promise<void> {
  await enqueueJob(tx, "notification.deliver", { destinationId }, { ...deliveryJobOptions(destinationId), runAt });
}

export async function queueNotifications(
  tx: Tx,
  entry: { incidentId: string; kind: TimelineKind; message: string; actorId: string | null; at: Date },
): Promise<number> {
  const event = notificationEventOf(entry.kind);
  if (!event) return 0;
  const destinations = await tx.notificationDestination.findMany({
    where: { disabledAt: null, events: { has: event } },
    select: { id: true, serviceId: true },
  });
  if (destinations.length === 0) return 0;
  const incident = await tx.incident.findUniqueOrThrow({
    where: { id: entry.incidentId },
    select: {
      id: true,
      number: true,
      title: true,
      severity: true,
      status: true,
      badVersion: true,
      previousVersion: true,
      serviceId: true,
      service: { select: { name: true } },
    },
  });
  const chosen = destinations.filter((d) => d.serviceId === null || d.serviceId === incident.serviceId);
  if (chosen.length === 0) return 0;
  const actor = entry.actorId ? await tx.user.findUnique({ where: { id: entry.actorId }, select: { name: true } }) : null;
  const base = publicBaseUrl();
  const facts: NotificationFacts = {
    event,
    at: entry.at.toISOString(),
    message: entry.message,
    actor: actor?.name ?? null,
    incident: {
      id: incident.id,
      number: incident.number,
      title: incident.title,
      severity: incident.severity,
      status: incident.status,
      service: incident.service.name,
      badVersion: incident.badVersion,
      previousVersion: incident.previousVersion,
    },
    url: base ? `${base}/incidents/${incident.number}` : null,
  };
  for (const d of chosen) {
    await tx.notificationDelivery.create({
      data: { destinationId: d.id, event, incidentId: incident.id, payload: facts },
    });
    await enqueueDestinationJob(tx, d.id);
  }
  return chosen.length;
}
