"use server";

import { revalidatePath } from "next/cache";
import { authActionClient } from "@/lib/safe-action";
import { approveDecision, changePlan, proposeDecision, rejectDecision, setManualCriterion } from "./mutations";
import { approveDecisionSchema, changePlanSchema, manualCriterionSchema, proposeDecisionSchema, rejectDecisionSchema } from "./schemas";

const refresh = () => revalidatePath("/incidents/[number]", "page");

export const proposeDecisionAction = authActionClient.inputSchema(proposeDecisionSchema).action(async ({ parsedInput, ctx }) => {
  const decision = await proposeDecision(ctx.actor, parsedInput);
  refresh();
  return { id: decision.id };
});

export const approveDecisionAction = authActionClient.inputSchema(approveDecisionSchema).action(async ({ parsedInput, ctx }) => {
  const state = await approveDecision(ctx.actor, parsedInput);
  refresh();
  return { approved: state.approved, approvals: state.approvers.length, required: state.required };
});

export const rejectDecisionAction = authActionClient.inputSchema(rejectDecisionSchema).action(async ({ parsedInput, ctx }) => {
  await rejectDecision(ctx.actor, parsedInput);
  refresh();
  return { ok: true };
});

export const changePlanAction = authActionClient.inputSchema(changePlanSchema).action(async ({ parsedInput, ctx }) => {
  await changePlan(ctx.actor, parsedInput);
  refresh();
  return { ok: true };
});

export const setManualCriterionAction = authActionClient.inputSchema(manualCriterionSchema).action(async ({ parsedInput, ctx }) => {
  await setManualCriterion(ctx.actor, parsedInput);
  refresh();
  return { ok: true };
});
