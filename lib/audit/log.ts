// The audit log: one row per attempted change, allowed or not. Append-only in the database.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { AuditOutcome, Role } from "@/generated/prisma/enums";
import type { Db, Tx } from "@/lib/db";

export type Actor = { id: string; email: string; name: string; role: Role };

export type AuditEntry = {
  actor: Actor | null;
  action: string;
  outcome: AuditOutcome;
  entityType: string;
  entityId?: string | null;
  incidentId?: string | null;
  details?: Prisma.InputJsonValue;
};

export async function writeAudit(db: Db | Tx, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      actorId: entry.actor?.id ?? null,
      actorEmail: entry.actor?.email ?? null,
      actorRole: entry.actor?.role ?? null,
      action: entry.action,
      outcome: entry.outcome,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      incidentId: entry.incidentId ?? null,
      details: entry.details ?? {},
    },
  });
}
