"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/lib/db";
import { InvalidInputError } from "@/lib/errors";
import { authActionClient } from "@/lib/safe-action";
import { abortRun, markStepDone, requestStep, retryStep, runUntilDestructive, skipStep, startRun, stopRunUntil } from "./engine/runs";
import {
  abortRunSchema,
  markStepDoneSchema,
  requestStepSchema,
  retryStepSchema,
  runUntilDestructiveSchema,
  skipStepSchema,
  startRunSchema,
  stopRunUntilSchema,
} from "./schemas";

const refresh = () => revalidatePath("/incidents/[number]", "page");

export const startRunAction = authActionClient.inputSchema(startRunSchema).action(async ({ parsedInput, ctx }) => {
  const { run } = await startRun(ctx.actor, parsedInput);
  refresh();
  return { runId: run.id };
});

/** Destructive steps need the service name typed; checked here, on the server, not only in the dialog. */
async function assertConfirmed(stepId: string, confirmation: string) {
  const step = await getDb().rollbackStep.findUnique({
    where: { id: stepId },
    select: { destructive: true, run: { select: { incident: { select: { service: { select: { name: true } } } } } } },
  });
  if (step?.destructive && confirmation !== step.run.incident.service.name) {
    throw new InvalidInputError(
      `This step is destructive: type the service name (${step.run.incident.service.name}) to run it.`,
      "confirmation",
    );
  }
}

export const requestStepAction = authActionClient.inputSchema(requestStepSchema).action(async ({ parsedInput, ctx }) => {
  await assertConfirmed(parsedInput.stepId, parsedInput.confirmation);
  const result = await requestStep(ctx.actor, parsedInput);
  refresh();
  return result;
});

/** The confirmation listed the steps; the engine refuses if the run would now run others. */
export const runUntilDestructiveAction = authActionClient.inputSchema(runUntilDestructiveSchema).action(async ({ parsedInput, ctx }) => {
  const result = await runUntilDestructive(ctx.actor, parsedInput);
  refresh();
  return result;
});

/** "Stop after this step": the running step finishes, nothing further is queued, the run stays open. */
export const stopRunUntilAction = authActionClient.inputSchema(stopRunUntilSchema).action(async ({ parsedInput, ctx }) => {
  const result = await stopRunUntil(ctx.actor, parsedInput);
  refresh();
  return result;
});

export const retryStepAction = authActionClient.inputSchema(retryStepSchema).action(async ({ parsedInput, ctx }) => {
  await assertConfirmed(parsedInput.stepId, parsedInput.confirmation);
  const result = await retryStep(ctx.actor, parsedInput);
  refresh();
  return result;
});

export const markStepDoneAction = authActionClient.inputSchema(markStepDoneSchema).action(async ({ parsedInput, ctx }) => {
  await markStepDone(ctx.actor, parsedInput);
  refresh();
  return { ok: true };
});

export const skipStepAction = authActionClient.inputSchema(skipStepSchema).action(async ({ parsedInput, ctx }) => {
  await skipStep(ctx.actor, parsedInput);
  refresh();
  return { ok: true };
});

export const abortRunAction = authActionClient.inputSchema(abortRunSchema).action(async ({ parsedInput, ctx }) => {
  await abortRun(ctx.actor, parsedInput);
  refresh();
  return { ok: true };
});
