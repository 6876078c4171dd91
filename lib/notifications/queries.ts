// The admin page's destinations (never their URL or secret: the host only) and latest deliveries.
import "server-only";
import { getDb } from "@/lib/db";

export function listDestinations() {
  return getDb().notificationDestination.findMany({
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      format: true,
      urlHost: true,
      events: true,
      createdAt: true,
      disabledAt: true,
      service: { select: { name: true } },
      createdBy: { select: { name: true } },
    },
  });
}

export function listDeliveries(take = 50) {
  return getDb().notificationDelivery.findMany({
    orderBy: { sequence: "desc" },
    take,
    select: {
      id: true,
      event: true,
      status: true,
      attempts: true,
      lastStatus: true,
      lastAnswer: true,
      lastAttemptAt: true,
      nextAttemptAt: true,
      sentAt: true,
      createdAt: true,
      destination: { select: { name: true } },
      incident: { select: { number: true, title: true } },
    },
  });
}
