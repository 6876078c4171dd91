// Inputs of the runbook actions, shared by the editor and the server. The steps themselves are
// checked by rules.ts (checkRunbook), which reports every problem by field, not only the first.
import { z } from "zod";
import { RollbackStrategy } from "@/generated/prisma/enums";
import { MAX_STEPS } from "./rules";

const steps = z.array(z.unknown(), { error: "The steps are missing." }).max(MAX_STEPS, `A runbook has at most ${MAX_STEPS} steps.`);
const note = z.string().trim().max(500, "Keep the note under 500 characters.").default("");

export const createRunbookSchema = z.object({
  serviceId: z.string().min(1),
  name: z.string().trim().min(2, "Name the runbook (e.g. Blue-green switch).").max(120, "Keep the name under 120 characters."),
  strategy: z.enum(RollbackStrategy, { error: "Choose the strategy this runbook runs." }),
  steps,
  note,
});

export const saveRunbookSchema = z.object({
  runbookId: z.string().min(1),
  /** The version the editor started from: a save against an older one is refused (someone else saved since). */
  baseVersion: z.number().int().min(1),
  steps,
  note,
});

export const validateRunbookSchema = z.object({
  serviceId: z.string().min(1),
  strategy: z.enum(RollbackStrategy, { error: "Choose the strategy this runbook runs." }),
  steps,
});

/** The runbook an archive or unarchive is about. */
export const runbookRefSchema = z.object({ runbookId: z.string().min(1) });

export const archiveRunbookSchema = runbookRefSchema.extend({ archived: z.boolean() });
