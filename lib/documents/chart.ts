// A line chart's geometry, for documents: the same scaled polyline, baseline, axis ticks and
// markers whether it is drawn as SVG on a page or as vectors in a PDF (pdf-chart.ts), so both show
// the same data. Pure.
import { formatMetricValue } from "@/lib/metrics/format";
import type { MetricKind } from "@/lib/metrics/types";

export type ChartInput = {
  metric: MetricKind;
  points: readonly (readonly [number, number])[];
  baseline: number | null;
  from: number;
  to: number;
  markers: readonly { t: number; label: string }[];
};

export type ChartGeometry = {
  width: number;
  height: number;
  /** The plot area inside the axes. */
  plot: { x: number; y: number; width: number; height: number };
  line: [number, number][];
  baselineY: number | null;
  yTicks: { y: number; label: string }[];
  xTicks: { x: number; label: string }[];
  markers: { x: number; label: string }[];
};

const PAD = { left: 64, right: 12, top: 10, bottom: 22 };

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  const m = v / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * p;
}

const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);

export function chartGeometry(c: ChartInput, width: number, height: number): ChartGeometry {
  const plot = { x: PAD.left, y: PAD.top, width: width - PAD.left - PAD.right, height: height - PAD.top - PAD.bottom };
  const span = Math.max(1, c.to - c.from);
  const top = niceMax(Math.max(c.baseline ?? 0, ...c.points.map((p) => p[1])) * 1.05);
  const x = (t: number) => plot.x + ((t - c.from) / span) * plot.width;
  const y = (v: number) => plot.y + plot.height - (Math.max(0, Math.min(top, v)) / top) * plot.height;
  return {
    width,
    height,
    plot,
    line: c.points.filter((p) => p[0] >= c.from && p[0] <= c.to).map((p) => [x(p[0]), y(p[1])]),
    baselineY: c.baseline === null ? null : y(c.baseline),
    yTicks: [0, 0.5, 1].map((f) => ({ y: y(top * f), label: formatMetricValue(c.metric, top * f) })),
    xTicks: [0, 0.25, 0.5, 0.75, 1].map((f) => ({ x: plot.x + f * plot.width, label: hhmm(c.from + f * span) })),
    markers: c.markers.filter((m) => m.t >= c.from && m.t <= c.to).map((m) => ({ x: x(m.t), label: m.label })),
  };
}
