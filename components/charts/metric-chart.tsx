"use client";

// One metric over time: the current series over the baseline band (median ± tolerance), with
// markers at the deploy and at traffic-changing rollback steps. A table carries the same data
// for screen readers.
import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useDisplayZone } from "@/components/time/time-zone";
import { Badge } from "@/components/ui/badge";
import { formatMetricValue } from "@/lib/metrics/format";
import type { Marker, MetricSummary } from "@/lib/metrics/incident-metrics";
import { lttb } from "@/lib/metrics/lttb";
import { formatInstant } from "@/lib/time/format";
import { VERDICT_LABEL, VERDICT_TONE } from "./verdicts";

/** Error rate is stored as a fraction but read as a percent. */
const scale = (m: MetricSummary) => (m.metric === "ERROR_RATE" ? 100 : 1);

export function MetricChart({ summary, from, to, markers }: { summary: MetricSummary; from: number; to: number; markers: Marker[] }) {
  const k = scale(summary);
  const data = summary.points.map((p) => ({ t: p.t, v: p.v * k }));
  const format = (v: number) => formatMetricValue(summary.metric, v / k);
  const band = summary.band;
  const spanDays = (to - from) / 86_400_000;
  const { zone } = useDisplayZone();
  const tick = (t: number) => formatInstant(t, zone, spanDays > 1.5 ? "date" : "clock");
  const pointTime = (t: number) => formatInstant(t, zone);
  const tableRows = lttb(summary.points, 24);
  const latest = summary.points.at(-1);
  const yDomain: [number, number | "auto"] = summary.metric === "AVAILABILITY" ? [0, 100] : [0, "auto"];

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
      <div className="h-44" aria-hidden>
        {data.length === 0 ? (
          <p className="grid h-full place-items-center text-sm text-muted">No samples in this range.</p>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="var(--line)" strokeDasharray="3 3" vertical={false} />
              <XAxis
                dataKey="t"
                type="number"
                scale="time"
                domain={[from, to]}
                tickFormatter={tick}
                stroke="var(--muted)"
                fontSize={11}
                minTickGap={40}
              />
              <YAxis
                stroke="var(--muted)"
                fontSize={11}
                width={52}
                tickFormatter={(v: number) => compact(v)}
                domain={yDomain}
                allowDataOverflow={summary.metric === "AVAILABILITY"}
              />
              {band && (
                <ReferenceArea
                  y1={band.low * k}
                  y2={band.high * k}
                  fill="var(--ok)"
                  fillOpacity={0.12}
                  stroke="none"
                  ifOverflow="extendDomain"
                />
              )}
              {band && <ReferenceLine y={band.median * k} stroke="var(--ok)" strokeDasharray="4 3" ifOverflow="extendDomain" />}
              {markers.map((m) => (
                <ReferenceLine
                  key={`${m.kind}-${m.t}`}
                  x={m.t}
                  stroke={m.kind === "deploy" ? "var(--danger)" : "var(--accent)"}
                  strokeDasharray="2 2"
                  label={{ value: m.label, position: "insideTopLeft", fontSize: 10, fill: "var(--muted)" }}
                />
              ))}
              <Tooltip
                labelFormatter={(t) => pointTime(Number(t))}
                formatter={(v) => [format(Number(v)), summary.label]}
                contentStyle={{ background: "var(--surface)", border: "1px solid var(--line)", fontSize: 12 }}
              />
              <Line dataKey="v" stroke="var(--accent)" dot={false} strokeWidth={1.5} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        )}
      </div>
      {/* sr-only on a wrapper, not the table: a table is never narrower than its content, so a
          visually hidden table still widens the page (a phone viewport scrolled sideways). */}
      <div className="sr-only">
        <table>
          <caption>
            {summary.label}: baseline {summary.baseline === null ? "unknown" : formatMetricValue(summary.metric, summary.baseline)}, current{" "}
            {summary.current === null ? "unknown" : formatMetricValue(summary.metric, summary.current)}, {VERDICT_LABEL[summary.verdict]}
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
    </figure>
  );
}

function compact(v: number): string {
  if (v === 0) return "0";
  if (Math.abs(v) >= 1000) return `${(v / 1000).toFixed(1)}k`;
  if (Math.abs(v) >= 10) return v.toFixed(0);
  return v.toFixed(Math.abs(v) >= 1 ? 1 : 2);
}
