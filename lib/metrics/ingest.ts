// The built-in store's write side: authenticate a batch by its token, store it in one statement.
import "server-only";
import { getDb } from "@/lib/db";
import type { IngestSample } from "./ingest-schema";
import { hashIngestToken } from "./tokens";

export async function findServiceForToken(token: string): Promise<{ serviceId: string; tokenId: string; retentionDays: number } | null> {
  const row = await getDb().ingestionToken.findUnique({
    where: { tokenHash: hashIngestToken(token) },
    select: { id: true, serviceId: true, revokedAt: true, service: { select: { retentionDays: true } } },
  });
  if (!row || row.revokedAt) return null;
  return { serviceId: row.serviceId, tokenId: row.id, retentionDays: row.service.retentionDays };
}

/**
 * One INSERT … SELECT FROM unnest(…): the batch is stored whole or not at all, and a sample
 * re-sent for the same (metric, ts) replaces the earlier value rather than failing the batch.
 */
export async function storeSamples(serviceId: string, tokenId: string, samples: IngestSample[]): Promise<number> {
  const db = getDb();
  // Duplicates inside one batch would make ON CONFLICT touch a row twice; the last one wins.
  const unique = new Map<string, IngestSample>();
  for (const s of samples) unique.set(`${s.metric}|${s.ts.getTime()}`, s);
  const rows = [...unique.values()];
  const metrics = rows.map((s) => s.metric);
  const times = rows.map((s) => s.ts.toISOString());
  const values = rows.map((s) => s.value);
  await db.$executeRaw`
    INSERT INTO "MetricSample" ("serviceId", metric, ts, value)
    SELECT ${serviceId}, m::"MetricKind", t, v
    FROM unnest(${metrics}::text[], ${times}::timestamptz[], ${values}::float8[]) AS s(m, t, v)
    ON CONFLICT ("serviceId", metric, ts) DO UPDATE SET value = EXCLUDED.value`;
  // Bookkeeping only; at most one write a minute per token.
  await db.$executeRaw`
    UPDATE "IngestionToken" SET "lastUsedAt" = now()
    WHERE id = ${tokenId} AND ("lastUsedAt" IS NULL OR "lastUsedAt" < now() - interval '1 minute')`;
  return rows.length;
}

/** Drops samples older than each service's retention. Idempotent, so every instance may run it. */
export async function applyRetention(): Promise<number> {
  return getDb().$executeRaw`
    DELETE FROM "MetricSample" ms USING "Service" s
    WHERE ms."serviceId" = s.id AND ms.ts < now() - make_interval(days => s."retentionDays")`;
}
