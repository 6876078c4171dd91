// The built-in metrics store as a provider: samples pushed to POST /api/v1/metrics, read back
// with the downsampling done in SQL (date_bin averages) so only what a chart can show leaves
// the database.
import "server-only";
import { getDb } from "@/lib/db";
import type { MetricKind, MetricsProvider, Point, RangeQuery, Series } from "./types";

export class BuiltinProvider implements MetricsProvider {
  readonly label = "the built-in metrics store";

  constructor(private readonly serviceId: string) {}

  async queryRange(query: RangeQuery): Promise<Series[]> {
    const bucketSeconds = Math.max(1, Math.round(query.stepSeconds));
    const metrics = [...query.metrics];
    // Grouped on the enum and the timestamptz bucket (cheap comparisons); epoch milliseconds
    // computed only for the output rows; one row per metric with its series as JSON text, which
    // Node parses far faster than thousands of result rows (bench/README.md).
    const rows = await getDb().$queryRaw<{ metric: MetricKind; tv: string }[]>`
      SELECT metric::text AS metric,
             json_build_object('t', json_agg(date_part('epoch', b) * 1000 ORDER BY b), 'v', json_agg(v ORDER BY b))::text AS tv
      FROM (
        SELECT metric, date_bin(make_interval(secs => ${bucketSeconds}), ts, ${query.from}) AS b, avg(value) AS v
        FROM "MetricSample"
        WHERE "serviceId" = ${this.serviceId}
          AND metric = ANY(${metrics}::"MetricKind"[])
          AND ts >= ${query.from} AND ts <= ${query.to}
        GROUP BY metric, b
      ) AS buckets
      GROUP BY metric`;
    const byMetric = new Map<MetricKind, Point[]>();
    for (const r of rows) {
      const { t, v } = JSON.parse(r.tv) as { t: number[]; v: number[] };
      const points: Point[] = new Array(t.length);
      for (let i = 0; i < t.length; i++) points[i] = { t: t[i] as number, v: v[i] as number };
      byMetric.set(r.metric, points);
    }
    return metrics.map((metric) => ({ metric, points: byMetric.get(metric) ?? [] }));
  }
}
