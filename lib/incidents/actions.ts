"use server";

import { revalidatePath } from "next/cache";
import { authActionClient } from "@/lib/safe-action";
import { declareIncident } from "./mutations";
import { declareIncidentSchema } from "./schemas";

export const declareIncidentAction = authActionClient.inputSchema(declareIncidentSchema).action(async ({ parsedInput, ctx }) => {
  const incident = await declareIncident(ctx.actor, parsedInput);
  revalidatePath("/incidents");
  return { id: incident.id, number: incident.number };
});
