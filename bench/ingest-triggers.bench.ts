// The database's share of an ingested batch, before and after migration 20261206013000 (issue 19), in one run:
// the same 5,000-sample binary COPY (the app's encoding) into two fresh databases, one as migrated and one put
// back to the design before it (the row-level foreign key MetricSample → Service, and the rollup triggers
// that read the new rows once per level, their bodies taken from migration 20261205221538), batch by batch,
// alternating which goes first. No HTTP or Node work is timed: the payloads are encoded before the clock starts.
//
//   npx tsx --conditions=react-server bench/ingest-triggers.bench.ts
//
// Knobs: BENCH_BATCHES (200 per side), BENCH_BATCH (5000), BENCH_KEEP_DB=1.
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { COPY_SAMPLES_SQL, encodeSamplesBinary } from "@/lib/metrics/copy-binary";
import { METRIC_KINDS, type MetricKind } from "@/lib/metrics/types";
import { PROJECT_ROOT } from "../scripts/lib/postgres";
import { createTestDatabase, type TestDatabase } from "../scripts/lib/test-database";
import { environmentLine, fmt, fmtInt, now, onInterrupt, selectBenchServer, summarize, table } from "./stats";

const BATCHES = Number(process.env.BENCH_BATCHES ?? 200);
const BATCH = Number(process.env.BENCH_BATCH ?? 5000);
const SERVICE = "bench-ab";

/** The design before: the foreign key back, and the per-level rollup functions of migration 20261205221538. */
function beforeSql(): string {
  const file = readFileSync(path.join(PROJECT_ROOT, "prisma/migrations/20261205221538_metric_rollup_five_minutes/migration.sql"), "utf8");
  const fn = (name: string) => {
    const start = file.indexOf(`CREATE OR REPLACE FUNCTION "${name}"()`);
    const end = file.indexOf("END $$;", start);
    if (start < 0 || end < 0) throw new Error(`${name} not found in the migration`);
    return file.slice(start, end + "END $$;".length);
  };
  return `
    DROP TRIGGER "MetricSample_after_insert" ON "MetricSample";
    DROP TRIGGER "MetricSample_after_update" ON "MetricSample";
    DROP TRIGGER "Service_delete_samples" ON "Service";
    DROP TRIGGER "Service_id_keeps_samples" ON "Service";
    ALTER TABLE "MetricSample" ADD CONSTRAINT "MetricSample_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"(id) ON DELETE CASCADE ON UPDATE CASCADE;
    ${fn("metric_rollup_insert")}
    ${fn("metric_rollup_update")}
    CREATE TRIGGER "MetricSample_rollup_insert" AFTER INSERT ON "MetricSample"
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "metric_rollup_insert"();
    CREATE TRIGGER "MetricSample_rollup_update" AFTER UPDATE ON "MetricSample"
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "metric_rollup_update"();`;
}

async function main() {
  selectBenchServer();
  const dbs: TestDatabase[] = [];
  const clients: pg.Client[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanUp = (): Promise<void> => {
    cleaning ??= (async () => {
      for (const c of clients) await c.end().catch(() => {});
      if (process.env.BENCH_KEEP_DB) process.env.BACKOUT_KEEP_TEST_DB = "1";
      for (const d of dbs) await d.drop().catch((e) => console.error(`could not drop ${d.name}: ${e}`));
    })();
    return cleaning;
  };
  onInterrupt(cleanUp);
  try {
    const sides = [] as { name: string; client: pg.Client; ms: number[]; rows: number }[];
    for (const name of ["before", "after"]) {
      const db = await createTestDatabase(`bench_ingest_ab_${name}`);
      dbs.push(db);
      const client = new pg.Client({ connectionString: db.url });
      clients.push(client);
      await client.connect();
      await client.query(`INSERT INTO "Service" (id, slug, name, "updatedAt", "retentionDays") VALUES ($1, $1, $1, now(), 3650)`, [
        SERVICE,
      ]);
      if (name === "before") await client.query(beforeSql());
      sides.push({ name, client, ms: [], rows: 0 });
    }
    const version = (await (clients[0] as pg.Client).query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v;

    // Fresh samples, six metrics, 10 ms apart per six: a batch spans a few seconds, like a busy pusher's.
    const base = Math.floor((Date.now() - 10 * 86_400_000) / 1000) * 1000;
    const payload = (i: number) =>
      encodeSamplesBinary(
        SERVICE,
        Array.from({ length: BATCH }, (_, k) => {
          const n = i * BATCH + k;
          return { metric: METRIC_KINDS[n % 6] as MetricKind, ts: new Date(base + Math.floor(n / 6) * 10), value: (n % 1000) / 7 };
        }),
      );
    const loads: number[] = [];
    for (let i = -10; i < BATCHES; i++) {
      const buf = payload(i + 10);
      const order = i % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) {
        const copy = copyFrom(COPY_SAMPLES_SQL);
        const t0 = now();
        await pipeline(Readable.from([buf]), side.client.query(copy));
        if (i >= 0) side.ms.push(now() - t0);
        side.rows += copy.rowCount;
      }
      if (i % 50 === 0) loads.push(loadavg()[0] ?? 0);
    }
    const [before, after] = sides.map((s) => ({ ...s, s: summarize(s.ms) })) as [
      (typeof sides)[number] & { s: ReturnType<typeof summarize> },
      (typeof sides)[number] & { s: ReturnType<typeof summarize> },
    ];
    for (const side of sides) {
      const n = Number((await side.client.query<{ n: string }>(`SELECT sum(count) AS n FROM "MetricRollupMinute"`)).rows[0]?.n);
      if (n !== side.rows) throw new Error(`${side.name}: the minute rollup counts ${n} samples, ${side.rows} were copied`);
    }
    console.log(`environment: ${environmentLine(`PostgreSQL ${version}`)}`);
    console.log(`load average (1 min) during the run: ${loads.map((l) => l.toFixed(1)).join(", ")}`);
    console.log(`${BATCHES} batches of ${fmtInt(BATCH)} per side, interleaved; the minute rollups count every copied sample on both sides`);
    console.log("");
    console.log(
      table(
        ["design", "min ms", "median ms", "p95 ms", "samples/s at the median"],
        [before, after].map((x) => [x.name, fmt(x.s.min), fmt(x.s.median), fmt(x.s.p95), fmtInt((BATCH / x.s.median) * 1000)]),
      ),
    );
    console.log("");
    console.log(`after / before: median ${fmt(after.s.median / before.s.median, 2)}, p95 ${fmt(after.s.p95 / before.s.p95, 2)}`);
  } finally {
    await cleanUp();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
