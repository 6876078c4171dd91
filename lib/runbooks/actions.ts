"use server";

import type { Refusal } from "@/lib/errors";
import { changeAction } from "@/lib/safe-action";
import {
  archiveRunbookChange,
  createRunbookChange,
  RunbookInvalidError,
  saveRunbookChange,
  unarchiveRunbookChange,
  validateRunbookChange,
} from "./mutations";
import type { RunbookIssue } from "./rules";

const revalidate = [["/services", "layout"]] as const;

/**
 * A refused runbook comes back as data, with every problem by field, for the editor to show in
 * place (it shows the name's own error under the name field, the rest as problems of the steps).
 */
function asIssues(e: Refusal): { ok: false; message: string; issues: RunbookIssue[] } | undefined {
  if (e instanceof RunbookInvalidError) return { ok: false, message: e.message, issues: e.issues };
  if (e.field && e.field !== "name")
    return { ok: false, message: e.message, issues: [{ path: e.field, severity: "error", message: e.message }] };
  return undefined;
}

export const validateRunbookAction = changeAction(validateRunbookChange, { result: (value) => value });

export const createRunbookAction = changeAction(createRunbookChange, {
  revalidate,
  result: ({ runbook, warnings }) => ({ ok: true as const, runbookId: runbook.id, version: 1, issues: warnings }),
  refused: asIssues,
});

export const saveRunbookAction = changeAction(saveRunbookChange, {
  revalidate,
  result: ({ version, warnings }) => ({ ok: true as const, runbookId: version.runbookId, version: version.version, issues: warnings }),
  refused: asIssues,
});

export const archiveRunbookAction = changeAction(archiveRunbookChange, { revalidate });

export const unarchiveRunbookAction = changeAction(unarchiveRunbookChange, { revalidate });
