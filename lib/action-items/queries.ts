import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { getDb } from "@/lib/db";

export type ActionItemView = "mine" | "overdue" | "all";

export async function listActionItems(view: ActionItemView, userId: string, now = new Date()) {
  const open: Prisma.ActionItemWhereInput = { status: { in: ["OPEN", "IN_PROGRESS"] } };
  const where: Prisma.ActionItemWhereInput =
    view === "mine" ? { ...open, ownerId: userId } : view === "overdue" ? { ...open, dueDate: { lt: now } } : {};
  return getDb().actionItem.findMany({
    where,
    orderBy: [{ status: "asc" }, { priority: "asc" }, { dueDate: { sort: "asc", nulls: "last" } }],
    take: 200,
    include: { owner: { select: { name: true } }, incident: { select: { number: true, title: true } } },
  });
}

/**
 * An incident's action items for its documents (the RCA's action-items section), oldest first,
 * with every field the model has (a horizon, where there is one) and the owner's name.
 */
export async function listIncidentActionItemsForDocuments(incidentId: string) {
  return getDb().actionItem.findMany({
    where: { incidentId },
    orderBy: [{ dueDate: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }],
    include: { owner: { select: { name: true } } },
  });
}
