"use client";

// One metric over time: the current series over the baseline band (median ± tolerance), with
// markers at the deploy and at traffic-changing rollback steps. A table carries the same data
// for screen readers.
import { lazy, memo, Suspense, startTransition, useEffect, useRef, useState } from "react";
import { useDisplayZone } from "@/components/time/time-zone";
import { Badge } from "@/components/ui/badge";
import { formatMetricValue } from "@/lib/metrics/format";
import type { Marker, MetricSummary } from "@/lib/metrics/incident-metrics";
import { lttb } from "@/lib/metrics/lttb";
import { formatInstant } from "@/lib/time/format";
import { timeAxis, valueAxis } from "./axes";
import { type ChartDrawing, StaticChart } from "./static-chart";
import { VERDICT_LABEL, VERDICT_TONE } from "./verdicts";

const LiveChart = lazy(() => import("./live-chart"));

/** Error rate is stored as a fraction but read as a percent. */
const scale = (m: MetricSummary) => (m.metric === "ERROR_RATE" ? 100 : 1);

/** Markers close in time (deploys minutes apart) get their labels on successive rows instead of on top of each other. */
function staggerLabels(markers: readonly Marker[], span: number): Map<Marker, number> {
  const rows = new Map<Marker, number>();
  let previous: { t: number; row: number } | null = null;
  for (const m of [...markers].sort((a, b) => a.t - b.t)) {
    const row: number = previous && span > 0 && (m.t - previous.t) / span < 0.15 ? (previous.row + 1) % 4 : 0;
    rows.set(m, row);
    previous = { t: m.t, row };
  }
  return rows;
}

/**
 * Memoized: the evidence keeps its objects between polls, so a re-render of the page around it (a
 * server action's refresh, a live event) does not draw six charts of a thousand points again.
 */
