// Inputs of the runbook-revision actions, shared by the forms and the server.
import { z } from "zod";
import { MAX_STEPS } from "./rules";

/** The draft's steps: an array (the API), or the JSON text of one (the form's editor). */
const steps = z
  .union([z.array(z.unknown()), z.string()], { error: "The steps are missing." })
  .transform((value, ctx) => {
    if (Array.isArray(value)) return value;
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed)) return parsed;
      ctx.addIssue({ code: "custom", message: "The steps must be a JSON list of steps ([ … ])." });
    } catch {
      ctx.addIssue({ code: "custom", message: "The steps are not valid JSON: check the brackets, quotes and commas." });
    }
    return z.NEVER;
  })
  .pipe(z.array(z.unknown()).max(MAX_STEPS, `A runbook has at most ${MAX_STEPS} steps.`));

export const proposeRevisionSchema = z.object({
  actionItemId: z.string().min(1),
  runbookId: z.string().min(1),
  /** The runbook version the draft starts from: a runbook saved since makes the draft stale. */
  baseVersion: z.coerce.number().int().min(1),
  steps,
  lesson: z
    .string()
    .trim()
    .min(5, "Say what the incident taught (at least 5 characters).")
    .max(500, "Keep the lesson under 500 characters."),
  note: z.string().trim().max(500, "Keep the note under 500 characters.").default(""),
});

export const publishRevisionSchema = z.object({ revisionId: z.string().min(1) });

export const declineRevisionSchema = z.object({
  revisionId: z.string().min(1),
  reason: z
    .string()
    .trim()
    .min(5, "Say why the draft is declined (at least 5 characters).")
    .max(1000, "Keep the reason under 1,000 characters."),
});
