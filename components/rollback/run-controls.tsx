"use client";

import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert, INPUT_CLASS } from "@/components/ui/field";
import { abortRunAction, startRunAction } from "@/lib/rollback/actions";

export function StartRunButton({ decisionId, planHash }: { decisionId: string; planHash: string }) {
  const router = useRouter();
  const start = useAction(startRunAction, { onSuccess: () => router.refresh() });
  return (
    <div className="space-y-2">
      {start.result.serverError && <FormAlert>{start.result.serverError}</FormAlert>}
      <Button onClick={() => start.execute({ decisionId, planHash })} disabled={start.isPending}>
        {start.isPending ? "Starting…" : "Start rollback"}
      </Button>
    </div>
  );
}

export function AbortRunButton({ runId }: { runId: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const abort = useAction(abortRunAction, { onSuccess: () => router.refresh() });
  const error =
    abort.result.serverError ?? (abort.result.validationErrors?.fieldErrors as Partial<Record<string, string[]>> | undefined)?.reason?.[0];
  if (!open) {
    return (
      <Button variant="ghost" className="px-2.5 py-1 text-danger" onClick={() => setOpen(true)}>
        Abort rollback…
      </Button>
    );
  }
  return (
    <form
      aria-label="Abort rollback"
      className="flex flex-wrap items-center gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        abort.execute({ runId, reason: String(new FormData(e.currentTarget).get("reason") ?? "") });
      }}
    >
      <label htmlFor="abort-reason" className="sr-only">
        Why abort?
      </label>
      <input id="abort-reason" name="reason" placeholder="Why abort?" className={`${INPUT_CLASS} w-64`} />
      <Button type="submit" variant="danger" disabled={abort.isPending}>
        Abort rollback
      </Button>
      <Button variant="ghost" onClick={() => setOpen(false)}>
        Cancel
      </Button>
      {error && <p className="w-full text-xs text-danger">{error}</p>}
    </form>
  );
}
