"use server";

import { revalidatePath } from "next/cache";
import { authActionClient } from "@/lib/safe-action";
import { createRunbook, RunbookInvalidError, saveRunbookVersion, setRunbookArchived, validateRunbookDraft } from "./mutations";
import { archiveRunbookSchema, createRunbookSchema, saveRunbookSchema, validateRunbookSchema } from "./schemas";

const refresh = () => revalidatePath("/services", "layout");

/** A refused runbook comes back as data, with every problem by field, for the editor to show in place. */
async function orIssues<T>(fn: () => Promise<T>) {
  try {
    return { ok: true as const, ...(await fn()) };
  } catch (e) {
    if (e instanceof RunbookInvalidError) return { ok: false as const, message: e.message, issues: e.issues };
    throw e;
  }
}

export const validateRunbookAction = authActionClient
  .inputSchema(validateRunbookSchema)
  .action(async ({ parsedInput, ctx }) => validateRunbookDraft(ctx.actor, parsedInput));

export const createRunbookAction = authActionClient.inputSchema(createRunbookSchema).action(async ({ parsedInput, ctx }) =>
  orIssues(async () => {
    const { runbook, warnings } = await createRunbook(ctx.actor, parsedInput);
    refresh();
    return { runbookId: runbook.id, version: 1, issues: warnings };
  }),
);

export const saveRunbookAction = authActionClient.inputSchema(saveRunbookSchema).action(async ({ parsedInput, ctx }) =>
  orIssues(async () => {
    const { version, warnings } = await saveRunbookVersion(ctx.actor, parsedInput);
    refresh();
    return { runbookId: version.runbookId, version: version.version, issues: warnings };
  }),
);

export const archiveRunbookAction = authActionClient.inputSchema(archiveRunbookSchema).action(async ({ parsedInput, ctx }) => {
  await setRunbookArchived(ctx.actor, parsedInput);
  refresh();
  return { ok: true };
});
