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
    // t comes back as epoch milliseconds in a float8: no Date objects to build per row.
    const rows = await getDb().$queryRaw<{ metric: MetricKind; t: number; v: number }[]>`
      SELECT metric::text AS metric,
             (extract(epoch FROM date_bin(make_interval(secs => ${bucketSeconds}), ts, ${query.from})) * 1000)::float8 AS t,
             avg(value)::float8 AS v
      FROM "MetricSample"
      WHERE "serviceId" = ${this.serviceId}
        AND metric = ANY(${metrics}::"MetricKind"[])
        AND ts >= ${query.from} AND ts <= ${query.to}
      GROUP BY 1, 2
      ORDER BY 1, 2`;
    const byMetric = new Map<MetricKind, Point[]>(metrics.map((m) => [m, []]));
    for (const r of rows) byMetric.get(r.metric)?.push({ t: r.t, v: r.v });
    return metrics.map((metric) => ({ metric, points: byMetric.get(metric) ?? [] }));
  }
}
