import { z } from "zod";

const key = z.string().min(8).max(100);
const note = (what: string) => z.string().trim().min(3, `Say ${what} (a few words for the timeline).`).max(2000);

export const startRunSchema = z.object({ decisionId: z.string().min(1), planHash: z.string().regex(/^[0-9a-f]{64}$/) });
export const requestStepSchema = z.object({
  stepId: z.string().min(1),
  idempotencyKey: key,
  confirmation: z.string().trim().max(200).default(""),
});
export const retryStepSchema = z.object({
  stepId: z.string().min(1),
  idempotencyKey: key,
  note: z.string().trim().max(2000).default(""),
  confirmation: z.string().trim().max(200).default(""),
});
export const markStepDoneSchema = z.object({ stepId: z.string().min(1), note: note("how you know it is done") });
export const skipStepSchema = z.object({ stepId: z.string().min(1), note: note("why it is skipped") });
export const abortRunSchema = z.object({ runId: z.string().min(1), reason: note("why the rollback is aborted") });
export const runUntilDestructiveSchema = z.object({
  runId: z.string().min(1),
  idempotencyKey: key,
  /** The steps the confirmation listed, in order: nothing starts if the run would now run others. */
  stepIds: z.array(z.string().min(1)).min(1).max(100),
});
export const stopRunUntilSchema = z.object({ runId: z.string().min(1), incidentId: z.string().min(1) });
