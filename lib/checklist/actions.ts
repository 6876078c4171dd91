"use server";

import { changeAction } from "@/lib/safe-action";
import {
  renderReportChange,
  saveTemplateChange,
  signOffChange,
  staleItemAnswer,
  startVerificationChange,
  type UpdateItemResult,
  unlockChecklistChange,
  updateItemChange,
} from "./mutations";

const INCIDENT_PAGE = [["/incidents/[number]", "page"]] as const;

export const startVerificationAction = changeAction(startVerificationChange, {
  revalidate: INCIDENT_PAGE,
  // The first metric evaluation is a job the start queued (mutations.ts).
  result: (result) => ({ created: result.created, checklistId: result.checklistId }),
});

/** A stale update is a normal answer (the form shows the current state), not an error. */
export const updateChecklistItemAction = changeAction(updateItemChange, {
  result: (item): UpdateItemResult => ({ ok: true, item }),
  refused: staleItemAnswer,
});

export const signOffAction = changeAction(signOffChange, { revalidate: INCIDENT_PAGE, result: (result) => result });

export const unlockChecklistAction = changeAction(unlockChecklistChange, {
  revalidate: INCIDENT_PAGE,
  result: (result) => result,
});

export const renderReportAction = changeAction(renderReportChange, { revalidate: INCIDENT_PAGE, result: (saved) => saved });

export const saveChecklistTemplateAction = changeAction(saveTemplateChange, {
  revalidate: [["/services", "layout"]],
  result: (saved) => saved,
});
