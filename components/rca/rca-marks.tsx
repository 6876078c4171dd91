"use client";

import { useAction } from "next-safe-action/hooks";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/field";
import { markRcaApprovedAction, markRcaCompletedAction, markRcaReviewedAction } from "@/lib/rca/actions";
import type { MarkKind } from "@/lib/rca/content";

const ACTIONS = { completed: markRcaCompletedAction, reviewed: markRcaReviewedAction, approved: markRcaApprovedAction } as const;
const LABELS: Record<MarkKind, string> = { completed: "Mark completed", reviewed: "Mark reviewed", approved: "Approve" };

/** The button for one mark, on the version the person is reading. */
export function MarkButton({ kind, documentId, version, again }: { kind: MarkKind; documentId: string; version: number; again: boolean }) {
  const { execute, result, isPending } = useAction(ACTIONS[kind]);
  return (
    <div className="space-y-1 print:hidden">
      <Button variant={again ? "ghost" : "secondary"} disabled={isPending} onClick={() => execute({ documentId, version })}>
        {isPending ? "Saving…" : again ? `${LABELS[kind]} again (version ${version})` : LABELS[kind]}
      </Button>
      {result.serverError && <FormAlert>{result.serverError}</FormAlert>}
    </div>
  );
}
