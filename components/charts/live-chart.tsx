"use client";

// The interactive drawing of a metric chart (recharts: tooltips, measured to its box). Loaded
// lazily, when the person reaches for the chart (metric-chart.tsx): its scripts are most of the
// incident page's, and the static drawing (./static-chart.tsx), with the same axes, is the chart
// until then, so nothing waits for them.
import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { PLOT } from "./axes";
import type { ChartDrawing } from "./static-chart";

export default function LiveChart({
  points,
  from,
  to,
  y,
  x,
  band,
  markers,
  label,
  format,
  pointTime,
}: ChartDrawing & { label: string; format: (v: number) => string; pointTime: (t: number) => string }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={points} margin={{ top: PLOT.top, right: PLOT.right, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="var(--line)" strokeDasharray="3 3" vertical={false} />
        <XAxis
          dataKey="t"
          type="number"
          scale="time"
          domain={[from, to]}
          ticks={x.ticks}
          interval={0}
          tickFormatter={x.label}
          stroke="var(--muted)"
          fontSize={11}
          height={PLOT.bottom}
        />
        <YAxis
          stroke="var(--muted)"
          fontSize={11}
          width={PLOT.left}
          tickFormatter={y.format}
          domain={y.domain}
          ticks={y.ticks}
          interval={0}
          allowDataOverflow
        />
        {band && <ReferenceArea y1={band.low} y2={band.high} fill="var(--ok)" fillOpacity={0.12} stroke="none" ifOverflow="extendDomain" />}
        {band && <ReferenceLine y={band.median} stroke="var(--ok)" strokeDasharray="4 3" ifOverflow="extendDomain" />}
        {markers.map((m) => (
          <ReferenceLine
            key={`${m.kind}-${m.t}`}
            x={m.t}
            stroke={m.kind === "deploy" ? "var(--danger)" : "var(--accent)"}
            strokeDasharray="2 2"
            label={{
              value: m.label,
              position: m.leftOfLine ? "insideTopRight" : "insideTopLeft",
              offset: 5 + 12 * m.row,
              fontSize: 10,
              fill: "var(--muted)",
            }}
          />
        ))}
        <Tooltip
          labelFormatter={(t) => pointTime(Number(t))}
          formatter={(v) => [format(Number(v)), label]}
          contentStyle={{ background: "var(--surface)", border: "1px solid var(--line)", fontSize: 12 }}
        />
        <Line className="chart-series" dataKey="v" stroke="var(--accent)" dot={false} strokeWidth={1.5} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}
