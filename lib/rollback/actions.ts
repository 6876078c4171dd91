"use server";

// The rollback operator's server actions: each runs its change (engine/runs.ts) as the session's
// user. Every rule — role, state, order, approval gate, typed confirmation — is the change's.
import { changeAction } from "@/lib/safe-action";
import {
  abortRunChange,
  markStepDoneChange,
  requestStepChange,
  retryStepChange,
  runUntilDestructiveChange,
  skipStepChange,
  startRunChange,
  startRunUntilChange,
  stopRunUntilChange,
  stopStepChange,
} from "./engine/runs";

const revalidate = [["/incidents/[number]", "page"]] as const;

export const startRunAction = changeAction(startRunChange, { revalidate, result: ({ run }) => ({ runId: run.id }) });

/** "Start rollback" by default: the run starts and runs until its next destructive step (the steps the confirmation listed). */
export const startRunUntilAction = changeAction(startRunUntilChange, { revalidate, result: (result) => result });

export const requestStepAction = changeAction(requestStepChange, { revalidate, result: (result) => result });

/** The confirmation listed the steps; the change refuses if the run would now run others. */
export const runUntilDestructiveAction = changeAction(runUntilDestructiveChange, { revalidate, result: (result) => result });

/** "Stop after this step": the running step finishes, nothing further is queued, the run stays open. */
export const stopRunUntilAction = changeAction(stopRunUntilChange, { revalidate, result: (result) => result });

export const retryStepAction = changeAction(retryStepChange, { revalidate, result: (result) => result });

export const markStepDoneAction = changeAction(markStepDoneChange, { revalidate });

export const skipStepAction = changeAction(skipStepChange, { revalidate });

/** "Stop this step": the step ends CANCELED (its process group or request ended); the run waits for an operator. */
export const stopStepAction = changeAction(stopStepChange, { revalidate, result: ({ result }) => result });

export const abortRunAction = changeAction(abortRunChange, { revalidate });
