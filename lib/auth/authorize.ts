// Role checks inside every mutation. A refusal is itself audited, outside any transaction,
// so the record of the attempt survives even though nothing else is written.
import "server-only";
import { type Actor, writeAudit } from "@/lib/audit/log";
import { getDb } from "@/lib/db";
import { ForbiddenError } from "@/lib/errors";
import { can, type Permission, ROLE_LABELS } from "./roles";

export async function authorize(
  actor: Actor,
  permission: Permission,
  target: { action: string; entityType: string; entityId?: string | null; incidentId?: string | null },
): Promise<void> {
  if (can(actor.role, permission)) return;
  await writeAudit(getDb(), {
    actor,
    action: target.action,
    outcome: "DENIED",
    entityType: target.entityType,
    entityId: target.entityId,
    incidentId: target.incidentId,
    details: { reason: `role ${actor.role} lacks ${permission}` },
  });
  throw new ForbiddenError(`${ROLE_LABELS[actor.role]}s cannot do this (${permission}).`);
}
