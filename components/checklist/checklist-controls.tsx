"use client";

// Start verification, unlock a signed-off checklist (release managers, with a reason), and the report.
import Link from "next/link";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert, INPUT_CLASS } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";
import { renderReportAction, startVerificationAction, unlockChecklistAction } from "@/lib/checklist/actions";
import type { ChecklistView, Person } from "@/lib/checklist/view";

export function StartVerificationButton({ incidentId }: { incidentId: string }) {
  const start = useAction(startVerificationAction);
  return (
    <div className="space-y-2">
      {start.result.serverError && <FormAlert>{start.result.serverError}</FormAlert>}
      <Button onClick={() => start.execute({ incidentId })} disabled={start.isPending}>
        {start.isPending ? "Starting…" : "Start verification"}
      </Button>
    </div>
  );
}

export function LockControls({
  checklistId,
  lockedAt,
  lockedBy,
  canUnlock,
}: {
  checklistId: string;
  lockedAt: string;
  lockedBy: Person | null;
  canUnlock: boolean;
}) {
  const [open, setOpen] = useState(false);
  const unlock = useAction(unlockChecklistAction, {
    onSuccess: () => {
      setOpen(false);
    },
  });
  const error =
    unlock.result.serverError ??
    (unlock.result.validationErrors?.fieldErrors as Partial<Record<string, string[]>> | undefined)?.reason?.[0];
  return (
    <div className="space-y-2 rounded-md border border-ok/40 bg-ok-soft px-3 py-2 text-sm">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-ok">
          Signed off by all three and locked <LocalTime iso={lockedAt} />
          {lockedBy && <> (last sign-off: {lockedBy.name})</>}. Nothing changes unless a release manager unlocks it.
        </p>
        {canUnlock && !open && (
          <Button variant="secondary" className="px-2.5 py-1" onClick={() => setOpen(true)}>
            Unlock…
          </Button>
        )}
      </div>
      {open && (
        <form
          aria-label="Unlock the checklist"
          className="flex flex-wrap items-start gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            unlock.execute({ checklistId, reason: String(new FormData(e.currentTarget).get("reason") ?? "") });
          }}
        >
          <label htmlFor="unlock-reason" className="sr-only">
            Why unlock?
          </label>
          <input
            id="unlock-reason"
            name="reason"
            placeholder="Why unlock? (goes on the timeline; the sign-offs are withdrawn)"
            className={`${INPUT_CLASS} min-w-0 flex-1`}
          />
          <Button type="submit" variant="danger" disabled={unlock.isPending}>
            Unlock
          </Button>
          <Button variant="ghost" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          {error && <p className="w-full text-xs text-danger">{error}</p>}
        </form>
      )}
    </div>
  );
}

export function ReportControls({
  incidentNumber,
  incidentId,
  report,
  canRender,
}: {
  incidentNumber: number;
  incidentId: string;
  report: ChecklistView["report"];
  canRender: boolean;
}) {
  const render = useAction(renderReportAction);
  return (
    <div className="flex flex-wrap items-center gap-3 rounded-lg border border-line bg-surface px-4 py-3 text-sm">
      <span className="font-medium">Verification report</span>
      {report ? (
        <>
          <Link href={`/incidents/${incidentNumber}/verification-report`} className="text-accent hover:underline">
            Open v{report.version}
          </Link>
          <span className="text-xs text-muted">
            rendered <LocalTime iso={report.updatedAt} />
          </span>
        </>
      ) : (
        <span className="text-xs text-muted">rendered when the checklist is signed off, or now:</span>
      )}
      {canRender && (
        <Button
          variant="secondary"
          className="ml-auto px-2.5 py-1"
          disabled={render.isPending}
          onClick={() => render.execute({ incidentId })}
        >
          {render.isPending ? "Rendering…" : "Render report now"}
        </Button>
      )}
      {render.result.serverError && <p className="w-full text-xs text-danger">{render.result.serverError}</p>}
    </div>
  );
}
