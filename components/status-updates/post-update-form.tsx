"use client";

// Posting the next stakeholder update. Starts from the previous update's words, so an update is an
// edit of what everyone already read rather than a blank page.
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { describedBy, Field, FormAlert, INPUT_CLASS } from "@/components/ui/field";
import { postStatusUpdateAction } from "@/lib/status-updates/actions";
import { DEFAULT_NEXT_UPDATE_MINUTES, NEXT_UPDATE_CHOICES } from "@/lib/status-updates/schemas";

type Words = { status: string; impact: string; actions: string };

export function PostUpdateForm({ incidentId, after, previous }: { incidentId: string; after: number; previous: Words | null }) {
  const [open, setOpen] = useState(false);
  const { execute, result, isPending, reset } = useAction(postStatusUpdateAction, { onSuccess: () => setOpen(false) });
  const errors = (result.validationErrors?.fieldErrors ?? {}) as Partial<Record<string, string[]>>;
  const error = (field: string) => errors[field]?.[0];

  if (!open) {
    return (
      <div className="space-y-2">
        {result.serverError && <FormAlert>{result.serverError}</FormAlert>}
        <Button
          variant="secondary"
          onClick={() => {
            reset();
            setOpen(true);
          }}
        >
          Post a status update
        </Button>
      </div>
    );
  }

  const area = (name: keyof Words, label: string, hint: string, rows: number) => {
    const id = `status-update-${name}`;
    return (
      <Field id={id} label={label} hint={hint} error={error(name)}>
        <textarea
          id={id}
          name={name}
          rows={rows}
          required
          defaultValue={previous?.[name] ?? ""}
          aria-invalid={error(name) ? true : undefined}
          aria-describedby={describedBy(id, error(name), hint)}
          className={INPUT_CLASS}
        />
      </Field>
    );
  };

  return (
    <form
      aria-label="Post a status update"
      className="space-y-3 border-t border-line pt-3"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        execute({
          incidentId,
          after,
          status: String(form.get("status") ?? ""),
          impact: String(form.get("impact") ?? ""),
          actions: String(form.get("actions") ?? ""),
          nextUpdateInMinutes: Number(form.get("nextUpdateInMinutes")),
        });
      }}
    >
      {result.serverError && <FormAlert>{result.serverError}</FormAlert>}
      {area("status", "Status, in plain words", "What a customer-facing colleague can repeat as it is.", 2)}
      {area("impact", "Impact so far", "Who is affected and how, with numbers where you have them.", 2)}
      {area("actions", "What is being done", "The current step and what comes next.", 2)}
      <Field id="status-update-next" label="Next update" error={error("nextUpdateInMinutes")}>
        <select id="status-update-next" name="nextUpdateInMinutes" defaultValue={DEFAULT_NEXT_UPDATE_MINUTES} className={INPUT_CLASS}>
          {NEXT_UPDATE_CHOICES.map((c) => (
            <option key={c.minutes} value={c.minutes}>
              {c.label}
            </option>
          ))}
        </select>
      </Field>
      <div className="flex gap-2">
        <Button type="submit" disabled={isPending}>
          {isPending ? "Posting…" : "Post update"}
        </Button>
        <Button variant="ghost" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
