// Destinations and deliveries, changed by admins through the change path. The URL and the signing
// secret never reach an audit row (only the host); the secret is in the create result once.
import "server-only";
import { randomBytes } from "node:crypto";
import type { Actor } from "@/lib/audit/log";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { defineChange } from "@/lib/incidents/change";
import { enqueueDestinationJob } from "./queue";
import { createDestinationSchema, disableDestinationSchema, resendDeliverySchema } from "./schemas";

const PERMISSION = "user:manage" as const;

export const SECRET_PREFIX = "bo_whsec_";

export const createDestinationChange = defineChange({
  action: "notification_destination.create",
  schema: createDestinationSchema,
  permission: PERMISSION,
  target: () => ({ entityType: "NotificationDestination" }),
  async apply({ tx, user, input, now, audit }) {
    if (await tx.notificationDestination.findUnique({ where: { name: input.name }, select: { id: true } })) {
      throw new ConflictError("A destination with that name exists already.", { field: "name" });
    }
    if (input.serviceId && !(await tx.service.findUnique({ where: { id: input.serviceId }, select: { id: true } }))) {
      throw new NotFoundError("That service does not exist.", { field: "serviceId" });
    }
    const secret = input.format === "SIGNED_JSON" ? `${SECRET_PREFIX}${randomBytes(32).toString("base64url")}` : null;
    const urlHost = new URL(input.url).host;
    const events = [...new Set(input.events)];
    const created = await tx.notificationDestination.create({
      data: {
        name: input.name,
        format: input.format,
        url: input.url,
        urlHost,
        secret,
        events,
        serviceId: input.serviceId,
        createdById: (user as Actor).id,
        createdAt: now,
      },
      select: { id: true },
    });
    Object.assign(audit, {
      entityId: created.id,
      details: { name: input.name, format: input.format, host: urlHost, events, serviceId: input.serviceId },
    });
    return { id: created.id, secret };
  },
});

export const disableDestinationChange = defineChange({
  action: "notification_destination.disable",
  schema: disableDestinationSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "NotificationDestination", entityId: input.destinationId }),
  async apply({ tx, input, now, audit }) {
    const { count } = await tx.notificationDestination.updateMany({
      where: { id: input.destinationId, disabledAt: null },
      data: { disabledAt: now },
    });
    const row = await tx.notificationDestination.findUnique({ where: { id: input.destinationId }, select: { name: true, urlHost: true } });
    if (!row) throw new NotFoundError("That destination does not exist.");
    if (count === 0) throw new ConflictError("That destination is already disabled.");
    // Its waiting deliveries are failed by its job, with the reason.
    await enqueueDestinationJob(tx, input.destinationId);
    audit.details = { name: row.name, host: row.urlHost };
    return { disabled: true };
  },
});

export const resendDeliveryChange = defineChange({
  action: "notification_delivery.resend",
  schema: resendDeliverySchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "NotificationDelivery", entityId: input.deliveryId }),
  locate: async (input, db) =>
    (await db.notificationDelivery.findUnique({ where: { id: input.deliveryId }, select: { incidentId: true } }))?.incidentId ?? null,
  async apply({ tx, input, now, audit }) {
    const row = await tx.notificationDelivery.findUnique({
      where: { id: input.deliveryId },
      select: { status: true, attempts: true, destinationId: true, event: true, destination: { select: { name: true, disabledAt: true } } },
    });
    if (!row) throw new NotFoundError("That delivery does not exist.");
    if (row.destination.disabledAt) throw new ConflictError("Its destination is disabled: nothing would be sent.");
    // A fresh round of attempts; only a delivery that is not waiting already.
    const { count } = await tx.notificationDelivery.updateMany({
      where: { id: input.deliveryId, status: { in: ["FAILED", "SENT"] } },
      data: { status: "PENDING", attempts: 0, nextAttemptAt: now },
    });
    if (count === 0) throw new ConflictError("That delivery is already waiting to be sent.");
    await enqueueDestinationJob(tx, row.destinationId);
    audit.details = { destination: row.destination.name, event: row.event, previousStatus: row.status, previousAttempts: row.attempts };
    return { queued: true };
  },
});
