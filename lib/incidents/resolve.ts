// Resolving an incident. After a rollback, not before the verification checklist is signed off
// (all three sign-offs, which lock it) — unless a release manager waives the sign-off with a reason,
// which is recorded on the checklist, the timeline and the audit log.
import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/audit/log";
import { can } from "@/lib/auth/roles";
import { publishChecklistEvent } from "@/lib/checklist/live";
import { saveVerificationReport } from "@/lib/checklist/mutations";
import { getDb } from "@/lib/db";
import { ConflictError, ForbiddenError, NotFoundError, StaleError } from "@/lib/errors";
import { recordTimelineEvent } from "@/lib/timeline/record";
import { defineChange, type RunOptions } from "./change";
import { incidentRef } from "./schemas";

export const resolveIncidentSchema = z.object({
  incidentId: z.string().min(1),
  version: z.number().int().positive(),
  resolution: z.string().trim().min(5, "Say how it was resolved, in at least 5 characters.").max(4000),
  /** Release managers only: resolve although the verification is not signed off, and why. */
  waiveSignOffReason: z
    .string()
    .trim()
    .max(2000)
    .optional()
    .transform((s) => (s ? s : undefined))
    .refine((s) => s === undefined || s.length >= 10, "Say why the sign-off is waived, in at least 10 characters."),
});

export type ResolveIncidentInput = z.input<typeof resolveIncidentSchema>;

export class SignOffRequiredError extends ConflictError {}

export const resolveIncidentChange = defineChange({
  action: "incident.resolve",
  schema: resolveIncidentSchema,
  permission: "incident:resolve",
  target: (input) => ({ entityType: "Incident", entityId: input.incidentId, incidentId: input.incidentId }),
  async apply({ tx, user, input, now, audit }) {
    const actor = user;
    const [row] = await tx.$queryRaw<{ status: string; number: number }[]>`
      SELECT status::text, number FROM "Incident" WHERE id = ${input.incidentId} FOR UPDATE`;
    if (!row) throw new NotFoundError("No such incident.");
    if (row.status === "RESOLVED") throw new ConflictError("This incident is already resolved.");

    const checklist = await tx.checklist.findUnique({ where: { incidentId: input.incidentId }, select: { id: true, lockedAt: true } });
    if (checklist) await tx.$queryRaw`SELECT id FROM "Checklist" WHERE id = ${checklist.id} FOR UPDATE`;
    const rolledBack = (await tx.rollbackRun.count({ where: { incidentId: input.incidentId, status: "SUCCEEDED" } })) > 0;
    const signOffRequired = rolledBack || checklist !== null;
    const signedOff = checklist?.lockedAt != null;
    const waiving = signOffRequired && !signedOff;
    const refusalDetails = { details: { waiver: input.waiveSignOffReason ?? null } };

    if (waiving && !input.waiveSignOffReason) {
      throw new SignOffRequiredError(
        checklist
          ? "This incident cannot be resolved before the verification is signed off by the DevOps engineer, the technical lead and the release manager. A release manager can waive the sign-off, with a reason."
          : "This incident was rolled back: verify it (start verification, then the three sign-offs) before resolving. A release manager can waive the sign-off, with a reason.",
        refusalDetails,
      );
    }
    if (waiving && !can(actor.role, "incident:waive_signoff")) {
      throw new ForbiddenError("Only a release manager can waive the verification sign-off.", {
        field: "waiveSignOffReason",
        ...refusalDetails,
      });
    }

    const { count } = await tx.incident.updateMany({
      where: { id: input.incidentId, version: input.version },
      data: { status: "RESOLVED", resolvedAt: now, version: { increment: 1 } },
    });
    if (count === 0) {
      throw new StaleError("Someone else changed this incident since you opened it. Reload, check its state, and resolve again.", {
        status: row.status,
      });
    }

    if (waiving) {
      if (checklist) {
        await tx.checklist.update({
          where: { id: checklist.id },
          data: {
            signOffWaivedReason: input.waiveSignOffReason,
            signOffWaivedAt: now,
            signOffWaivedById: actor.id,
            version: { increment: 1 },
          },
        });
      }
      await recordTimelineEvent(tx, {
        incidentId: input.incidentId,
        kind: "SIGN_OFF_WAIVED",
        actorId: actor.id,
        at: now,
        message: `${actor.name} waived the verification sign-off: ${input.waiveSignOffReason}`,
        payload: { reason: input.waiveSignOffReason ?? null, checklistId: checklist?.id ?? null },
      });
    }
    const signOff = signedOff ? "given" : waiving ? "waived" : "not needed";
    await recordTimelineEvent(tx, {
      incidentId: input.incidentId,
      kind: "INCIDENT_RESOLVED",
      actorId: actor.id,
      at: now,
      message: `${actor.name} resolved ${incidentRef(row.number)}: ${input.resolution}`,
      payload: { from: row.status, resolution: input.resolution, signOff },
    });
    audit.details = { from: row.status, signOff, waiver: input.waiveSignOffReason ?? null };
    // The report records the waiver; a signed-off one is already current.
    if (checklist && waiving) await saveVerificationReport(tx, input.incidentId, actor.id, now);
    if (checklist) await publishChecklistEvent(tx, input.incidentId, { type: "checklist", reason: "resolved" }, actor.id);
    return { resolved: true };
  },
});

export function resolveIncident(actor: Actor, raw: ResolveIncidentInput, options: RunOptions = {}) {
  return resolveIncidentChange.runOrThrow(actor, raw, options);
}

/** What the Resolve panel tells the user before they try: is a sign-off needed, and given? */
export async function getResolveRequirement(incidentId: string) {
  const db = getDb();
  const [checklist, rolledBack] = await Promise.all([
    db.checklist.findUnique({ where: { incidentId }, select: { lockedAt: true } }),
    db.rollbackRun.count({ where: { incidentId, status: "SUCCEEDED" } }),
  ]);
  return {
    signOffRequired: rolledBack > 0 || checklist !== null,
    signedOff: checklist?.lockedAt != null,
    checklistStarted: checklist !== null,
  };
}
