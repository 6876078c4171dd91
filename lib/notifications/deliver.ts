// The delivery job of one destination (job "notification.deliver", one queue per destination):
// sends the destination's waiting deliveries oldest first. A failed attempt is recorded, the
// delivery waits its backoff, and the job comes back then — the deliveries after it wait too, so a
// receiver sees events in the order they happened. After the last attempt the delivery is FAILED
// with the receiver's last answer and the next one goes.
import "server-only";
import type { JobHelpers } from "graphile-worker";
import type { NotificationFormat } from "@/generated/prisma/enums";
import { getDb } from "@/lib/db";
import { backoffMs, type NotificationFacts, notificationRequest } from "./format";
import { deliveryJobOptions } from "./queue";
import { postToDestination } from "./send";
import type { DeliverySettings } from "./settings";

type Destination = { url: string; secret: string | null; format: NotificationFormat; disabledAt: Date | null };

export async function deliverForDestination(destinationId: string, settings: DeliverySettings, helpers: JobHelpers): Promise<void> {
  const db = getDb();
  let destination: Destination | null = null;
  for (;;) {
    const head = await db.notificationDelivery.findFirst({
      where: { destinationId, status: { in: ["PENDING", "RETRYING"] } },
      orderBy: { sequence: "asc" },
    });
    if (!head) return;
    const now = new Date();
    if (head.nextAttemptAt > now) {
      // Waiting out its backoff: come back then (the key keeps one job waiting for the destination).
      await helpers.addJob("notification.deliver", { destinationId }, { ...deliveryJobOptions(destinationId), runAt: head.nextAttemptAt });
      return;
    }
    destination ??= await db.notificationDestination.findUnique({
      where: { id: destinationId },
      select: { url: true, secret: true, format: true, disabledAt: true },
    });
    const attempts = head.attempts + 1;
    let outcome: { ok: boolean; status: number | null; answer: string };
    if (!destination || destination.disabledAt) {
      outcome = { ok: false, status: null, answer: "The destination was disabled before this was sent." };
    } else {
      const request = notificationRequest(destination.format, head.id, head.payload as NotificationFacts, destination.secret, Date.now());
      outcome = await postToDestination(destination.url, request, { timeoutMs: settings.timeoutMs, secret: destination.secret });
    }
    const done = new Date();
    const final = outcome.ok || attempts >= settings.maxAttempts || !destination || destination.disabledAt !== null;
    const next = new Date(done.getTime() + backoffMs(attempts, settings.backoffMs, settings.maxBackoffMs));
    // Conditional on the attempt count it read: an admin's "send again" in between is not overwritten.
    await db.notificationDelivery.updateMany({
      where: { id: head.id, attempts: head.attempts, status: head.status },
      data: {
        attempts,
        lastAttemptAt: done,
        lastStatus: outcome.status,
        lastAnswer: outcome.answer,
        status: outcome.ok ? "SENT" : final ? "FAILED" : "RETRYING",
        ...(outcome.ok ? { sentAt: done } : {}),
        ...(final ? {} : { nextAttemptAt: next }),
      },
    });
    if (!outcome.ok) helpers.logger.warn(`notification ${head.id} attempt ${attempts}: ${outcome.answer}`);
  }
}
