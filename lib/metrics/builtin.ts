// The built-in metrics store as a provider: samples pushed to POST /api/v1/metrics, read back
// with the downsampling done in SQL (date_bin averages) so only what a chart can show leaves
// the database. Charts longer than 24 h read the per-minute, 5-minute or hour rollup that triggers on
// MetricSample keep exact (migrations 20261205215721_metric_rollups, 20261205221538_metric_rollup_five_minutes).
import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { getDb } from "@/lib/db";
import type { MetricKind, MetricsProvider, Point, RangeQuery, Series } from "./types";

const ROLLUP_TABLES = {
  minute: Prisma.raw('"MetricRollupMinute"'),
  fiveMinutes: Prisma.raw('"MetricRollupFiveMinute"'),
  hour: Prisma.raw('"MetricRollupHour"'),
} as const;
const ROLLUP_MS = { minute: 60_000, fiveMinutes: 300_000, hour: 3_600_000 } as const;

export class BuiltinProvider implements MetricsProvider {
  readonly label = "the built-in metrics store";

  constructor(private readonly serviceId: string) {}

  async queryRange(query: RangeQuery): Promise<Series[]> {
    const bucketSeconds = Math.max(1, Math.round(query.stepSeconds));
    const metrics = [...query.metrics];
    const rollup = query.rollup && (bucketSeconds * 1000) % ROLLUP_MS[query.rollup] === 0 ? query.rollup : null;
    // Grouped on the enum and the timestamptz bucket (cheap comparisons); epoch milliseconds
    // computed only for the output rows; one row per metric with its series as JSON text, which
    // Node parses far faster than thousands of result rows (bench/README.md).
    const rows = await getDb().$queryRaw<{ metric: MetricKind; tv: string }[]>(
      rollup ? this.rollupSql(rollup, bucketSeconds, metrics, query) : this.rawSql(bucketSeconds, metrics, query),
    );
    const byMetric = new Map<MetricKind, Point[]>();
    for (const r of rows) {
      const { t, v } = JSON.parse(r.tv) as { t: number[]; v: number[] };
      const points: Point[] = new Array(t.length);
      for (let i = 0; i < t.length; i++) points[i] = { t: t[i] as number, v: v[i] as number };
      byMetric.set(r.metric, points);
    }
    return metrics.map((metric) => ({ metric, points: byMetric.get(metric) ?? [] }));
  }

  private rawSql(bucketSeconds: number, metrics: MetricKind[], query: RangeQuery): Prisma.Sql {
    return Prisma.sql`
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
  }

  /**
   * Chart buckets are whole steps from the epoch, each the sum of whole rollup buckets, so a bucket's mean is
   * sum(sums) / sum(counts): exactly the mean of its raw samples. The first bucket is the first whole step at
   * or after `from` (a partial one would average only part of its step); the last holds what has arrived.
   */
  private rollupSql(rollup: keyof typeof ROLLUP_TABLES, bucketSeconds: number, metrics: MetricKind[], query: RangeQuery): Prisma.Sql {
    const stepMs = bucketSeconds * 1000;
    const first = new Date(Math.ceil(query.from.getTime() / stepMs) * stepMs);
    // A step of exactly one rollup bucket (the 7-day chart): each row is a chart bucket, nothing to group
    // (a third to a half of the query's time, bench/README.md).
    if (stepMs === ROLLUP_MS[rollup])
      return Prisma.sql`
        SELECT metric::text AS metric,
               json_build_object('t', json_agg(date_part('epoch', bucket) * 1000 ORDER BY bucket), 'v', json_agg(sum / count ORDER BY bucket))::text AS tv
        FROM ${ROLLUP_TABLES[rollup]}
        WHERE "serviceId" = ${this.serviceId}
          AND metric = ANY(${metrics}::"MetricKind"[])
          AND bucket >= ${first} AND bucket <= ${query.to}
        GROUP BY metric`;
    return Prisma.sql`
      SELECT metric::text AS metric,
             json_build_object('t', json_agg(date_part('epoch', b) * 1000 ORDER BY b), 'v', json_agg(v ORDER BY b))::text AS tv
      FROM (
        SELECT metric, date_bin(make_interval(secs => ${bucketSeconds}), bucket, timestamptz '1970-01-01 00:00:00+00') AS b,
               sum(sum) / sum(count) AS v
        FROM ${ROLLUP_TABLES[rollup]}
        WHERE "serviceId" = ${this.serviceId}
          AND metric = ANY(${metrics}::"MetricKind"[])
          AND bucket >= ${first} AND bucket <= ${query.to}
        GROUP BY metric, b
      ) AS buckets
      GROUP BY metric`;
  }
}
