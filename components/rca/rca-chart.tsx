// A chart of the RCA's appendix as SVG, drawn on the server from the version's stored series: the
// same geometry (lib/documents/chart.ts) the PDF draws.
import { chartGeometry } from "@/lib/documents/chart";
import { chartCaption, type RcaChart } from "@/lib/rca/content";

const W = 640;
const H = 180;

export function RcaChartSvg({ chart }: { chart: RcaChart }) {
  const g = chartGeometry(chart, W, H);
  const caption = chartCaption(chart);
  return (
    <figure className="space-y-1">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={caption} className="h-auto w-full text-muted">
        {g.yTicks.map((t) => (
          <g key={t.label}>
            <line x1={g.plot.x} x2={g.plot.x + g.plot.width} y1={t.y} y2={t.y} stroke="currentColor" strokeOpacity={0.2} />
            <text x={g.plot.x - 6} y={t.y + 3} textAnchor="end" fontSize={10} fill="currentColor">
              {t.label}
            </text>
          </g>
        ))}
        {g.xTicks.map((t) => (
          <text key={t.x} x={t.x} y={H - 6} textAnchor="middle" fontSize={10} fill="currentColor">
            {t.label}
          </text>
        ))}
        {g.markers.map((m) => (
          <g key={`${m.x}-${m.label}`} className="text-warn">
            <line x1={m.x} x2={m.x} y1={g.plot.y} y2={g.plot.y + g.plot.height} stroke="currentColor" />
            <text
              x={m.x > g.plot.x + g.plot.width - 124 ? m.x - 3 : m.x + 3}
              y={g.plot.y + 11}
              textAnchor={m.x > g.plot.x + g.plot.width - 124 ? "end" : "start"}
              fontSize={10}
              fill="currentColor"
            >
              {m.label}
            </text>
          </g>
        ))}
        {g.baselineY !== null && (
          <line
            x1={g.plot.x}
            x2={g.plot.x + g.plot.width}
            y1={g.baselineY}
            y2={g.baselineY}
            className="text-ok"
            stroke="currentColor"
            strokeDasharray="4 3"
          />
        )}
        {g.line.length > 1 && (
          <polyline
            points={g.line.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ")}
            fill="none"
            className="text-accent"
            stroke="currentColor"
            strokeWidth={1.5}
          />
        )}
        <rect x={g.plot.x} y={g.plot.y} width={g.plot.width} height={g.plot.height} fill="none" stroke="currentColor" strokeOpacity={0.5} />
      </svg>
      <figcaption className="text-xs text-muted">{caption}</figcaption>
    </figure>
  );
}
