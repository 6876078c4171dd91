// The append-only history of a checklist item: one row per accepted change, holding the state it
// produced (so the history alone replays the item).
import "server-only";
import type { Tx } from "@/lib/db";
import { type ItemView, itemSelect, toItemView } from "./view";

/** Reads the item as the change left it and appends that state to its history. */
export async function recordItemChange(
  tx: Tx,
  itemId: string,
  change: { changedById: string | null; at: Date; automatic: boolean; satisfiedValue?: number | null },
): Promise<ItemView> {
  const after = toItemView(await tx.checklistItem.findUniqueOrThrow({ where: { id: itemId }, select: itemSelect }));
  await tx.checklistItemChange.create({
    data: {
      itemId,
      version: after.version,
      status: after.status,
      value: after.value,
      note: after.note,
      testResult: after.testResult,
      isOverride: after.isOverride,
      satisfiedValue: change.satisfiedValue ?? null,
      automatic: change.automatic,
      changedById: change.changedById,
      changedAt: change.at,
    },
  });
  return after;
}
