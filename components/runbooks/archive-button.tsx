"use client";

import { useAction } from "next-safe-action/hooks";
import { Button } from "@/components/ui/button";
import { archiveRunbookAction } from "@/lib/runbooks/actions";

export function ArchiveButton({ runbookId, archived }: { runbookId: string; archived: boolean }) {
  const { execute, result, isPending } = useAction(archiveRunbookAction);
  return (
    <div className="flex flex-col items-end gap-1">
      <Button variant="secondary" disabled={isPending} onClick={() => execute({ runbookId, archived: !archived })}>
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
