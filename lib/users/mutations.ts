// User administration, through the change path (lib/incidents/change.ts). Admin only; an admin
// cannot disable their own account, and nobody can leave the installation without an active admin.
// The password is hashed before the transaction and neither it nor its hash is ever audited.
import "server-only";
import type { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import type { Actor } from "@/lib/audit/log";
import { hashPassword } from "@/lib/auth/password";
import { endSessions } from "@/lib/auth/sessions";
import type { Tx } from "@/lib/db";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { defineChange } from "@/lib/incidents/change";
import { changeRoleSchema, createUserSchema, type setDisabledSchema, userRefSchema } from "./schemas";

const PERMISSION = "user:manage" as const;

export const createUserChange = defineChange({
  action: "user.create",
  schema: createUserSchema,
  permission: PERMISSION,
  target: () => ({ entityType: "User" }),
  // Hashing is deliberately slow: done before the transaction, not while it holds a connection.
  prepare: async ({ input }) => ({ passwordHash: await hashPassword(input.password) }),
  async apply({ tx, user, input, prepared, audit }) {
    const created = await tx.user
      .create({
        data: {
          email: input.email,
          name: input.name,
          role: input.role,
          passwordHash: prepared.passwordHash,
          createdById: user.id,
        },
        select: { id: true, email: true, name: true, role: true },
      })
      .catch((e) => {
        // The unique email is the database's to enforce; the failed insert ends the transaction's work.
        if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
          throw new InvalidInputError(`A user with the email ${input.email} already exists.`, "email");
        }
        throw e;
      });
    Object.assign(audit, { entityId: created.id, details: { email: created.email, role: created.role } });
    return created;
  },
});

export function createUser(actor: Actor, input: z.input<typeof createUserSchema>) {
  return createUserChange.runOrThrow(actor, input);
}

const TARGET_SELECT = { id: true, email: true, role: true, disabledAt: true } as const;

async function loadTarget(tx: Tx, userId: string) {
  const user = await tx.user.findUnique({ where: { id: userId }, select: TARGET_SELECT });
  if (!user) throw new NotFoundError("That user does not exist.");
  return user;
}

/**
 * Refuses to take away the last active admin. The active admins' rows are locked first, so two
 * admins demoting or disabling each other at the same moment cannot both pass the count.
 */
async function assertAnotherActiveAdmin(tx: Tx, userId: string) {
  const admins = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "User" WHERE role = 'ADMIN' AND "disabledAt" IS NULL ORDER BY id FOR UPDATE`;
  if (!admins.some((a) => a.id !== userId)) {
    throw new ConflictError("This is the last active admin: make someone else admin first.");
  }
}

export const changeRoleChange = defineChange({
  action: "user.change_role",
  schema: changeRoleSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "User", entityId: input.userId }),
  async apply({ tx, input, now, audit }) {
    const target = await loadTarget(tx, input.userId);
    if (target.role === input.role) {
      audit.skip = true;
      return target;
    }
    if (target.role === "ADMIN") await assertAnotherActiveAdmin(tx, target.id);
    const updated = await tx.user.update({
      where: { id: target.id },
      data: { role: input.role, version: { increment: 1 } },
      select: TARGET_SELECT,
    });
    // Signed in under the old role is signed out: the person starts again with what the new role sees.
    const sessions = await endSessions(tx, target.id, "role changed", now);
    audit.details = { email: target.email, from: target.role, to: input.role, sessions };
    return updated;
  },
});

export function changeRole(actor: Actor, input: z.input<typeof changeRoleSchema>) {
  return changeRoleChange.runOrThrow(actor, input);
}

export const disableUserChange = defineChange({
  action: "user.disable",
  schema: userRefSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "User", entityId: input.userId }),
  async apply({ tx, user, input, now, audit }) {
    if (input.userId === user.id) throw new ForbiddenError("You cannot disable your own account.");
    const target = await loadTarget(tx, input.userId);
    if (target.disabledAt) {
      audit.skip = true;
      return target;
    }
    if (target.role === "ADMIN") await assertAnotherActiveAdmin(tx, target.id);
    const updated = await tx.user.update({
      where: { id: target.id },
      data: { disabledAt: now, version: { increment: 1 } },
      select: TARGET_SELECT,
    });
    // Reading the user per request already refuses a disabled one; ending the rows too means
    // enabling them again does not bring the old sessions back.
    const sessions = await endSessions(tx, target.id, "disabled", now);
    audit.details = { email: target.email, sessions };
    return updated;
  },
});

export const enableUserChange = defineChange({
  action: "user.enable",
  schema: userRefSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "User", entityId: input.userId }),
  async apply({ tx, input, audit }) {
    const target = await loadTarget(tx, input.userId);
    if (!target.disabledAt) {
      audit.skip = true;
      return target;
    }
    const updated = await tx.user.update({
      where: { id: target.id },
      data: { disabledAt: null, version: { increment: 1 } },
      select: TARGET_SELECT,
    });
    audit.details = { email: target.email };
    return updated;
  },
});

/** An admin's "sign out everywhere" for one user: every open session of theirs ends. */
export const endUserSessionsChange = defineChange({
  action: "user.end_sessions",
  schema: userRefSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "User", entityId: input.userId }),
  async apply({ tx, input, now, audit }) {
    const target = await loadTarget(tx, input.userId);
    const sessions = await endSessions(tx, target.id, "ended by an admin", now);
    // Ending nothing is still an answer the admin asked for; it is audited with its count.
    audit.details = { email: target.email, sessions };
    return { sessions };
  },
});

/** For tests and scripts: disable or enable, each its own change (and audit action). */
export function setUserDisabled(actor: Actor, input: z.input<typeof setDisabledSchema>) {
  const { disabled, ...ref } = input;
  return (disabled ? disableUserChange : enableUserChange).runOrThrow(actor, ref);
}
