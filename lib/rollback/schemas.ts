// The inputs of the rollback operator's actions: the one rule, shared by the dialogs and the
// changes (lib/rollback/engine/runs.ts).
import { z } from "zod";

/** One per confirmation dialog: a double click or a retried request is the same execution. */
const key = z
  .string()
  .trim()
  .min(8, "This request has no idempotency key: reopen the dialog and try again.")
  .max(100, "The idempotency key is too long (100 characters at most).");
const note = (what: string) =>
  z.string().trim().min(3, `Say ${what} (a few words for the timeline).`).max(2000, "Keep it under 2,000 characters.");
/** The service name, typed for a destructive step (checked by the change, against the step). */
const confirmation = z.string().trim().max(200, "That is not the service name.").default("");

export const startRunSchema = z.object({ decisionId: z.string().min(1), planHash: z.string().regex(/^[0-9a-f]{64}$/) });
export const requestStepSchema = z.object({ stepId: z.string().min(1), idempotencyKey: key, confirmation });
export const retryStepSchema = z.object({
  stepId: z.string().min(1),
  idempotencyKey: key,
  note: z.string().trim().max(2000, "Keep it under 2,000 characters.").default(""),
  confirmation,
  /** The operator checked that the interrupted attempt's process no longer runs (asked when it may). */
  processChecked: z.boolean().default(false),
});
export const markStepDoneSchema = z.object({ stepId: z.string().min(1), note: note("how you know it is done") });
export const stopStepSchema = z.object({ stepId: z.string().min(1), reason: note("why the step is stopped") });
export const skipStepSchema = z.object({ stepId: z.string().min(1), note: note("why it is skipped") });
export const abortRunSchema = z.object({ runId: z.string().min(1), reason: note("why the rollback is aborted") });
export const runUntilDestructiveSchema = z.object({
  runId: z.string().min(1),
  idempotencyKey: key,
  /** The steps the confirmation listed, in order: nothing starts if the run would now run others. */
  stepIds: z.array(z.string().min(1)).min(1).max(100),
});
export const stopRunUntilSchema = z.object({ runId: z.string().min(1), incidentId: z.string().min(1) });
/** "Start rollback": start the run and run it until its next destructive step, as the confirmation listed. */
export const startRunUntilSchema = startRunSchema.extend({ idempotencyKey: key });
