"use client";

import { useAction } from "next-safe-action/hooks";
import { Button } from "@/components/ui/button";
import { FormAlert, firstActionError, INPUT_CLASS } from "@/components/ui/field";
import { DEFAULT_THRESHOLDS } from "@/lib/decision/thresholds";
import { updateDecisionThresholdsAction } from "@/lib/services/actions";
import { THRESHOLD_FIELDS } from "@/lib/services/schemas";

export function ThresholdsForm({
  serviceId,
  version,
  current,
  canEdit,
}: {
  serviceId: string;
  version: number;
  current: Record<string, number>;
  canEdit: boolean;
}) {
  // A refused number comes back on the form's `values` field; the message names the threshold.
  const { execute, result, isPending, hasSucceeded } = useAction(updateDecisionThresholdsAction);
  const error = firstActionError(result);
  return (
    <form
      aria-label="Decision thresholds"
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        execute({ serviceId, version, values: Object.fromEntries(THRESHOLD_FIELDS.map(([key]) => [key, String(f.get(key) ?? "")])) });
      }}
    >
      {error && <FormAlert>{error}</FormAlert>}
      {hasSucceeded && (
        <p role="status" className="rounded-md bg-ok-soft px-3 py-2 text-sm text-ok">
          Saved: the decision framework uses these from its next evaluation.
        </p>
      )}
      <p className="text-xs text-muted">Leave a field empty to use the default shown.</p>
      <fieldset disabled={!canEdit} className="grid items-end gap-x-4 gap-y-2 sm:grid-cols-2">
        {THRESHOLD_FIELDS.map(([key, label]) => (
          <div key={key} className="space-y-0.5">
            <label htmlFor={`t-${key}`} className="block text-xs font-medium">
              {label}
            </label>
            <input
              id={`t-${key}`}
              name={key}
              inputMode="decimal"
              defaultValue={current[key] ?? ""}
              placeholder={String(DEFAULT_THRESHOLDS[key])}
              className={INPUT_CLASS}
            />
          </div>
        ))}
      </fieldset>
      {canEdit && (
        <Button type="submit" variant="secondary" disabled={isPending}>
          Save thresholds
        </Button>
      )}
    </form>
  );
}
