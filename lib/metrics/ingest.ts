// The built-in store's write side: authenticate a batch by its token, store it in one statement.
import "server-only";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { getDb } from "@/lib/db";
import { POOL_SETTINGS } from "@/lib/db-client";
import { COPY_SAMPLES_SQL, encodeSamplesBinary } from "./copy-binary";
import type { IngestSample } from "./ingest-schema";
import { hashIngestToken } from "./tokens";
import { METRIC_KINDS } from "./types";

export type IngestOwner = { serviceId: string; tokenId: string; retentionDays: number; lastUsedAt: Date | null };

export async function findServiceForToken(token: string): Promise<IngestOwner | null> {
  const row = await getDb().ingestionToken.findUnique({
    where: { tokenHash: hashIngestToken(token) },
    select: { id: true, serviceId: true, revokedAt: true, lastUsedAt: true, service: { select: { retentionDays: true } } },
  });
  if (!row || row.revokedAt) return null;
  return { serviceId: row.serviceId, tokenId: row.id, retentionDays: row.service.retentionDays, lastUsedAt: row.lastUsedAt };
}

// Ingestion's own small pool of plain node-postgres connections: COPY is not something Prisma speaks.
const globalForIngest = globalThis as unknown as { backoutIngestPool?: pg.Pool };

function ingestPool(): pg.Pool {
  if (!globalForIngest.backoutIngestPool) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set.");
    const pool = new pg.Pool({
      connectionString: url,
      ...POOL_SETTINGS,
      max: 4,
      allowExitOnIdle: true,
      application_name: "backout-ingest",
    });
    // A connection the database dropped while idle is replaced on the next checkout; it must not crash the server.
    pool.on("error", () => {});
    globalForIngest.backoutIngestPool = pool;
  }
  return globalForIngest.backoutIngestPool;
}

/** Batches at least this large go by COPY; small ones (the live pushes) are one upsert statement. */
const COPY_MIN_SAMPLES = 100;
const TOUCH_EVERY_MS = 60_000;
const UNIQUE_VIOLATION = "23505";

/** Duplicates inside one batch would make ON CONFLICT touch a row twice: the last one wins. */
function lastWins(samples: readonly IngestSample[]): readonly IngestSample[] {
  const seen = METRIC_KINDS.map(() => new Map<number, number>());
  let duplicates = false;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] as IngestSample;
    const byTs = seen[METRIC_KINDS.indexOf(s.metric as (typeof METRIC_KINDS)[number])] as Map<number, number>;
    if (byTs.has(s.ts.getTime())) duplicates = true;
    byTs.set(s.ts.getTime(), i);
  }
  if (!duplicates) return samples;
  const keep = new Set(seen.flatMap((m) => [...m.values()]));
  return samples.filter((_, i) => keep.has(i));
}

/**
 * COPY of a batch of fresh samples (binary format): one statement, stored whole or not at all. False when a
 * sample was stored before (a re-send or a retry) or is in the batch twice: the statement then stored nothing, and
 * the batch goes by upsert.
 */
async function copyFresh(client: pg.PoolClient, serviceId: string, rows: readonly IngestSample[]): Promise<boolean> {
  try {
    await pipeline(Readable.from([encodeSamplesBinary(serviceId, rows)]), client.query(copyFrom(COPY_SAMPLES_SQL)));
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === UNIQUE_VIOLATION) return false;
    throw e;
  }
}

/** One INSERT … SELECT FROM unnest(…): a sample re-sent for the same (metric, ts) replaces the earlier value. */
async function upsert(client: pg.PoolClient, serviceId: string, rows: readonly IngestSample[]): Promise<void> {
  await client.query(
    `INSERT INTO "MetricSample" ("serviceId", metric, ts, value)
     SELECT $1, m::"MetricKind", t, v
     FROM unnest($2::text[], $3::timestamptz[], $4::float8[]) AS s(m, t, v)
     ON CONFLICT ("serviceId", metric, ts) DO UPDATE SET value = EXCLUDED.value`,
    [serviceId, rows.map((s) => s.metric), rows.map((s) => s.ts.toISOString()), rows.map((s) => s.value)],
  );
}

/**
 * Stores a validated batch whole or not at all; a sample re-sent for the same (metric, ts) replaces the
 * earlier value rather than failing the batch. Large batches of fresh samples go by COPY (the speed of the
 * database, bench/README.md), anything already stored by an upsert. The rollups follow by trigger.
 */
export async function storeSamples(
  owner: Pick<IngestOwner, "serviceId" | "tokenId" | "lastUsedAt">,
  samples: readonly IngestSample[],
): Promise<number> {
  const client = await ingestPool().connect();
  let broken: Error | undefined;
  let stored: number;
  try {
    // A batch with a (metric, ts) twice fails the COPY like a re-sent one does (unique violation, nothing
    // stored), so the duplicate search is paid only on the way to the upsert, never by a batch of fresh samples.
    if (samples.length >= COPY_MIN_SAMPLES && (await copyFresh(client, owner.serviceId, samples))) stored = samples.length;
    else {
      const rows = lastWins(samples);
      await upsert(client, owner.serviceId, rows);
      stored = rows.length;
    }
    // Bookkeeping only; at most one write a minute per token.
    if (!owner.lastUsedAt || owner.lastUsedAt.getTime() < Date.now() - TOUCH_EVERY_MS)
      await client.query(
        `UPDATE "IngestionToken" SET "lastUsedAt" = now() WHERE id = $1 AND ("lastUsedAt" IS NULL OR "lastUsedAt" < now() - interval '1 minute')`,
        [owner.tokenId],
      );
  } catch (e) {
    broken = e instanceof Error ? e : new Error(String(e));
    throw e;
  } finally {
    // A connection that failed mid-COPY is not given back to the pool.
    client.release(broken);
  }
  return stored;
}

/** Drops samples older than each service's retention (their rollup buckets follow, by trigger). Idempotent, so every instance may run it. */
export async function applyRetention(): Promise<number> {
  return getDb().$executeRaw`
    DELETE FROM "MetricSample" ms USING "Service" s
    WHERE ms."serviceId" = s.id AND ms.ts < now() - make_interval(days => s."retentionDays")`;
}
