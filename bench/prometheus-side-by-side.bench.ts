// Benchmark 5: the incident charts from the built-in store and from a real Prometheus, on the same samples.
//
//   nice -n 10 npx tsx --conditions=react-server bench/prometheus-side-by-side.bench.ts
//
// Generates 7 days of samples (every BENCH_SAMPLE_SECONDS, six metrics) for a target service and
// BENCH_BACKGROUND_SERVICES others, from one deterministic formula, and loads the very same samples
//   - into the built-in store: COPY into MetricSample of a fresh database (createTestDatabase, all
//     migrations, so the rollup triggers fill the per-minute and per-hour rollups as they would at
//     ingestion), rows in time order across services as concurrent pushes write them, then VACUUM ANALYZE;
//   - into Prometheus (the Debian package, lib/testing/prometheus-harness.ts): one gauge
//     `backout_sample{service, metric}`, as OpenMetrics through `promtool tsdb create-blocks-from
//     openmetrics`, loaded at start.
// Then, interleaved round by round, the 24 h and 7 d incident charts of the target (all six metrics, a
// 1,000-px chart: the step lib/metrics/ranges.ts chartResolution picks, 60 s and 300 s, the same for both stores):
//   builtin      BuiltinProvider.queryRange (24 h the per-minute rollup, 7 d the 5-minute rollup) + lttb per series,
//                exactly lib/metrics/incident-metrics.ts loadChartSeries;
//   prom gzip    PrometheusProvider.queryRange (the app's client: six parallel query_range requests through
//                Node's fetch, which asks for gzip) of avg_over_time(backout_sample{…}[step]) + lttb;
//   prom plain   the same with `Accept-Encoding: identity` (uncompressed).
// Reports min/median/p95 per case, the ratios built-in / Prometheus, and the points each returned.
//
// Knobs: BENCH_ITERATIONS (40), BENCH_WARMUP (5), BENCH_BACKGROUND_SERVICES (5), BENCH_SAMPLE_SECONDS (15),
// BENCH_KEEP_DB=1.
import { readdir } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { getDb } from "@/lib/db";
import { BuiltinProvider } from "@/lib/metrics/builtin";
import { METRIC_INFO } from "@/lib/metrics/format";
import { lttb } from "@/lib/metrics/lttb";
import { PrometheusProvider } from "@/lib/metrics/prometheus";
import { chartResolution, pointBudget } from "@/lib/metrics/ranges";
import { METRIC_KINDS, type MetricKind, type MetricsProvider, type RangeQuery } from "@/lib/metrics/types";
import { PrometheusServer } from "@/lib/testing/prometheus-harness";
import { createTestDatabase, type TestDatabase } from "../scripts/lib/test-database";
import { environmentLine, fmt, fmtInt, now, onInterrupt, selectBenchServer, summarize, table } from "./stats";

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 40);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const BACKGROUND = Number(process.env.BENCH_BACKGROUND_SERVICES ?? 5);
const SAMPLE_SECONDS = Number(process.env.BENCH_SAMPLE_SECONDS ?? 15);
const DAY = 86_400_000;
const TARGET = "bench-target";
const CHART_WIDTH = 1000;
const TARGET_7D_P95_MS = 50;

/** The one formula both stores get their samples from: plausible, deterministic, different per series. */
function value(service: number, metric: number, t: number): number {
  const phase = t / 3_600_000 + service * 0.7 + metric;
  const wobble = Math.sin(phase) * 0.5 + Math.sin(phase * 7.3) * 0.1 + ((t / 1000 + service * 13 + metric * 7) % 11) / 110;
  switch (METRIC_KINDS[metric]) {
    case "ERROR_RATE":
      return Math.round((0.01 + 0.008 * wobble) * 1e6) / 1e6;
    case "AVAILABILITY":
      return Math.round((99.5 + 0.4 * wobble) * 1e4) / 1e4;
    case "THROUGHPUT":
      return Math.round((200 + 120 * wobble) * 100) / 100;
    default:
      return Math.round((80 * (metric + 1) + 40 * wobble) * 100) / 100;
  }
}

const serviceId = (i: number) => (i === 0 ? TARGET : `bench-bg-${i}`);
const apiName = (m: number) => METRIC_INFO[METRIC_KINDS[m] as MetricKind].apiName;

