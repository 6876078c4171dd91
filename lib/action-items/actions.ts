"use server";

import { changeAction } from "@/lib/safe-action";
import { createActionItemChange, setActionItemStatusChange, updateActionItemChange } from "./mutations";

// Incident pages (and the RCA page under them) and the global list show action items.
const REVALIDATE = [
  ["/incidents/[number]", "layout"],
  ["/action-items", "page"],
] as const;

export const createActionItemAction = changeAction(createActionItemChange, {
  revalidate: REVALIDATE,
  result: (item) => ({ id: item.id }),
});

export const updateActionItemAction = changeAction(updateActionItemChange, { revalidate: REVALIDATE });

export const setActionItemStatusAction = changeAction(setActionItemStatusChange, { revalidate: REVALIDATE });
