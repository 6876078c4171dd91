"use client";

// Resolving the incident: after a rollback only once the verification is signed off, unless a
// release manager waives the sign-off with a reason (the server enforces both).
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { describedBy, Field, FormAlert, INPUT_CLASS } from "@/components/ui/field";
import { resolveIncidentAction } from "@/lib/incidents/actions";

export function ResolvePanel({
  incidentId,
  version,
  requirement,
  canWaive,
}: {
  incidentId: string;
  version: number;
  requirement: { signOffRequired: boolean; signedOff: boolean; checklistStarted: boolean };
  canWaive: boolean;
}) {
  const [open, setOpen] = useState(false);
  const resolve = useAction(resolveIncidentAction);
  const errors = (resolve.result.validationErrors?.fieldErrors ?? {}) as Partial<Record<string, string[]>>;
  const blocked = requirement.signOffRequired && !requirement.signedOff;
  const status = !requirement.signOffRequired
    ? "No rollback ran, so no verification sign-off is needed."
    : requirement.signedOff
      ? "The verification is signed off: the incident can be resolved."
      : requirement.checklistStarted
        ? "The verification is not signed off yet (DevOps engineer, technical lead, release manager)."
        : "The rollback ran but verification has not started.";

  return (
    <div className="space-y-3">
      <p className={`text-sm ${blocked ? "text-warn" : "text-muted"}`}>{status}</p>
      {!open ? (
        // Primary only when resolving is the next step (signed off); otherwise it is not what the page asks for now.
        <Button variant={requirement.signedOff ? "primary" : "secondary"} onClick={() => setOpen(true)} disabled={blocked && !canWaive}>
          {blocked ? "Resolve without sign-off…" : "Resolve incident…"}
        </Button>
      ) : (
        <form
          aria-label="Resolve incident"
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            resolve.execute({
              incidentId,
              version,
              resolution: String(f.get("resolution") ?? ""),
              waiveSignOffReason: blocked ? String(f.get("waiveSignOffReason") ?? "") : undefined,
            });
          }}
        >
          <Field id="resolution" label="How was it resolved?" error={errors.resolution?.[0]}>
            <textarea
              id="resolution"
              name="resolution"
              rows={2}
              className={INPUT_CLASS}
              aria-invalid={Boolean(errors.resolution)}
              aria-describedby={describedBy("resolution", errors.resolution?.[0])}
            />
          </Field>
          {blocked && (
            <Field
              id="waive"
              label="Why resolve without the sign-off? (release managers)"
              hint="Recorded on the checklist, the timeline and the report."
              error={errors.waiveSignOffReason?.[0]}
            >
              <textarea
                id="waive"
                name="waiveSignOffReason"
                rows={2}
                className={INPUT_CLASS}
                aria-invalid={Boolean(errors.waiveSignOffReason)}
                aria-describedby={describedBy("waive", errors.waiveSignOffReason?.[0], "hint")}
              />
            </Field>
          )}
          {resolve.result.serverError && <FormAlert>{resolve.result.serverError}</FormAlert>}
          <div className="flex gap-2">
            <Button type="submit" variant={blocked ? "danger" : "primary"} disabled={resolve.isPending}>
              {blocked ? "Waive sign-off and resolve" : "Resolve incident"}
            </Button>
            <Button variant="ghost" onClick={() => setOpen(false)}>
              Cancel
            </Button>
          </div>
        </form>
      )}
    </div>
  );
}
