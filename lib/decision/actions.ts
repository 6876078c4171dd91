"use server";

import { changeAction } from "@/lib/safe-action";
import {
  approveAndStartChange,
  approveDecisionChange,
  changePlanChange,
  proposeDecisionChange,
  rejectDecisionChange,
  setManualCriterionChange,
} from "./mutations";

const INCIDENT_PAGE = [["/incidents/[number]", "page"]] as const;

export const proposeDecisionAction = changeAction(proposeDecisionChange, {
  revalidate: INCIDENT_PAGE,
  result: (decision) => ({ id: decision.id }),
});

export const approveDecisionAction = changeAction(approveDecisionChange, {
  revalidate: INCIDENT_PAGE,
  result: (state) => ({ approved: state.approved, approvals: state.approvers.length, required: state.required }),
});

/** "Approve and start": the approval and the run's start until its next destructive step, in one change. */
export const approveAndStartAction = changeAction(approveAndStartChange, { revalidate: INCIDENT_PAGE, result: (r) => r });

export const rejectDecisionAction = changeAction(rejectDecisionChange, { revalidate: INCIDENT_PAGE });

export const changePlanAction = changeAction(changePlanChange, { revalidate: INCIDENT_PAGE });

export const setManualCriterionAction = changeAction(setManualCriterionChange, { revalidate: INCIDENT_PAGE });
