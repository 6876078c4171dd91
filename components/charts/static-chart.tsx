// A metric chart drawn without measuring anything: plain SVG and positioned labels in percentages
// of the plot, so the server can send it inside the page's HTML and the chart is on screen before
// any script runs. It stays the chart, redrawn with each poll, until the person reaches for it and
// recharts (tooltips; it draws only in the browser, after measuring its box) takes over, with the
// same margins, ticks and domains (./axes.ts): metric-chart.tsx.
import type { Marker } from "@/lib/metrics/incident-metrics";
import { PLOT } from "./axes";

/** One chart as both drawings take it: points, the axes chosen once (./axes.ts), band and markers. */
export type ChartDrawing = {
  points: { t: number; v: number }[];
  from: number;
  to: number;
  y: { domain: [number, number]; ticks: number[]; format: (v: number) => string };
  x: { ticks: number[]; label: (t: number) => string };
  band: { low: number; high: number; median: number } | null;
  markers: readonly (Marker & { row: number; leftOfLine: boolean })[];
};

const W = 1000; // the SVG's own units across the plot; stretched to the plot's width
const H = 1000;

export function StaticChart({ points, from, to, y, x, band, markers }: ChartDrawing) {
  const [lo, hi] = y.domain;
  const fx = (t: number) => (to === from ? 0 : (t - from) / (to - from));
  const fy = (v: number) => (hi === lo ? 1 : 1 - (v - lo) / (hi - lo)); // 0 at the top
  const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${(fx(p.t) * W).toFixed(1)},${(fy(p.v) * H).toFixed(1)}`).join("");
  const pct = (f: number) => `${(f * 100).toFixed(3)}%`;
  const shown = markers.filter((m) => m.t >= from && m.t <= to); // recharts discards the others too
  const plot = { top: PLOT.top, right: PLOT.right, bottom: PLOT.bottom, left: PLOT.left };
  const stroke = { vectorEffect: "non-scaling-stroke" } as const;

  return (
    <div className="relative h-full text-[11px] text-muted" data-chart="static">
      <div className="absolute border-b border-l border-muted" style={plot}>
        <svg className="absolute inset-0 h-full w-full overflow-hidden" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" aria-hidden>
          {y.ticks.map((v) => (
            <line key={v} x1={0} x2={W} y1={fy(v) * H} y2={fy(v) * H} stroke="var(--line)" strokeDasharray="3 3" style={stroke} />
          ))}
          {band && (
            <>
              <rect
                x={0}
                width={W}
                y={fy(Math.min(band.high, hi)) * H}
                height={Math.max(0, (fy(Math.max(band.low, lo)) - fy(Math.min(band.high, hi))) * H)}
                fill="var(--ok)"
                fillOpacity={0.12}
              />
              <line
                x1={0}
                x2={W}
                y1={fy(band.median) * H}
                y2={fy(band.median) * H}
                stroke="var(--ok)"
                strokeDasharray="4 3"
                style={stroke}
              />
            </>
          )}
          {shown.map((m) => (
            <line
              key={`${m.kind}-${m.t}`}
              x1={fx(m.t) * W}
              x2={fx(m.t) * W}
              y1={0}
              y2={H}
              stroke={m.kind === "deploy" ? "var(--danger)" : "var(--accent)"}
              strokeDasharray="2 2"
              style={stroke}
            />
          ))}
          <path className="chart-series" d={path} fill="none" stroke="var(--accent)" strokeWidth={1.5} style={stroke} />
        </svg>
        {shown.map((m) => {
          const offset = 5 + 12 * m.row;
          return (
            <span
              key={`${m.kind}-${m.t}`}
              className="absolute whitespace-nowrap text-[10px] leading-none"
              style={
                m.leftOfLine
                  ? { right: `calc(${pct(1 - fx(m.t))} + ${offset}px)`, top: offset }
                  : { left: `calc(${pct(fx(m.t))} + ${offset}px)`, top: offset }
              }
            >
              {m.label}
            </span>
          );
        })}
        {y.ticks.map((v) => (
          <span
            key={v}
            className="absolute -translate-y-1/2 text-right leading-none tabular-nums"
            style={{ top: pct(fy(v)), right: `calc(100% + ${PLOT.tick + 2}px)` }}
          >
            <span className="absolute top-1/2 -right-2 h-px w-1.5 bg-muted" />
            {y.format(v)}
          </span>
        ))}
        {x.ticks.map((t) => (
          <span
            key={t}
            className="absolute -translate-x-1/2 whitespace-nowrap leading-none tabular-nums"
            style={{ left: pct(fx(t)), top: `calc(100% + ${PLOT.tick + 3}px)` }}
          >
            <span className="absolute -top-[9px] left-1/2 h-1.5 w-px bg-muted" />
            {x.label(t)}
          </span>
        ))}
      </div>
    </div>
  );
}
