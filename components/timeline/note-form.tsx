"use client";

// A responder's note on the timeline, optionally about an earlier moment ("first customer report
// at 07:58"), typed in the page's zone. The change refuses a time in the future.
import { useAction } from "next-safe-action/hooks";
import { useRef, useState } from "react";
import { useDisplayZone } from "@/components/time/time-zone";
import { Button } from "@/components/ui/button";
import { describedBy, FormAlert, INPUT_CLASS } from "@/components/ui/field";
import { wallTimeToInstant, zoneAbbreviation } from "@/lib/time/format";
import { addTimelineNoteAction } from "@/lib/timeline/actions";
import { NOTE_MAX } from "@/lib/timeline/schemas";

export function NoteForm({ incidentId }: { incidentId: string }) {
  const { zone } = useDisplayZone();
  const form = useRef<HTMLFormElement>(null);
  const [clientError, setClientError] = useState<string | null>(null);
  const { execute, result, isPending, reset } = useAction(addTimelineNoteAction, {
    onSuccess: () => form.current?.reset(),
  });
  const fieldErrors = (result.validationErrors?.fieldErrors ?? {}) as Partial<Record<string, string[]>>;
  const textError = fieldErrors.text?.[0];
  const atError = clientError ?? fieldErrors.at?.[0];
  const abbr = zoneAbbreviation(zone);

  return (
    <form
      ref={form}
      aria-label="Add a note"
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        reset();
        const data = new FormData(e.currentTarget);
        const when = String(data.get("at") ?? "").trim();
        const instant = when ? wallTimeToInstant(when, zone) : null;
        if (when && !instant) {
          setClientError("Enter a date and time, or leave it empty for now.");
          return;
        }
        setClientError(null);
        execute({ incidentId, text: String(data.get("text") ?? ""), at: instant ? instant.toISOString() : "" });
      }}
    >
      {result.serverError && <FormAlert>{result.serverError}</FormAlert>}
      <div className="space-y-1">
        <label htmlFor="timeline-note-text" className="block text-sm font-medium">
          Note
        </label>
        <textarea
          id="timeline-note-text"
          name="text"
          rows={2}
          maxLength={NOTE_MAX}
          required
          placeholder="First customer report from the EU support queue"
          aria-invalid={Boolean(textError)}
          aria-describedby={describedBy("timeline-note-text", textError)}
          className={INPUT_CLASS}
        />
        {textError && (
          <p id="timeline-note-text-error" className="text-xs font-medium text-danger">
            {textError}
          </p>
        )}
      </div>
      <div className="flex flex-wrap items-end gap-2">
        <div className="min-w-0 flex-1 space-y-1">
          <label htmlFor="timeline-note-at" className="block text-sm font-medium">
            {`When it happened (${abbr}, optional)`}
          </label>
          <input
            id="timeline-note-at"
            name="at"
            type="datetime-local"
            step={1}
            aria-invalid={Boolean(atError)}
            aria-describedby={describedBy("timeline-note-at", atError, "Leave empty for now.")}
            className={INPUT_CLASS}
          />
        </div>
        <Button type="submit" variant="secondary" disabled={isPending}>
          {isPending ? "Adding…" : "Add note"}
        </Button>
      </div>
      {atError ? (
        <p id="timeline-note-at-error" className="text-xs font-medium text-danger">
          {atError}
        </p>
      ) : (
        <p id="timeline-note-at-hint" className="text-xs text-muted">
          Leave empty for now.
        </p>
      )}
    </form>
  );
}
