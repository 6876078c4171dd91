// "Action item overdue": a periodic job (lib/jobs/tasks.ts, every 5 minutes) records each open item
// past its due day once, as a system change with a timeline entry — the entry queues the
// notifications like any other (lib/timeline/record.ts).
import "server-only";
import { z } from "zod";
import { overdueWhere } from "@/lib/action-items/queries";
import { getDb } from "@/lib/db";
import { defineChange } from "@/lib/incidents/change";
import { recordTimelineEvent } from "@/lib/timeline/record";

export const OVERDUE_SYSTEM_ACTOR = { system: "overdue action items" } as const;

export const recordOverdueChange = defineChange({
  action: "action_item.record_overdue",
  schema: z.object({ actionItemId: z.string().min(1) }),
  permission: "system",
  target: (input) => ({ entityType: "ActionItem", entityId: input.actionItemId }),
  locate: async (input, db) =>
    (await db.actionItem.findUnique({ where: { id: input.actionItemId }, select: { incidentId: true } }))?.incidentId ?? null,
  async apply({ tx, input, now, audit }) {
    // Once per item: the column is set with the entry, and a second run finds it set.
    const { count } = await tx.actionItem.updateMany({
      where: { id: input.actionItemId, overdueAt: null, ...overdueWhere(now) },
      data: { overdueAt: now },
    });
    if (count === 0) {
      audit.skip = true;
      return false;
    }
    const item = await tx.actionItem.findUniqueOrThrow({
      where: { id: input.actionItemId },
      select: { incidentId: true, title: true, dueDate: true, owner: { select: { name: true } } },
    });
    const due = item.dueDate ? item.dueDate.toISOString().slice(0, 10) : "its due day";
    await recordTimelineEvent(tx, {
      incidentId: item.incidentId,
      kind: "ACTION_ITEM_OVERDUE",
      message: `Action item “${item.title}” is overdue (due ${due}${item.owner ? `, owner ${item.owner.name}` : ", no owner"})`,
      at: now,
      payload: { actionItemId: input.actionItemId },
    });
    audit.details = { title: item.title, due };
    return true;
  },
});

/** Records every item that became overdue since the last check; returns how many. */
export async function recordOverdueActionItems(now = new Date()): Promise<number> {
  const due = await getDb().actionItem.findMany({
    where: { overdueAt: null, ...overdueWhere(now) },
    select: { id: true },
    orderBy: { dueDate: "asc" },
    take: 500,
  });
  let recorded = 0;
  for (const { id } of due) {
    if (await recordOverdueChange.runOrThrow(OVERDUE_SYSTEM_ACTOR, { actionItemId: id }, { now })) recorded += 1;
  }
  return recorded;
}
