"use client";

// An admin's decision on a draft revision: publish it as the runbook's next version, or decline it
// with a reason (the server checks the role, the draft's state and that the runbook has not moved on).
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { describedBy, Field, FormAlert, firstActionError, INPUT_CLASS } from "@/components/ui/field";
import { declineRevisionAction, publishRevisionAction } from "@/lib/runbooks/revision-actions";

export function RevisionControls({ revisionId, nextVersion }: { revisionId: string; nextVersion: number }) {
  const publish = useAction(publishRevisionAction);
  const decline = useAction(declineRevisionAction);
  const [declining, setDeclining] = useState(false);
  const declineError = (decline.result.validationErrors?.fieldErrors as Partial<Record<string, string[]>> | undefined)?.reason?.[0];
  const error = firstActionError(publish.result) ?? (declineError ? undefined : firstActionError(decline.result));
  const id = `decline-${revisionId}`;
  return (
    <div className="space-y-3">
      {!declining ? (
        <div className="flex flex-wrap gap-2">
          <Button disabled={publish.isPending} onClick={() => publish.execute({ revisionId })}>
            Publish as version {nextVersion}
          </Button>
          <Button variant="secondary" onClick={() => setDeclining(true)}>
            Decline…
          </Button>
        </div>
      ) : (
        <form
          aria-label="Decline the revision"
          className="space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            decline.execute({ revisionId, reason: String(new FormData(e.currentTarget).get("reason") ?? "") });
          }}
        >
          <Field id={id} label="Why is it declined?" hint="The proposer and the incident's timeline see it." error={declineError}>
            <textarea
              id={id}
              name="reason"
              rows={2}
              className={INPUT_CLASS}
              aria-invalid={Boolean(declineError)}
              aria-describedby={describedBy(id, declineError, "hint")}
            />
          </Field>
          <div className="flex gap-2">
            <Button type="submit" variant="danger" disabled={decline.isPending}>
              Decline the draft
            </Button>
            <Button variant="ghost" onClick={() => setDeclining(false)}>
              Cancel
            </Button>
          </div>
        </form>
      )}
      {error && <FormAlert>{error}</FormAlert>}
    </div>
  );
}
