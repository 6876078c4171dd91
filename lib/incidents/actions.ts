"use server";

import { revalidatePath } from "next/cache";
import { authActionClient } from "@/lib/safe-action";
import { declareIncident, updateImpact } from "./mutations";
import { resolveIncident, resolveIncidentSchema } from "./resolve";
import { declareIncidentSchema, updateImpactSchema } from "./schemas";

export const declareIncidentAction = authActionClient.inputSchema(declareIncidentSchema).action(async ({ parsedInput, ctx }) => {
  const incident = await declareIncident(ctx.actor, parsedInput);
  revalidatePath("/incidents");
  return { id: incident.id, number: incident.number };
});

export const updateImpactAction = authActionClient.inputSchema(updateImpactSchema).action(async ({ parsedInput, ctx }) => {
  await updateImpact(ctx.actor, parsedInput);
  revalidatePath("/incidents/[number]", "page");
  return { ok: true };
});

export const resolveIncidentAction = authActionClient.inputSchema(resolveIncidentSchema).action(async ({ parsedInput, ctx }) => {
  await resolveIncident(ctx.actor, parsedInput);
  revalidatePath("/incidents", "layout");
  return { ok: true };
});
