import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { getDb } from "@/lib/db";

export type ActionItemView = "mine" | "overdue" | "all";

export async function listActionItems(view: ActionItemView, userId: string, now = new Date()) {
  const open: Prisma.ActionItemWhereInput = { status: { in: ["NOT_STARTED", "IN_PROGRESS"] } };
  const where: Prisma.ActionItemWhereInput =
    view === "mine" ? { ...open, ownerId: userId } : view === "overdue" ? { ...open, dueDate: { lt: now } } : {};
  return getDb().actionItem.findMany({
    where,
    orderBy: [{ status: "asc" }, { priority: "asc" }, { dueDate: { sort: "asc", nulls: "last" } }],
    take: 200,
    include: { owner: { select: { name: true } }, incident: { select: { number: true, title: true } } },
  });
}
