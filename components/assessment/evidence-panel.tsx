"use client";

// The Evidence section of the control room: the assessment against baseline, critical features
// and the metric charts, refreshed every 5 seconds without reloading the page.
import { useEffect, useRef } from "react";
import { MetricChart } from "@/components/charts/metric-chart";
import { VERDICT_LABEL, VERDICT_TONE } from "@/components/charts/verdicts";
import { useEvidence } from "@/components/incidents/evidence-provider";
import { Badge, type Tone } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { LocalTime } from "@/components/ui/local-time";
import { Section } from "@/components/ui/section";
import { formatChange, formatDuration, formatMetricValue } from "@/lib/metrics/format";
import type { FeatureStatus } from "@/lib/metrics/probes";
import { RANGES } from "@/lib/metrics/ranges";
import { BASELINE_LABEL } from "@/lib/metrics/verdict";

const FEATURE_TONE: Record<FeatureStatus, Tone> = { WORKING: "ok", DEGRADED: "warn", FAILED: "danger", UNKNOWN: "neutral" };
const FEATURE_LABEL: Record<FeatureStatus, string> = { WORKING: "Working", DEGRADED: "Degraded", FAILED: "Failed", UNKNOWN: "Not probed" };

/** While the page's evidence is still streaming in (a moment on a normal load): the section's frame, nothing that moves. */
export function EvidencePanelFallback() {
  return (
    <Section id="evidence" title="Evidence">
      <p className="rounded-lg border border-line bg-surface px-3 py-6 text-center text-sm text-muted">
        Reading the metrics against baseline…
      </p>
    </Section>
  );
}

