"use client";

import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert, INPUT_CLASS } from "@/components/ui/field";
import { updateImpactAction } from "@/lib/incidents/actions";
import { formatImpactCount, IMPACT_FIELDS, IMPACT_LABELS, type RecordedImpact } from "@/lib/incidents/impact";

const FIELDS = IMPACT_FIELDS.map((key) => [key, IMPACT_LABELS[key]] as const);

export function ImpactEditor({
  incidentId,
  version,
  impact,
  canEdit,
}: {
  incidentId: string;
  version: number;
  impact: RecordedImpact;
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
              {impact[key] === null ? (
                <dd className="mt-0.5 text-sm italic text-muted">Not recorded</dd>
              ) : (
                <dd className="mt-0.5 text-lg font-semibold tabular-nums">{formatImpactCount(impact[key])}</dd>
              )}
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
      <p className="text-xs text-muted">Leave a figure blank when it is not known: it stays “not recorded”, never 0.</p>
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
              placeholder="not recorded"
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
