"use client";

import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert, INPUT_CLASS } from "@/components/ui/field";
import { updateImpactAction } from "@/lib/incidents/actions";

const FIELDS = [
  ["usersAffected", "Users affected"],
  ["supportTickets", "Support tickets"],
  ["complaints", "Complaints"],
  ["failedTransactions", "Failed transactions"],
] as const;

type Impact = Record<(typeof FIELDS)[number][0], number | null>;

export function ImpactEditor({
  incidentId,
  version,
  impact,
  canEdit,
}: {
  incidentId: string;
  version: number;
  impact: Impact;
  canEdit: boolean;
}) {
  const [editing, setEditing] = useState(false);
  const { execute, result, isPending, reset } = useAction(updateImpactAction, {
    onSuccess: () => {
      setEditing(false);
    },
  });
  const fieldErrors = (result.validationErrors?.fieldErrors ?? {}) as Partial<Record<string, string[]>>;

  if (!editing) {
    return (
      <div className="space-y-3">
        <dl className="grid grid-cols-2 gap-4">
          {FIELDS.map(([key, label]) => (
            <div key={key}>
              <dt className="text-xs uppercase tracking-wide text-muted">{label}</dt>
              <dd className="mt-0.5 text-lg font-semibold tabular-nums">{impact[key] ?? "—"}</dd>
            </div>
          ))}
        </dl>
        {result.serverError && <FormAlert>{result.serverError}</FormAlert>}
        {canEdit && (
          <Button
            variant="secondary"
            onClick={() => {
              reset();
              setEditing(true);
            }}
          >
            Edit impact
          </Button>
        )}
      </div>
    );
  }

  return (
    <form
      aria-label="Edit user impact"
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        execute({
          incidentId,
          version,
          ...Object.fromEntries(FIELDS.map(([key]) => [key, String(form.get(key) ?? "").trim()])),
        } as never);
      }}
    >
      {result.serverError && <FormAlert>{result.serverError}</FormAlert>}
      <div className="grid grid-cols-2 gap-4">
        {FIELDS.map(([key, label]) => (
          <div key={key} className="space-y-1">
            <label htmlFor={`impact-${key}`} className="block text-xs font-medium">
              {label}
            </label>
            <input
              id={`impact-${key}`}
              name={key}
              inputMode="numeric"
              defaultValue={impact[key] ?? ""}
              aria-invalid={fieldErrors[key] ? true : undefined}
              className={INPUT_CLASS}
            />
            {fieldErrors[key] && <p className="text-xs text-danger">{fieldErrors[key]?.[0]}</p>}
          </div>
        ))}
      </div>
      <div className="flex gap-2">
        <Button type="submit" disabled={isPending}>
          {isPending ? "Saving…" : "Save impact"}
        </Button>
        <Button variant="ghost" onClick={() => setEditing(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