export function EvidencePanel({ availabilityTarget }: { availabilityTarget: number }) {
  const { evidence, fetchError, range: activeRange, setRange, setWidth } = useEvidence();
  const gridRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = gridRef.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      const columns = entry.contentRect.width >= 900 ? 2 : 1;
      // Rounded so that resizing does not refetch on every pixel.
      setWidth(Math.max(200, Math.round(entry.contentRect.width / columns / 50) * 50));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [setWidth]);

  const availability = evidence?.metrics.find((m) => m.metric === "AVAILABILITY");
  // No samples at all: one message instead of six empty charts (no message when the source failed: the alert says so).
  const noSamples = evidence?.metrics.every((m) => m.points.length === 0) ?? false;

  return (
    <Section
      id="evidence"
      title="Evidence"
      actions={
        <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
          {evidence && (
            <p className="text-xs text-muted">
              From {evidence.source} · updated <LocalTime iso={new Date(evidence.generatedAt).toISOString()} style="time" />
            </p>
          )}
          <fieldset className="flex overflow-hidden rounded-md border border-line text-xs">
            <legend className="sr-only">Chart range</legend>
            {RANGES.map((r) => (
              <button
                key={r.id}
                type="button"
                aria-pressed={activeRange === r.id}
                onClick={() => setRange(r.id)}
                className={cn("px-2.5 py-1.5", activeRange === r.id ? "bg-fg text-canvas" : "bg-surface hover:bg-surface-2")}
              >
                {r.label}
              </button>
            ))}
          </fieldset>
        </div>
      }
    >
      {fetchError && (
        <p role="alert" className="rounded-md border border-warn/40 bg-warn-soft px-3 py-2 text-sm text-warn">
          {fetchError}
        </p>
      )}
      {evidence?.error && (
        <p role="alert" className="rounded-md border border-danger/40 bg-danger-soft px-3 py-2 text-sm text-danger">
          Metrics unavailable: {evidence.error}. The assessment and charts will return when it answers.
        </p>
      )}

      <div className="space-y-4">
        <div className="overflow-x-auto rounded-lg border border-line bg-surface">
          <table className="w-full text-sm" aria-label="Metrics against baseline">
            <thead className="border-b border-line text-left text-xs uppercase tracking-wide text-muted">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">
                  Metric
                </th>
                <th scope="col" className="hidden px-3 py-2 text-right font-medium sm:table-cell">
                  Baseline
                </th>
                <th scope="col" className="px-3 py-2 text-right font-medium">
                  Current
                </th>
                <th scope="col" className="hidden px-3 py-2 text-right font-medium sm:table-cell">
                  Change
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Verdict
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-line">
              {(evidence?.metrics ?? []).map((m) => (
                <tr key={m.metric}>
                  <th scope="row" className="px-3 py-2 text-left font-medium sm:whitespace-nowrap">
                    {m.label}
                    {/* Phones: the Baseline and Change columns fold in here. */}
                    <span className="block text-xs font-normal text-muted tabular-nums sm:hidden">
                      baseline {formatMetricValue(m.metric, m.baseline)} · {formatChange(m.change)}
                    </span>
                  </th>
                  <td className="hidden px-3 py-2 text-right whitespace-nowrap tabular-nums sm:table-cell">
                    {formatMetricValue(m.metric, m.baseline)}
                  </td>
                  <td className="px-3 py-2 text-right font-semibold whitespace-nowrap tabular-nums">
                    {formatMetricValue(m.metric, m.current)}
                  </td>
                  <td className="hidden px-3 py-2 text-right whitespace-nowrap tabular-nums sm:table-cell">{formatChange(m.change)}</td>
                  <td className="px-3 py-2">
                    <Badge tone={VERDICT_TONE[m.verdict]}>{VERDICT_LABEL[m.verdict]}</Badge>
                    <span className="mt-1 block max-w-md text-xs text-muted" data-testid="verdict-reason">
                      {m.reason}
                    </span>
                    {m.baselinesUsed.length > 0 && (
                      <span className="block text-xs text-muted" data-testid="verdict-baselines">
                        Baselines: {m.baselinesUsed.map((b) => BASELINE_LABEL[b]).join(" · ")}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
              {!evidence && (
                <tr>
                  <td colSpan={5} className="px-3 py-6 text-center text-muted">
                    Loading metrics…
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          {evidence && evidence.metrics.length > 0 && (
            <p className="border-t border-line px-3 py-2 text-xs text-muted">
              Baseline: {Math.round((evidence.baselineWindow.to - evidence.baselineWindow.from) / 60_000)} min before the deploy, and the
              same time a day and a week earlier where the source has them. Current:{" "}
              {evidence.switchedAt !== null ? (
                <span data-testid="since-switch">
                  since the switch at <LocalTime iso={new Date(evidence.switchedAt).toISOString()} style="time" /> (
                  {formatDuration(evidence.currentWindow.to - evidence.currentWindow.from)})
                </span>
              ) : (
                <>the last {Math.round((evidence.currentWindow.to - evidence.currentWindow.from) / 60_000)} min</>
              )}
              . Verdicts: rank tests on level and spread with outliers removed, a change counts when it is material for the metric and holds
              against every baseline.
            </p>
          )}
        </div>

        <div className="grid gap-4 sm:grid-cols-[minmax(0,13rem)_minmax(0,1fr)]">
          <div className="rounded-lg border border-line bg-surface p-3">
            <h3 className="text-xs font-semibold uppercase tracking-wide text-muted">Availability vs target</h3>
            <p className="mt-1 text-2xl font-semibold tabular-nums">{formatMetricValue("AVAILABILITY", availability?.current)}</p>
            <p
              className={cn(
                "text-xs",
                availability?.current != null && availability.current < availabilityTarget ? "text-danger" : "text-muted",
              )}
            >
              target {availabilityTarget}%
              {availability?.current != null && (availability.current < availabilityTarget ? " — below target" : " — meeting target")}
            </p>
          </div>
          <div className="rounded-lg border border-line bg-surface p-3">
            <h3 className="text-xs font-semibold uppercase tracking-wide text-muted">Critical features</h3>
            <ul className="mt-2 space-y-2" aria-label="Critical features">
              {(evidence?.probes ?? []).map((p) => (
                <li key={p.id} className="flex items-start justify-between gap-2 text-sm">
                  <span>
                    {p.name}
                    <span className="block text-xs text-muted">{p.detail}</span>
                  </span>
                  <Badge tone={FEATURE_TONE[p.status]}>{FEATURE_LABEL[p.status]}</Badge>
                </li>
              ))}
              {evidence && evidence.probes.length === 0 && (
                <li className="text-sm text-muted">No critical features configured for this service.</li>
              )}
            </ul>
          </div>
        </div>
      </div>

      <div ref={gridRef} className="grid gap-4 lg:grid-cols-2">
        {noSamples
          ? !evidence?.error && (
              <p className="rounded-lg border border-dashed border-line px-4 py-6 text-center text-sm text-muted lg:col-span-2">
                No samples for this service in this range. The charts fill in as metrics arrive; a wider range may show older ones.
              </p>
            )
          : evidence?.metrics.map((m) => (
              <MetricChart key={m.metric} summary={m} from={evidence.from} to={evidence.to} markers={evidence.markers} />
            ))}
      </div>
    </Section>
  );
}
