"use client";

import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormAlert, INPUT_CLASS } from "@/components/ui/field";
import { METRIC_INFO } from "@/lib/metrics/format";
import { METRIC_KINDS, type MetricKind } from "@/lib/metrics/types";
import { updateMetricsSettingsAction } from "@/lib/services/actions";

type Settings = {
  id: string;
  version: number;
  metricsProvider: "BUILTIN" | "PROMETHEUS";
  prometheusUrl: string | null;
  prometheusSelector: string;
  prometheusQueries: Partial<Record<MetricKind, string>>;
  baselineWindowMinutes: number;
  currentWindowMinutes: number;
  availabilityTarget: number;
  retentionDays: number;
};

export function MetricsSettingsForm({
  service,
  defaults,
  canEdit,
}: {
  service: Settings;
  defaults: Record<MetricKind, string>;
  canEdit: boolean;
}) {
  const [provider, setProvider] = useState(service.metricsProvider);
  const [saved, setSaved] = useState(false);
  const { execute, result, isPending, reset } = useAction(updateMetricsSettingsAction, {
    onSuccess: () => {
      setSaved(true);
    },
  });
  const errors = (result.validationErrors?.fieldErrors ?? {}) as Partial<Record<string, string[]>>;
  const err = (k: string) => errors[k]?.[0];

  return (
    <form
      aria-label="Metrics settings"
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        reset();
        setSaved(false);
        const f = new FormData(e.currentTarget);
        const text = (k: string) => String(f.get(k) ?? "");
        execute({
          serviceId: service.id,
          version: service.version,
          metricsProvider: provider,
          prometheusUrl: text("prometheusUrl"),
          prometheusSelector: text("prometheusSelector"),
          queries: Object.fromEntries(METRIC_KINDS.map((k) => [k, text(`query-${k}`)])),
          baselineWindowMinutes: text("baselineWindowMinutes"),
          currentWindowMinutes: text("currentWindowMinutes"),
          availabilityTarget: text("availabilityTarget"),
          retentionDays: text("retentionDays"),
        } as never);
      }}
    >
      {result.serverError && <FormAlert>{result.serverError}</FormAlert>}
      {saved && (
        <p role="status" className="rounded-md bg-ok-soft px-3 py-2 text-sm text-ok">
          Saved. The incident pages use the new settings on their next refresh.
        </p>
      )}
      <fieldset disabled={!canEdit} className="space-y-4">
        <Field id="metricsProvider" label="Metrics source" error={err("metricsProvider")}>
          <select
            id="metricsProvider"
            className={INPUT_CLASS}
            value={provider}
            onChange={(e) => setProvider(e.target.value as Settings["metricsProvider"])}
          >
            <option value="BUILTIN">Built-in store (samples pushed to POST /api/v1/metrics)</option>
            <option value="PROMETHEUS">Prometheus (PromQL over its HTTP API)</option>
          </select>
        </Field>
        {provider === "PROMETHEUS" && (
          <div className="space-y-4 rounded-md border border-line p-3">
            <Field id="prometheusUrl" label="Prometheus address" error={err("prometheusUrl")}>
              <input
                id="prometheusUrl"
                name="prometheusUrl"
                defaultValue={service.prometheusUrl ?? ""}
                placeholder="http://prometheus:9090"
                className={INPUT_CLASS}
              />
            </Field>
            <Field
              id="prometheusSelector"
              label="Label selector"
              hint='What goes between the braces of the default queries, e.g. service="checkout-service".'
              error={err("prometheusSelector")}
            >
              <input
                id="prometheusSelector"
                name="prometheusSelector"
                defaultValue={service.prometheusSelector}
                className={`${INPUT_CLASS} font-mono`}
              />
            </Field>
            <details>
              <summary className="cursor-pointer text-sm font-medium">Custom PromQL per metric (optional)</summary>
              <p className="mt-2 text-xs text-muted">
                Leave a query empty to use the default shown. Units: error rate as a fraction (0–1), latencies in milliseconds, throughput
                in requests/s, availability in percent.
              </p>
              <div className="mt-2 space-y-3">
                {METRIC_KINDS.map((k) => (
                  <Field key={k} id={`query-${k}`} label={METRIC_INFO[k].label}>
                    <textarea
                      id={`query-${k}`}
                      name={`query-${k}`}
                      rows={2}
                      defaultValue={service.prometheusQueries[k] ?? ""}
                      placeholder={defaults[k]}
                      className={`${INPUT_CLASS} font-mono text-xs`}
                    />
                  </Field>
                ))}
              </div>
            </details>
          </div>
        )}
        <div className="grid items-end gap-4 sm:grid-cols-2">
          <Field id="baselineWindowMinutes" label="Baseline window (minutes before the deploy)" error={err("baselineWindowMinutes")}>
            <input
              id="baselineWindowMinutes"
              name="baselineWindowMinutes"
              inputMode="numeric"
              defaultValue={service.baselineWindowMinutes}
              className={INPUT_CLASS}
            />
          </Field>
          <Field id="currentWindowMinutes" label="Current window (minutes)" error={err("currentWindowMinutes")}>
            <input
              id="currentWindowMinutes"
              name="currentWindowMinutes"
              inputMode="numeric"
              defaultValue={service.currentWindowMinutes}
              className={INPUT_CLASS}
            />
          </Field>
          <Field id="availabilityTarget" label="Availability target (%)" error={err("availabilityTarget")}>
            <input
              id="availabilityTarget"
              name="availabilityTarget"
              inputMode="decimal"
              defaultValue={service.availabilityTarget}
              className={INPUT_CLASS}
            />
          </Field>
          <Field id="retentionDays" label="Keep built-in samples for (days)" error={err("retentionDays")}>
            <input
              id="retentionDays"
              name="retentionDays"
              inputMode="numeric"
              defaultValue={service.retentionDays}
              className={INPUT_CLASS}
            />
          </Field>
        </div>
        {canEdit && (
          <Button type="submit" disabled={isPending}>
            {isPending ? "Saving…" : "Save metrics settings"}
          </Button>
        )}
      </fieldset>
    </form>
  );
}
