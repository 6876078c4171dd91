// The built-in metrics store as a provider: samples pushed to POST /api/v1/metrics, read back
// with the downsampling done in SQL (date_bin averages) so only what a chart can show leaves
// the database. Long charts (24 h and more at 1,000 px) read the per-minute, 5-minute or hour rollup that triggers on
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
    const rows = await getDb().$queryRaw<{ metric: MetricKind; tv: string }[]>(
      this.seriesSql(metrics, rollup ? this.rollupBuckets(rollup, bucketSeconds, query) : this.rawBuckets(bucketSeconds, query)),
    );
    const byMetric = new Map<MetricKind, Point[]>();
    for (const r of rows) {
      const pairs = JSON.parse(r.tv) as [number, number][];
      const points: Point[] = new Array(pairs.length);
      for (let i = 0; i < pairs.length; i++) {
        const [t, v] = pairs[i] as [number, number];
        points[i] = { t, v };
      }
      byMetric.set(r.metric, points);
    }
    return metrics.map((metric) => ({ metric, points: byMetric.get(metric) ?? [] }));
  }

  /**
   * One row per metric with its series as JSON text ([[epoch ms, value], …]), which Node parses far faster than
   * thousands of result rows. `buckets` yields (b, v) for the metric `m.metric`. Per metric, so that the index
   * (serviceId, metric, …) hands each series over in time order: no sort by metric, and no ORDER BY inside an
   * aggregate (each sorted its own copy of the rows: about half of the 24 h chart's time, bench/README.md); the
   * ARRAY(… ORDER BY) constructor keeps the order by definition.
   */
  private seriesSql(metrics: MetricKind[], buckets: Prisma.Sql): Prisma.Sql {
    return Prisma.sql`
      SELECT m.metric::text AS metric,
             array_to_json(ARRAY(SELECT ARRAY[date_part('epoch', s.b) * 1000, s.v] FROM (${buckets}) AS s ORDER BY s.b))::text AS tv
      FROM unnest(${metrics}::"MetricKind"[]) AS m(metric)`;
  }

  /** Grouped on the timestamptz bucket (cheap comparisons); epoch milliseconds computed only for the output. */
  private rawBuckets(bucketSeconds: number, query: RangeQuery): Prisma.Sql {
    return Prisma.sql`
      SELECT date_bin(make_interval(secs => ${bucketSeconds}), ts, ${query.from}) AS b, avg(value) AS v
      FROM "MetricSample"
      WHERE "serviceId" = ${this.serviceId} AND metric = m.metric AND ts >= ${query.from} AND ts <= ${query.to}
      GROUP BY 1`;
  }

  /**
   * Chart buckets are whole steps from the epoch, each the sum of whole rollup buckets, so a bucket's mean is
   * sum(sums) / sum(counts): exactly the mean of its raw samples. The first bucket is the first whole step at
   * or after `from` (a partial one would average only part of its step); the last holds what has arrived.
   */
  private rollupBuckets(rollup: keyof typeof ROLLUP_TABLES, bucketSeconds: number, query: RangeQuery): Prisma.Sql {
    const stepMs = bucketSeconds * 1000;
    const first = new Date(Math.ceil(query.from.getTime() / stepMs) * stepMs);
    // A step of exactly one rollup bucket (the 24 h and 7-day charts): each row is a chart bucket, nothing to
    // group, read in index order.
    if (stepMs === ROLLUP_MS[rollup])
      return Prisma.sql`
        SELECT bucket AS b, sum / count AS v
        FROM ${ROLLUP_TABLES[rollup]}
        WHERE "serviceId" = ${this.serviceId} AND metric = m.metric AND bucket >= ${first} AND bucket <= ${query.to}`;
    return Prisma.sql`
      SELECT date_bin(make_interval(secs => ${bucketSeconds}), bucket, timestamptz '1970-01-01 00:00:00+00') AS b, sum(sum) / sum(count) AS v
      FROM ${ROLLUP_TABLES[rollup]}
      WHERE "serviceId" = ${this.serviceId} AND metric = m.metric AND bucket >= ${first} AND bucket <= ${query.to}
      GROUP BY 1`;
  }
}
