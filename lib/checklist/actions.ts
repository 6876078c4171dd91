"use server";

import { revalidatePath } from "next/cache";
import { authActionClient } from "@/lib/safe-action";
import { evaluateMetricItems } from "./evaluator";
import { renderVerificationReport, signOff, startVerification, unlockChecklist, updateChecklistItem } from "./mutations";
import { renderReportSchema, saveTemplateSchema, signOffSchema, startVerificationSchema, unlockSchema, updateItemSchema } from "./schemas";
import { saveChecklistTemplate } from "./template-store";

const refreshIncident = () => revalidatePath("/incidents/[number]", "page");

export const startVerificationAction = authActionClient.inputSchema(startVerificationSchema).action(async ({ parsedInput, ctx }) => {
  const result = await startVerification(ctx.actor, parsedInput);
  // Metric items that are already back tick at once rather than at the evaluator's next pass.
  if (result.created) {
    await evaluateMetricItems({ incidentId: parsedInput.incidentId }).catch((e: unknown) =>
      console.error("[checklist] first metric evaluation failed", e instanceof Error ? e.message : e),
    );
  }
  refreshIncident();
  return result;
});

/** A stale update is a normal answer (the form shows the current state), not an error. */
export const updateChecklistItemAction = authActionClient
  .inputSchema(updateItemSchema)
  .action(async ({ parsedInput, ctx }) => updateChecklistItem(ctx.actor, parsedInput));

export const signOffAction = authActionClient.inputSchema(signOffSchema).action(async ({ parsedInput, ctx }) => {
  const result = await signOff(ctx.actor, parsedInput);
  refreshIncident();
  return result;
});

export const unlockChecklistAction = authActionClient.inputSchema(unlockSchema).action(async ({ parsedInput, ctx }) => {
  const result = await unlockChecklist(ctx.actor, parsedInput);
  refreshIncident();
  return result;
});

export const renderReportAction = authActionClient.inputSchema(renderReportSchema).action(async ({ parsedInput, ctx }) => {
  const result = await renderVerificationReport(ctx.actor, parsedInput);
  refreshIncident();
  return result;
});

export const saveChecklistTemplateAction = authActionClient.inputSchema(saveTemplateSchema).action(async ({ parsedInput, ctx }) => {
  const result = await saveChecklistTemplate(ctx.actor, parsedInput);
  revalidatePath("/services", "layout");
  return result;
});