async function main() {
  selectBenchServer();
  const services = 1 + BACKGROUND;
  const endMs = Math.floor(Date.now() / 60_000) * 60_000;
  const startMs = endMs - 7 * DAY - 3_600_000; // an hour more than the 7-day chart reads
  const stepMs = SAMPLE_SECONDS * 1000;
  const times: number[] = [];
  for (let t = startMs + stepMs; t <= endMs; t += stepMs) times.push(t);
  const total = times.length * services * METRIC_KINDS.length;

  let db: TestDatabase | undefined;
  let client: pg.Client | undefined;
  const prometheus = new PrometheusServer();
  let cleaning: Promise<void> | undefined;
  const cleanUp = (): Promise<void> => {
    cleaning ??= (async () => {
      await client?.end().catch(() => {});
      await getDb()
        .$disconnect()
        .catch(() => {});
      await prometheus.stop().catch(() => {});
      if (process.env.BENCH_KEEP_DB) process.env.BACKOUT_KEEP_TEST_DB = "1";
      await db?.drop();
    })();
    return cleaning;
  };
  onInterrupt(cleanUp);

  try {
    db = await createTestDatabase("bench_prom");
    process.env.DATABASE_URL = db.url;
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const version = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? "?";
    await client.query(
      `INSERT INTO "Service" (id, slug, name, "updatedAt", "retentionDays") SELECT s, s, s, now(), 3650 FROM unnest($1::text[]) AS s`,
      [Array.from({ length: services }, (_, i) => serviceId(i))],
    );

    console.log(`loading ${fmtInt(total)} samples (${services} services × 6 metrics × ${fmtInt(times.length)} times) into PostgreSQL…`);
    let t0 = now();
    // Chunks of a few thousand times, all services interleaved per time: arrival order.
    const CHUNK = 2000;
    for (let c = 0; c < times.length; c += CHUNK) {
      const lines: string[] = [];
      for (const t of times.slice(c, c + CHUNK)) {
        const iso = new Date(t).toISOString();
        for (let s = 0; s < services; s++)
          for (let m = 0; m < METRIC_KINDS.length; m++) lines.push(`${serviceId(s)}\t${METRIC_KINDS[m]}\t${iso}\t${value(s, m, t)}\n`);
      }
      await pipeline(
        Readable.from([lines.join("")]),
        client.query(copyFrom(`COPY "MetricSample" ("serviceId", metric, ts, value) FROM STDIN`)),
      );
    }
    await client.query(`VACUUM ANALYZE "MetricSample", "MetricRollupMinute", "MetricRollupFiveMinute", "MetricRollupHour"`);
    const pgLoadMs = now() - t0;
    const sizes = (
      await client.query<{ rel: string; rows: string; size: string }>(
        `SELECT 'MetricSample' AS rel, (SELECT count(*) FROM "MetricSample")::text AS rows, pg_size_pretty(pg_total_relation_size('"MetricSample"')) AS size
         UNION ALL SELECT 'MetricRollupMinute', (SELECT count(*) FROM "MetricRollupMinute")::text, pg_size_pretty(pg_total_relation_size('"MetricRollupMinute"'))
         UNION ALL SELECT 'MetricRollupFiveMinute', (SELECT count(*) FROM "MetricRollupFiveMinute")::text, pg_size_pretty(pg_total_relation_size('"MetricRollupFiveMinute"'))
         UNION ALL SELECT 'MetricRollupHour', (SELECT count(*) FROM "MetricRollupHour")::text, pg_size_pretty(pg_total_relation_size('"MetricRollupHour"'))`,
      )
    ).rows;

    console.log("writing OpenMetrics and running promtool tsdb create-blocks-from openmetrics…");
    t0 = now();
    const om: string[] = ["# TYPE backout_sample gauge\n"];
    for (let s = 0; s < services; s++)
      for (let m = 0; m < METRIC_KINDS.length; m++) {
        const labels = `{service="${serviceId(s)}",metric="${apiName(m)}"}`;
        const lines: string[] = new Array(times.length);
        for (let i = 0; i < times.length; i++) {
          const t = times[i] as number;
          lines[i] = `backout_sample${labels} ${value(s, m, t)} ${t / 1000}\n`;
        }
        om.push(lines.join(""));
      }
    om.push("# EOF\n");
    // Prometheus scrapes nothing here (a closed port): it only serves the backfilled blocks.
    await prometheus.start(1, { job: "none", backfill: { openMetrics: om.join("") }, readyTimeoutMs: 120_000 });
    om.length = 0;
    const promLoadMs = now() - t0;
    // Prometheus compacts the backfilled 2 h blocks into larger ones shortly after it starts, as it would
    // have done over a week of scraping: wait until the block count holds still so that the measured
    // queries see the layout Prometheus settles on, not a compaction running beside them.
    const blockCount = async () => (await readdir(path.join(prometheus.dir, "data"))).filter((d) => /^[0-9A-Z]{26}$/.test(d)).length;
    const blocksBefore = await blockCount();
    let blocks = blocksBefore;
    // Its compactor first runs a minute after the start: wait past that, then until the count holds for 10 s.
    const started = now();
    for (let still = 0; (now() - started < 75_000 || still < 5) && now() - started < 300_000; ) {
      await new Promise((r) => setTimeout(r, 2000));
      const n = await blockCount();
      still = n === blocks ? still + 1 : 0;
      blocks = n;
    }
    console.log(`Prometheus ${prometheus.baseUrl} ready`);

    const budget = pointBudget(CHART_WIDTH);
    const ranges = [
      { name: "24 h", ms: DAY },
      { name: "7 d", ms: 7 * DAY },
    ].map((r) => {
      const { stepSeconds, rollup } = chartResolution(r.ms, budget, 5);
      const query: RangeQuery = {
        metrics: METRIC_KINDS,
        from: new Date(endMs - r.ms),
        to: new Date(endMs),
        stepSeconds,
        ...(rollup ? { rollup } : {}),
      };
      return { ...r, stepSeconds, rollup, query };
    });
    const promQueries = (stepSeconds: number) =>
      Object.fromEntries(
        METRIC_KINDS.map((k, m) => [k, `avg_over_time(backout_sample{service="${TARGET}",metric="${apiName(m)}"}[${stepSeconds}s])`]),
      );
    const identity: typeof fetch = (input, init) =>
      fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), "accept-encoding": "identity" } });
    const builtin = new BuiltinProvider(TARGET);
    const providers = (stepSeconds: number): [string, MetricsProvider][] => [
      ["builtin", builtin],
      ["prom gzip", new PrometheusProvider({ baseUrl: prometheus.baseUrl, queries: promQueries(stepSeconds), timeoutMs: 30_000 })],
      [
        "prom plain",
        new PrometheusProvider({ baseUrl: prometheus.baseUrl, queries: promQueries(stepSeconds), timeoutMs: 30_000, fetch: identity }),
      ],
    ];
    type Case = { key: string; range: (typeof ranges)[number]; provider: MetricsProvider; ms: number[]; points: number; drawn: number };
    const cases: Case[] = ranges.flatMap((range) =>
      providers(range.stepSeconds).map(([name, provider]) => ({
        key: `${range.name} ${name}`,
        range,
        provider,
        ms: [],
        points: 0,
        drawn: 0,
      })),
    );

    // Not what the app does any more: the 24 h chart from the raw samples at the same 60 s step (the app's path
    // until the 24 h chart moved to the per-minute rollup), to show what the rollup buys.
    const day = ranges[0] as (typeof ranges)[number];
    const { rollup: _minute, ...rawDayQuery } = day.query;
    const dayFromRaw = { ...day, rollup: null, query: rawDayQuery };
    cases.push({ key: "24 h builtin-raw", range: dayFromRaw, provider: builtin, ms: [], points: 0, drawn: 0 });

    console.log(`measuring: ${WARMUP} warm-up rounds, then ${ITERATIONS} interleaved rounds of ${cases.length} cases…`);
    for (let i = 0; i < WARMUP + ITERATIONS; i++) {
      for (let k = 0; k < cases.length; k++) {
        const c = cases[(i + k) % cases.length] as Case;
        const start = now();
        const series = await c.provider.queryRange(c.range.query);
        const drawn = series.map((s) => lttb(s.points, budget));
        const ms = now() - start;
        if (i >= WARMUP) c.ms.push(ms);
        c.points = series.reduce((n, s) => n + s.points.length, 0);
        c.drawn = drawn.reduce((n, p) => n + p.length, 0);
      }
    }

    const byKey = new Map(cases.map((c) => [c.key, { ...c, s: summarize(c.ms) }]));
    console.log("");
    console.log(`environment: ${environmentLine(`PostgreSQL ${version}, Prometheus 2.42 (Debian)`)}`);
    console.log(
      `data: ${fmtInt(total)} samples, ${services} services × 6 metrics, every ${SAMPLE_SECONDS} s over 7 d + 1 h; loaded into PostgreSQL in ${fmt(pgLoadMs / 1000)} s (COPY, triggers, VACUUM), into Prometheus in ${fmt(promLoadMs / 1000)} s (OpenMetrics, promtool, start)`,
    );
    for (const r of sizes) console.log(`  ${r.rel}: ${fmtInt(Number(r.rows))} rows, ${r.size}`);
    console.log(`  Prometheus TSDB: ${blocksBefore} blocks from promtool, ${blocks} after its own compaction`);
    console.log(`n = ${ITERATIONS} per case; chart ${CHART_WIDTH} px (budget ${budget} points per series)`);
    console.log("");
    console.log(
      table(
        ["range", "source", "step s", "points from source", "points drawn", "min ms", "median ms", "p95 ms"],
        [...byKey.values()].map((c) => [
          c.range.name,
          c.key.slice(c.range.name.length + 1) + (c.key.endsWith("builtin") ? ` (${c.range.rollup ?? "raw"})` : ""),
          String(c.range.stepSeconds),
          fmtInt(c.points),
          fmtInt(c.drawn),
          fmt(c.s.min),
          fmt(c.s.median),
          fmt(c.s.p95),
        ]),
      ),
    );
    console.log("");
    for (const r of ranges) {
      const b = byKey.get(`${r.name} builtin`)?.s;
      for (const p of ["prom gzip", "prom plain"]) {
        const q = byKey.get(`${r.name} ${p}`)?.s;
        if (b && q) console.log(`${r.name}: built-in / ${p}: median ${fmt(b.median / q.median, 2)}, p95 ${fmt(b.p95 / q.p95, 2)}`);
      }
    }
    const week = byKey.get("7 d builtin")?.s;
    if (week)
      console.log(
        `target 7-day chart p95 < ${TARGET_7D_P95_MS} ms: ${week.p95 < TARGET_7D_P95_MS ? "MET" : "NOT MET"} (p95 ${fmt(week.p95)} ms)`,
      );
  } finally {
    await cleanUp();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
