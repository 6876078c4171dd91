// Share links: created and revoked by release managers, through the change path.
import "server-only";
import type { Actor } from "@/lib/audit/log";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { defineChange } from "@/lib/incidents/change";
import { newSecretToken } from "@/lib/security/tokens";
import { type CreateShareLinkInput, createShareLinkSchema, revokeShareLinkSchema, SHARE_TOKEN_PREFIX } from "./schemas";

const DAY_MS = 24 * 60 * 60_000;

/** Returns the token itself exactly once, to its creator; only its hash is stored, and never audited. */
export const createShareLinkChange = defineChange({
  action: "share_link.create",
  schema: createShareLinkSchema,
  permission: "incident:share",
  target: (input) => ({ entityType: "Incident", entityId: input.incidentId, incidentId: input.incidentId }),
  async apply({ tx, user, input, now, audit }) {
    const { token, hash } = newSecretToken(SHARE_TOKEN_PREFIX);
    const expiresAt = new Date(now.getTime() + input.expiresInDays * DAY_MS);
    const link = await tx.shareLink.create({
      data: {
        incidentId: input.incidentId,
        tokenHash: hash,
        showNames: input.showNames,
        createdById: user.id,
        createdAt: now,
        expiresAt,
      },
      select: { id: true },
    });
    Object.assign(audit, {
      entityType: "ShareLink",
      entityId: link.id,
      details: { expiresAt: expiresAt.toISOString(), showNames: input.showNames },
    });
    return { id: link.id, token, expiresAt };
  },
});

export function createShareLink(actor: Actor, input: CreateShareLinkInput, now?: Date) {
  return createShareLinkChange.runOrThrow(actor, input, now ? { now } : undefined);
}

/** Takes effect at once: the share page checks the link on every opening. */
export const revokeShareLinkChange = defineChange({
  action: "share_link.revoke",
  schema: revokeShareLinkSchema,
  permission: "incident:share",
  target: (input) => ({ entityType: "ShareLink", entityId: input.shareLinkId }),
  locate: async (input, db) =>
    (await db.shareLink.findUnique({ where: { id: input.shareLinkId }, select: { incidentId: true } }))?.incidentId ?? null,
  async apply({ tx, user, input, now }) {
    const { count } = await tx.shareLink.updateMany({
      where: { id: input.shareLinkId, revokedAt: null },
      data: { revokedAt: now, revokedById: user.id },
    });
    if (count === 0) {
      const exists = await tx.shareLink.count({ where: { id: input.shareLinkId } });
      throw exists ? new ConflictError("That link is already revoked.") : new NotFoundError("No such share link.");
    }
  },
});

export function revokeShareLink(actor: Actor, input: { shareLinkId: string }, now?: Date) {
  return revokeShareLinkChange.runOrThrow(actor, input, now ? { now } : undefined);
}
