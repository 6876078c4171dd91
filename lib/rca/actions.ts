"use server";
// The RCA's server actions: each runs its change (lib/rca/mutations.ts) for the signed-in person.
import { changeAction } from "@/lib/safe-action";
import { generateRcaChange, markRcaApprovedChange, markRcaCompletedChange, markRcaReviewedChange, saveRcaSectionChange } from "./mutations";

const revalidate = [
  ["/incidents/[number]", "page"],
  ["/incidents/[number]/rca", "page"],
] as const;

export const generateRcaAction = changeAction(generateRcaChange, { revalidate, result: (v) => v });
export const saveRcaSectionAction = changeAction(saveRcaSectionChange, {
  revalidate,
  result: (v) => v,
  // Someone saved this section first: their text comes back to the form, beside the writer's draft.
  refused: (e) => (e.code === "stale" ? { stale: true as const, message: e.message, current: e.current } : undefined),
});
export const markRcaCompletedAction = changeAction(markRcaCompletedChange, { revalidate });
export const markRcaReviewedAction = changeAction(markRcaReviewedChange, { revalidate });
export const markRcaApprovedAction = changeAction(markRcaApprovedChange, { revalidate });
