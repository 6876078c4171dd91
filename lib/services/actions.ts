"use server";

import { revalidatePath } from "next/cache";
import { authActionClient } from "@/lib/safe-action";
import {
  addCriticalFeature,
  createIngestionToken,
  removeCriticalFeature,
  revokeIngestionToken,
  updateDecisionThresholds,
  updateMetricsSettings,
} from "./mutations";
import {
  createTokenSchema,
  criticalFeatureSchema,
  metricsSettingsSchema,
  removeFeatureSchema,
  revokeTokenSchema,
  thresholdsFormSchema,
} from "./schemas";

const refresh = () => revalidatePath("/services", "layout");

export const updateMetricsSettingsAction = authActionClient.inputSchema(metricsSettingsSchema).action(async ({ parsedInput, ctx }) => {
  await updateMetricsSettings(ctx.actor, parsedInput);
  refresh();
  return { ok: true };
});

export const addCriticalFeatureAction = authActionClient.inputSchema(criticalFeatureSchema).action(async ({ parsedInput, ctx }) => {
  await addCriticalFeature(ctx.actor, parsedInput);
  refresh();
  return { ok: true };
});

export const removeCriticalFeatureAction = authActionClient.inputSchema(removeFeatureSchema).action(async ({ parsedInput, ctx }) => {
  await removeCriticalFeature(ctx.actor, parsedInput);
  refresh();
  return { ok: true };
});

export const createIngestionTokenAction = authActionClient.inputSchema(createTokenSchema).action(async ({ parsedInput, ctx }) => {
  const { token } = await createIngestionToken(ctx.actor, parsedInput);
  refresh();
  return { token };
});

export const revokeIngestionTokenAction = authActionClient.inputSchema(revokeTokenSchema).action(async ({ parsedInput, ctx }) => {
  await revokeIngestionToken(ctx.actor, parsedInput);
  refresh();
  return { ok: true };
});

export const updateDecisionThresholdsAction = authActionClient.inputSchema(thresholdsFormSchema).action(async ({ parsedInput, ctx }) => {
  await updateDecisionThresholds(ctx.actor, parsedInput);
  refresh();
  return { ok: true };
});
