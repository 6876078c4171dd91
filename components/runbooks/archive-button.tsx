"use client";

import { useAction } from "next-safe-action/hooks";
import { Button } from "@/components/ui/button";
import { archiveRunbookAction, unarchiveRunbookAction } from "@/lib/runbooks/actions";

export function ArchiveButton({ runbookId, archived }: { runbookId: string; archived: boolean }) {
  const archive = useAction(archiveRunbookAction);
  const unarchive = useAction(unarchiveRunbookAction);
  const { execute, result, isPending } = archived ? unarchive : archive;
  return (
    <div className="flex flex-col items-end gap-1">
      <Button variant="secondary" disabled={isPending} onClick={() => execute({ runbookId })}>
        {archived ? "Unarchive" : "Archive"}
      </Button>
      {result.serverError && (
        <p role="alert" className="text-xs text-danger">
          {result.serverError}
        </p>
      )}
    </div>
  );
}
