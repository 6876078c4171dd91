// The data set shared by the chart benchmark and its diagnosis: background services plus one
// target service with exactly 24 h of 15 s samples for the six metrics, written in time order
// across services (as concurrent pushes would write them), then VACUUM ANALYZE.
import type pg from "pg";
import { METRIC_KINDS } from "@/lib/metrics/types";
import { fmt, fmtInt, now } from "./stats";

export const BACKGROUND_SERVICES = Number(process.env.BENCH_BACKGROUND_SERVICES ?? 12);
export const DAYS = Number(process.env.BENCH_DAYS ?? 3);

export const RANGE_MS = 24 * 60 * 60_000;
export const NATIVE_STEP_SECONDS = 5; // what the app assumes for the built-in store (lib/metrics/provider.ts)
export const SAMPLE_SECONDS = 15;
export const TARGET_ID = "bench-target";
export const EXPECTED_TARGET_ROWS = (RANGE_MS / 1000 / SAMPLE_SECONDS) * METRIC_KINDS.length; // 34,560

// The statement BuiltinProvider.queryRange sends for raw samples (lib/metrics/builtin.ts, seriesSql around
// rawBuckets), its parameters numbered in the order the benchmarks pass them. Since issue 19 (session 5) the
// app's 24 h chart at 1,000 px reads the per-minute rollup instead (lib/metrics/ranges.ts chartResolution);
// raw samples serve shorter charts and the verdicts. Series come back as [[t, v], …].
export const CHART_SQL = `
      SELECT m.metric::text AS metric,
             array_to_json(ARRAY(SELECT ARRAY[date_part('epoch', s.b) * 1000, s.v] FROM (
      SELECT date_bin(make_interval(secs => $1), ts, $2) AS b, avg(value) AS v
      FROM "MetricSample"
      WHERE "serviceId" = $3 AND metric = m.metric AND ts >= $5 AND ts <= $6
      GROUP BY 1) AS s ORDER BY s.b))::text AS tv
      FROM unnest($4::"MetricKind"[]) AS m(metric)`;

export const RAW_SQL = `
      SELECT metric, ts, value
      FROM "MetricSample"
      WHERE "serviceId" = $1
        AND metric = ANY($2::"MetricKind"[])
        AND ts >= $3 AND ts <= $4
      ORDER BY metric, ts`;

/** How @prisma/adapter-pg sends a Date parameter (UTC, no offset; see formatDateTime there). */
export function asPrismaSendsIt(date: Date): string {
  return date
    .toISOString()
    .replace("T", " ")
    .replace("Z", "")
    .replace(/\.000$/, "");
}

/**
 * Fills the store. The last `unvacuumedMinutes` of samples (all services) are inserted after the
 * VACUUM, as live pushes arrive between two autovacuum runs: their pages are not yet all-visible,
 * so an index-only scan has to visit the heap for them.
 */
export async function fill(client: pg.Client, nowMs: number, unvacuumedMinutes = 0): Promise<number> {
  const end = new Date(nowMs).toISOString();
  await client.query(
    `INSERT INTO "Service" (id, slug, name, "updatedAt", "retentionDays")
     SELECT 'bench-bg-' || i, 'bench-bg-' || i, 'Background ' || i, now(), 3650 FROM generate_series(1, $1::int) AS i
     UNION ALL SELECT $2, $2, 'Target', now(), 3650`,
    [BACKGROUND_SERVICES, TARGET_ID],
  );
  // Rows go in in time order across all services, as concurrent pushes would write them: the
  // target's rows are spread over the whole heap, not stored together.
  const insert = (fromMinutesAgo: number | null, toMinutesAgo: number) =>
    client.query(
      `INSERT INTO "MetricSample" ("serviceId", metric, ts, value)
       SELECT s.id, m.metric, t.ts,
              CASE m.metric
                WHEN 'ERROR_RATE' THEN 0.01 + 0.01 * sin(extract(epoch FROM t.ts) / 3600) ^ 2 + 0.005 * random()
                WHEN 'AVAILABILITY' THEN 99.5 + 0.5 * random()
                ELSE 100 + 50 * sin(extract(epoch FROM t.ts) / 5400) + 20 * random()
              END
       FROM generate_series($1::timestamptz - make_interval(days => $2::int) + interval '15 seconds', $1::timestamptz, interval '15 seconds') AS t(ts)
       CROSS JOIN (SELECT id FROM "Service" WHERE id LIKE 'bench-%') AS s
       CROSS JOIN unnest(enum_range(NULL::"MetricKind")) AS m(metric)
       WHERE (s.id <> $3 OR t.ts > $1::timestamptz - interval '24 hours')
         AND ($4::int IS NULL OR t.ts > $1::timestamptz - make_interval(mins => $4::int))
         AND t.ts <= $1::timestamptz - make_interval(mins => $5::int)
       ORDER BY t.ts, s.id, m.metric`,
      [end, DAYS, TARGET_ID, fromMinutesAgo, toMinutesAgo],
    );
  const started = now();
  const inserted = await insert(null, unvacuumedMinutes);
  console.log(`  inserted ${fmtInt(inserted.rowCount ?? 0)} samples in ${fmt((now() - started) / 1000)} s`);
  const vacuum = now();
  await client.query(`VACUUM ANALYZE "MetricSample"`);
  console.log(`  VACUUM ANALYZE in ${fmt((now() - vacuum) / 1000)} s`);
  if (unvacuumedMinutes > 0) {
    const late = await insert(unvacuumedMinutes, 0);
    console.log(`  then ${fmtInt(late.rowCount ?? 0)} samples of the last ${unvacuumedMinutes} min, not vacuumed`);
  }
  const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "MetricSample" WHERE "serviceId" = $1`, [TARGET_ID]);
  return Number(rows[0]?.n);
}