export const MetricChart = memo(function MetricChart({
  summary,
  from,
  to,
  markers,
}: {
  summary: MetricSummary;
  from: number;
  to: number;
  markers: Marker[];
}) {
  const k = scale(summary);
  const data = summary.points.map((p) => ({ t: p.t, v: p.v * k }));
  const format = (v: number) => formatMetricValue(summary.metric, v / k);
  // Every metric is ≥ 0: a tolerance band reaching below 0 is drawn (and scales the axis) from 0.
  const band = summary.band && { low: Math.max(0, summary.band.low * k), high: summary.band.high * k, median: summary.band.median * k };
  const { zone } = useDisplayZone();
  const pointTime = (t: number) => formatInstant(t, zone);
  const tableRows = useAfterFirstPaint() ? lttb(summary.points, 24) : null;
  const latest = summary.points.at(-1);
  const labelRows = staggerLabels(markers, to - from);
  // A marker near the right edge (a deploy minutes ago) has its label on the line's left, inside the chart.
  const leftOfLine = (m: Marker) => to > from && (m.t - from) / (to - from) > 0.8;
  // One choice of axes for both drawings (./axes.ts): the band counts, so the baseline is always in view.
  const y = valueAxis(
    band ? [...data.map((d) => d.v), band.low, band.high, band.median] : data.map((d) => d.v),
    summary.metric === "AVAILABILITY" ? [0, 100] : undefined,
  );
  const x = timeAxis(from, to, zone);
  const drawing: ChartDrawing = {
    points: data,
    from,
    to,
    y: { ...y, format: compact },
    x,
    band,
    markers: markers.map((m) => ({ ...m, row: labelRows.get(m) ?? 0, leftOfLine: leftOfLine(m) })),
  };
  // The static drawing is the chart: the server's HTML carries it (on screen before any script
  // runs) and it redraws with every poll. recharts adds the tooltip, and it is loaded only when the
  // person reaches for a chart (pointer, touch): six recharts drawings cost ~200 ms of the main
  // thread on these machines, which landed in the next click's wait (issue 19) when they took over
  // at once. Drawn over the static one, which goes once recharts has drawn, so the hand-over never
  // shows an empty box.
  const [phase, setPhase] = useState<"static" | "both" | "live">("static");
  const liveRef = useRef<HTMLDivElement>(null);
  const takeOver = () => {
    if (phase === "static") startTransition(() => setPhase("both"));
  };
  useEffect(() => {
    if (phase !== "both") return;
    // recharts draws once its scripts are here and it has measured its box: drop the static drawing
    // when recharts' drawing is in the DOM, watched by a MutationObserver, not polled per frame.
    const box = liveRef.current;
    if (!box) return;
    const drawn = () => box.querySelector(".recharts-surface") !== null;
    if (drawn()) {
      setPhase("live");
      return;
    }
    const observer = new MutationObserver(() => {
      if (drawn()) setPhase("live");
    });
    observer.observe(box, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [phase]);

  return (
    <figure className="rounded-lg border border-line bg-surface p-3" aria-labelledby={`chart-${summary.metric}`}>
      <figcaption className="mb-2">
        <span className="flex items-center justify-between gap-2">
          <span id={`chart-${summary.metric}`} className="text-sm font-semibold">
            {summary.label}
          </span>
          <Badge tone={VERDICT_TONE[summary.verdict]}>{VERDICT_LABEL[summary.verdict]}</Badge>
        </span>
        <span className="block text-xs text-muted tabular-nums">
          latest {formatMetricValue(summary.metric, latest?.v)} · baseline {formatMetricValue(summary.metric, summary.baseline)}
        </span>
      </figcaption>
      <div className="h-44" aria-hidden onPointerEnter={takeOver} onTouchStart={takeOver}>
        {data.length === 0 ? (
          <p className="grid h-full place-items-center text-sm text-muted">No samples in this range.</p>
        ) : (
          <div className="relative h-full">
            {phase !== "live" && <StaticChart {...drawing} />}
            {phase !== "static" && (
              <div ref={liveRef} className="absolute inset-0">
                <Suspense fallback={null}>
                  <LiveChart {...drawing} label={summary.label} format={format} pointTime={pointTime} />
                </Suspense>
              </div>
            )}
          </div>
        )}
      </div>
      {/* sr-only on a wrapper, not the table: a table is never narrower than its content, so a
          visually hidden table still widens the page (a phone viewport scrolled sideways). Added once
          the page has painted (useAfterFirstPaint): six tables of 24 rows are a third of the incident
          page's elements, which every opening would otherwise render and lay out before it can be used. */}
      {tableRows && (
        <div className="sr-only">
          <table>
            <caption>
              {summary.label}: baseline {summary.baseline === null ? "unknown" : formatMetricValue(summary.metric, summary.baseline)},
              current {summary.current === null ? "unknown" : formatMetricValue(summary.metric, summary.current)},{" "}
              {VERDICT_LABEL[summary.verdict]}
            </caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">{summary.label}</th>
              </tr>
            </thead>
            <tbody>
              {tableRows.map((p) => (
                <tr key={p.t}>
                  <td>{pointTime(p.t)}</td>
                  <td>{formatMetricValue(summary.metric, p.v)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </figure>
  );
});

/**
 * False for the first render (the server's, and a navigation's), true once the browser is idle after
 * painting it (at most 500 ms later): for what only assistive technology reads.
 */
function useAfterFirstPaint(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (typeof requestIdleCallback !== "function") {
      const timer = setTimeout(() => setReady(true), 0);
      return () => clearTimeout(timer);
    }
    const id = requestIdleCallback(() => startTransition(() => setReady(true)), { timeout: 500 });
    return () => cancelIdleCallback(id);
  }, []);
  return ready;
}

function compact(v: number): string {
  if (v === 0) return "0";
  if (Math.abs(v) >= 1000) return `${(v / 1000).toFixed(1)}k`;
  if (Math.abs(v) >= 10) return v.toFixed(0);
  return v.toFixed(Math.abs(v) >= 1 ? 1 : 2);
}
