// Alertmanager integrations: an admin creates and revokes them through the change path; the token
// is in the result once, never in the audit row. Received alerts: ./alert.ts.
import "server-only";
import { randomBytes } from "node:crypto";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { defineChange } from "@/lib/incidents/change";
import { createIntegrationSchema, revokeIntegrationSchema } from "./schemas";
import { generateAlertmanagerToken } from "./tokens";

const PERMISSION = "user:manage" as const;

export const createIntegrationChange = defineChange({
  action: "alertmanager_integration.create",
  schema: createIntegrationSchema,
  permission: PERMISSION,
  target: () => ({ entityType: "AlertmanagerIntegration" }),
  async apply({ tx, user, input, now, audit }) {
    const admin = user;
    // Deliveries act as this account: a responder that never signs in (no password, refused by SSO).
    const account = await tx.user.create({
      data: {
        email: `alertmanager-${randomBytes(8).toString("hex")}@integrations.backout.invalid`,
        name: `${input.name} (Alertmanager)`,
        role: "RESPONDER",
        serviceAccount: true,
        createdById: admin.id,
      },
      select: { id: true },
    });
    const { token, hash, prefix } = generateAlertmanagerToken();
    const created = await tx.alertmanagerIntegration.create({
      data: { ...input, tokenHash: hash, prefix, accountId: account.id, createdById: admin.id, createdAt: now },
      select: { id: true },
    });
    Object.assign(audit, { entityId: created.id, details: { ...input, prefix } });
    return { id: created.id, token, prefix };
  },
});

export const revokeIntegrationChange = defineChange({
  action: "alertmanager_integration.revoke",
  schema: revokeIntegrationSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "AlertmanagerIntegration", entityId: input.integrationId }),
  async apply({ tx, input, now, audit }) {
    const { count } = await tx.alertmanagerIntegration.updateMany({
      where: { id: input.integrationId, revokedAt: null },
      data: { revokedAt: now },
    });
    const row = await tx.alertmanagerIntegration.findUnique({ where: { id: input.integrationId }, select: { name: true, prefix: true } });
    if (!row) throw new NotFoundError("That integration does not exist.");
    if (count === 0) throw new ConflictError("That integration is already revoked.");
    audit.details = row;
    return { revoked: true };
  },
});
