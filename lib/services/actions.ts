"use server";

import { changeAction } from "@/lib/safe-action";
import {
  addCriticalFeatureChange,
  createIngestionTokenChange,
  removeCriticalFeatureChange,
  revokeIngestionTokenChange,
  updateDecisionThresholdsChange,
  updateMetricsSettingsChange,
  updateVerdictMaterialityChange,
} from "./mutations";

const revalidate = [["/services", "layout"]] as const;

export const updateMetricsSettingsAction = changeAction(updateMetricsSettingsChange, { revalidate });

export const addCriticalFeatureAction = changeAction(addCriticalFeatureChange, { revalidate });

export const removeCriticalFeatureAction = changeAction(removeCriticalFeatureChange, { revalidate });

// The token goes back to the admin who made it, once; nothing else of it is ever shown again.
export const createIngestionTokenAction = changeAction(createIngestionTokenChange, { revalidate, result: ({ token }) => ({ token }) });

export const revokeIngestionTokenAction = changeAction(revokeIngestionTokenChange, { revalidate });

export const updateDecisionThresholdsAction = changeAction(updateDecisionThresholdsChange, { revalidate });

export const updateVerdictMaterialityAction = changeAction(updateVerdictMaterialityChange, { revalidate });
