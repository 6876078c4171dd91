// User administration. Admin only; an admin cannot lock themselves or the installation out.
import "server-only";
import type { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import type { Role } from "@/generated/prisma/enums";
import { type Actor, writeAudit } from "@/lib/audit/log";
import { authorize } from "@/lib/auth/authorize";
import { hashPassword } from "@/lib/auth/password";
import { getDb, type Tx } from "@/lib/db";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { changeRoleSchema, createUserSchema, setDisabledSchema } from "./schemas";

export async function createUser(actor: Actor, raw: z.input<typeof createUserSchema>) {
  await authorize(actor, "user:manage", { action: "user.create", entityType: "User" });
  const input = createUserSchema.parse(raw);
  const passwordHash = await hashPassword(input.password);
  try {
    return await getDb().$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email: input.email, name: input.name, role: input.role, passwordHash, createdById: actor.id },
        select: { id: true, email: true, name: true, role: true },
      });
      await writeAudit(tx, {
        actor,
        action: "user.create",
        outcome: "ALLOWED",
        entityType: "User",
        entityId: user.id,
        details: { email: user.email, role: user.role },
      });
      return user;
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      throw new InvalidInputError(`A user with the email ${input.email} already exists.`, "email");
    }
    throw e;
  }
}

async function loadTarget(tx: Tx, userId: string) {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true, role: true, disabledAt: true } });
  if (!user) throw new NotFoundError("That user does not exist.");
  return user;
}

async function assertAnotherActiveAdmin(tx: Tx, userId: string) {
  const others = await tx.user.count({ where: { role: "ADMIN", disabledAt: null, id: { not: userId } } });
  if (others === 0) throw new InvalidInputError("This is the last active admin: make someone else admin first.");
}

export async function changeRole(actor: Actor, raw: z.input<typeof changeRoleSchema>) {
  const input = changeRoleSchema.parse(raw);
  await authorize(actor, "user:manage", { action: "user.change_role", entityType: "User", entityId: input.userId });
  return getDb().$transaction(async (tx) => {
    const target = await loadTarget(tx, input.userId);
    if (target.role === input.role) return target;
    if (target.role === "ADMIN") await assertAnotherActiveAdmin(tx, target.id);
    const updated = await tx.user.update({
      where: { id: target.id },
      data: { role: input.role as Role, version: { increment: 1 } },
      select: { id: true, email: true, role: true, disabledAt: true },
    });
    await writeAudit(tx, {
      actor,
      action: "user.change_role",
      outcome: "ALLOWED",
      entityType: "User",
      entityId: target.id,
      details: { email: target.email, from: target.role, to: input.role },
    });
    return updated;
  });
}

export async function setUserDisabled(actor: Actor, raw: z.input<typeof setDisabledSchema>) {
  const input = setDisabledSchema.parse(raw);
  const action = input.disabled ? "user.disable" : "user.enable";
  await authorize(actor, "user:manage", { action, entityType: "User", entityId: input.userId });
  if (input.disabled && input.userId === actor.id) throw new InvalidInputError("You cannot disable your own account.");
  return getDb().$transaction(async (tx) => {
    const target = await loadTarget(tx, input.userId);
    if (input.disabled && target.role === "ADMIN") await assertAnotherActiveAdmin(tx, target.id);
    const updated = await tx.user.update({
      where: { id: target.id },
      data: { disabledAt: input.disabled ? (target.disabledAt ?? new Date()) : null, version: { increment: 1 } },
      select: { id: true, email: true, role: true, disabledAt: true },
    });
    await writeAudit(tx, { actor, action, outcome: "ALLOWED", entityType: "User", entityId: target.id, details: { email: target.email } });
    return updated;
  });
}
