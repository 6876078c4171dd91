"use client";

import { useAction } from "next-safe-action/hooks";
import { Button } from "@/components/ui/button";
import { FormAlert, firstActionError, INPUT_CLASS } from "@/components/ui/field";
import { METRIC_INFO } from "@/lib/metrics/format";
import { ABSOLUTE_UNIT, DEFAULT_MATERIALITY } from "@/lib/metrics/materiality";
import { METRIC_KINDS } from "@/lib/metrics/types";
import { updateVerdictMaterialityAction } from "@/lib/services/actions";
import { MATERIALITY_PARTS } from "@/lib/services/schemas";

type Stored = Partial<Record<string, Partial<Record<(typeof MATERIALITY_PARTS)[number], number>>>>;

/** The verdicts' materiality per metric: how big a significant change must be before the page calls it worse or better. */
export function MaterialityForm({
  serviceId,
  version,
  current,
  canEdit,
}: {
  serviceId: string;
  version: number;
  current: Stored;
  canEdit: boolean;
}) {
  // A refused number comes back on the form's `values` field; the message names the metric.
  const { execute, result, isPending, hasSucceeded } = useAction(updateVerdictMaterialityAction);
  const error = firstActionError(result);
  const fields = METRIC_KINDS.flatMap((m) => MATERIALITY_PARTS.map((part) => `${m}.${part}`));
  return (
    <form
      aria-label="Verdict materiality"
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        execute({ serviceId, version, values: Object.fromEntries(fields.map((key) => [key, String(f.get(key) ?? "")])) });
      }}
    >
      {error && <FormAlert>{error}</FormAlert>}
      {hasSucceeded && (
        <p role="status" className="rounded-md bg-ok-soft px-3 py-2 text-sm text-ok">
          Saved: the verdicts and the verify-metrics step use these from their next evaluation.
        </p>
      )}
      <p className="text-xs text-muted">
        A significant change counts as worse or better only when it is at least the relative part × the baseline and at least the absolute
        part. Leave a field empty to use the default shown.
      </p>
      <fieldset disabled={!canEdit} className="grid grid-cols-[auto_1fr_1fr] items-end gap-x-3 gap-y-2">
        <span className="text-xs font-medium">Metric</span>
        <span className="text-xs font-medium">Relative (fraction)</span>
        <span className="text-xs font-medium">Absolute</span>
        {METRIC_KINDS.map((m) => (
          <div key={m} className="contents">
            <span className="text-sm">{METRIC_INFO[m].label}</span>
            {MATERIALITY_PARTS.map((part) => (
              <input
                key={part}
                name={`${m}.${part}`}
                aria-label={`${METRIC_INFO[m].label}: ${part === "relative" ? "relative part (fraction)" : `absolute part (${ABSOLUTE_UNIT[m]})`}`}
                inputMode="decimal"
                defaultValue={current[m]?.[part] ?? ""}
                placeholder={`${DEFAULT_MATERIALITY[m][part]}${part === "absolute" && !ABSOLUTE_UNIT[m].includes(":") ? ` ${ABSOLUTE_UNIT[m]}` : ""}`}
                className={INPUT_CLASS}
              />
            ))}
          </div>
        ))}
      </fieldset>
      {canEdit && (
        <Button type="submit" variant="secondary" disabled={isPending}>
          Save materiality
        </Button>
      )}
    </form>
  );
}
