// Scratch copy of storeSamples() from lib/metrics/ingest.ts with the change bench/README.md
// discusses, so that bench/ingest-diagnose.ts can measure it next to the app's version. Not
// used by the app.
//
// Difference: the token's lastUsedAt bookkeeping rides along in the INSERT as a data-modifying
// CTE, so a batch costs one round trip (one statement, one implicit transaction) instead of two.
import "server-only";
import { getDb } from "@/lib/db";
import type { IngestSample } from "@/lib/metrics/ingest-schema";

export async function storeSamplesProposed(serviceId: string, tokenId: string, samples: IngestSample[]): Promise<number> {
  const unique = new Map<string, IngestSample>();
  for (const s of samples) unique.set(`${s.metric}|${s.ts.getTime()}`, s);
  const rows = [...unique.values()];
  const metrics = rows.map((s) => s.metric);
  const times = rows.map((s) => s.ts.toISOString());
  const values = rows.map((s) => s.value);
  await getDb().$executeRaw`
    WITH touch AS (
      UPDATE "IngestionToken" SET "lastUsedAt" = now()
      WHERE id = ${tokenId} AND ("lastUsedAt" IS NULL OR "lastUsedAt" < now() - interval '1 minute')
    )
    INSERT INTO "MetricSample" ("serviceId", metric, ts, value)
    SELECT ${serviceId}, m::"MetricKind", t, v
    FROM unnest(${metrics}::text[], ${times}::timestamptz[], ${values}::float8[]) AS s(m, t, v)
    ON CONFLICT ("serviceId", metric, ts) DO UPDATE SET value = EXCLUDED.value`;
  return rows.length;
}
